import { describe, expect, it } from "vitest";
import { clearCookie, parseCookies, setCookie } from "./cookies.js";
import type { Site } from "./site.js";

/** The cookie code reads only where the site is served and whether over TLS. */
function site(basePath: string, secure: boolean): Site {
  return { basePath, secure } as Site;
}

describe("the domain's cookies", () => {
  it("are HttpOnly and SameSite=Lax, Secure only over TLS, at / on the domain's host", () => {
    expect(setCookie(site("", false), "cognito", "v", 3600)).toBe(
      "cognito=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600",
    );
    expect(setCookie(site("", true), "XSRF-TOKEN", "t")).toBe(
      "XSRF-TOKEN=t; Path=/; HttpOnly; SameSite=Lax; Secure",
    );
  });

  it("are scoped to the domain's path in the path form, and cleared with Max-Age=0", () => {
    expect(clearCookie(site("/_domain/app", true), "cognito")).toBe(
      "cognito=; Path=/_domain/app/; HttpOnly; SameSite=Lax; Max-Age=0; Secure",
    );
  });

  it("are read back: the first of a repeated name, malformed pairs and encodings skipped", () => {
    expect(parseCookies('a=1; a=2; junk; b="x%20y"; c=%E0%A4%A; =v')).toEqual({ a: "1", b: "x y" });
  });
});
