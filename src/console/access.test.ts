import { describe, expect, it } from "vitest";
import { accessOf, csrfValid, sessionCookie } from "./access.js";
import type { ConsoleRequest } from "./request.js";

function request(overrides: Partial<ConsoleRequest> & { host?: string } = {}): ConsoleRequest {
  const { host = "127.0.0.1:9229", ...rest } = overrides;
  return {
    method: "GET",
    path: "/pools",
    query: new URLSearchParams(),
    form: new URLSearchParams(),
    headers: { host },
    cookies: {},
    sourceIp: "127.0.0.1",
    ...rest,
  };
}

const TOKEN = "operator-credential-1234";

describe("who may use the console", () => {
  it("without a credential: loopback addresses and loopback host names only", () => {
    expect(accessOf(request(), null)).toBe("allowed");
    expect(accessOf(request({ sourceIp: "::1", host: "[::1]:9229" }), null)).toBe("allowed");
    expect(accessOf(request({ sourceIp: "::ffff:127.0.0.1", host: "localhost:9229" }), null)).toBe("allowed");
    expect(accessOf(request({ host: "demo.auth.us-east-1.localhost:9229" }), null)).toBe("allowed");
    expect(accessOf(request({ sourceIp: "10.0.0.7" }), null)).toBe("refused");
    expect(accessOf(request({ sourceIp: "::ffff:10.0.0.7" }), null)).toBe("refused");
    // A name that some outside DNS points at 127.0.0.1 (DNS rebinding) is not the console's.
    expect(accessOf(request({ host: "attacker.example:9229" }), null)).toBe("refused");
    expect(accessOf(request({ host: "localhost.attacker.example" }), null)).toBe("refused");
    expect(accessOf(request({ headers: {} }), null)).toBe("refused");
  });

  it("with a credential: everyone must present it, as a bearer token or the session cookie", () => {
    expect(accessOf(request(), TOKEN)).toBe("sign-in");
    expect(accessOf(request({ sourceIp: "10.0.0.7" }), TOKEN)).toBe("sign-in");
    const bearer = (value: string) =>
      request({ sourceIp: "10.0.0.7", headers: { host: "x", authorization: value } });
    expect(accessOf(bearer(`Bearer ${TOKEN}`), TOKEN)).toBe("allowed");
    expect(accessOf(bearer("Bearer nope"), TOKEN)).toBe("sign-in");
    const session = sessionCookie(TOKEN).split(";")[0].split("=")[1];
    expect(session).not.toContain(TOKEN);
    expect(accessOf(request({ sourceIp: "10.0.0.7", cookies: { "cognate-console": session } }), TOKEN)).toBe(
      "allowed",
    );
    expect(accessOf(request({ cookies: { "cognate-console": session } }), `${TOKEN}-rotated`)).toBe(
      "sign-in",
    );
  });
});

describe("CSRF", () => {
  const token = "abcdefghijklmnopqrstuvwx";
  const post = (form: string, headers: Record<string, string> = {}, cookie = token) =>
    request({
      method: "POST",
      form: new URLSearchParams(form),
      cookies: { "cognate-console-csrf": cookie },
      headers: { host: "127.0.0.1:9229", ...headers },
    });

  it("accepts the form that carries its cookie's token, from this origin or none", () => {
    expect(csrfValid(post(`_csrf=${token}`))).toBe(true);
    expect(csrfValid(post(`_csrf=${token}`, { origin: "http://127.0.0.1:9229" }))).toBe(true);
  });

  it("refuses a missing or different token, and another origin", () => {
    expect(csrfValid(post("name=x"))).toBe(false);
    expect(csrfValid(post(`_csrf=${token}x`))).toBe(false);
    expect(csrfValid(post(`_csrf=${token}`, {}, ""))).toBe(false);
    expect(csrfValid(post(`_csrf=${token}`, { origin: "http://evil.example" }))).toBe(false);
    expect(csrfValid(post(`_csrf=${token}`, { origin: "null" }))).toBe(false);
  });
});
