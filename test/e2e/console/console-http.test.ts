/**
 * The console over HTTP: the page at `/` for browsers only, loopback-only without a credential,
 * the operator credential, CSRF, and an API call on a console path still an API call.
 */
import { request as httpRequest } from "node:http";
import {
  AdminCreateUserCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeHtml } from "../../../src/pages/html.js";
import { startTestServer, type TestServer } from "../../support/server.js";

/** A GET with any Host header (fetch will not send a chosen one). */
function getWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

/** The CSRF cookie a console page sets, and the same value as the form needs it. */
async function csrfOf(url: string, init: RequestInit = {}): Promise<{ cookie: string; token: string }> {
  const res = await fetch(url, { redirect: "manual", ...init });
  const set = res.headers.getSetCookie().find((c) => c.startsWith("cognate-console-csrf="));
  const token = set?.split(";")[0].split("=")[1] ?? "";
  expect(token).not.toBe("");
  return { cookie: `cognate-console-csrf=${token}`, token };
}

function post(url: string, form: Record<string, string>, headers: Record<string, string>) {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

describe("without an operator credential", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it("answers browsers at / with a page, other clients as before", async () => {
    const page = await fetch(`${server.url}/`, { headers: { accept: "text/html,*/*" } });
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(server.url);
    expect(body).toContain("us-east-1");
    expect(body).toContain('href="/console"');
    const json = await fetch(`${server.url}/`, { headers: { accept: "application/json" } });
    expect(json.status).toBe(404);
    expect(await json.json()).toMatchObject({ message: "Route GET:/ not found" });
  });

  it("serves loopback, without CORS, framing or caching", async () => {
    const res = await fetch(`${server.url}/console/pools`);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses a host name that is not a loopback one", async () => {
    expect(await getWithHost(`${server.url}/console/pools`, `localhost:${server.port}`)).toBe(200);
    expect(await getWithHost(`${server.url}/console/pools`, `cognate.example.com:${server.port}`)).toBe(403);
  });

  it("takes a form only with its CSRF token, from its own origin", async () => {
    const { cookie, token } = await csrfOf(`${server.url}/console/pools`);
    const without = await post(`${server.url}/console/pools`, { name: "no-token" }, { cookie });
    expect(without.status).toBe(403);
    const elsewhere = await post(
      `${server.url}/console/pools`,
      { name: "elsewhere", _csrf: token },
      { cookie, origin: "http://evil.example" },
    );
    expect(elsewhere.status).toBe(403);
    const created = await post(
      `${server.url}/console/pools`,
      { name: "from-console", _csrf: token },
      { cookie, origin: server.url },
    );
    expect(created.status).toBe(303);
    expect(created.headers.get("location")).toMatch(/^\/console\/pools\/us-east-1_\w+\?done=created$/);
    const pools = await server.client.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    expect(pools.UserPools?.map((p) => p.Name)).toEqual(["from-console"]);
  });

  it("shows Cognito's refusal of an action, with status 400", async () => {
    const { cookie, token } = await csrfOf(`${server.url}/console/pools`);
    const refused = await post(`${server.url}/console/pools`, { name: "", _csrf: token }, { cookie });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("InvalidParameterException");
  });

  it("answers an API call made on a console path", async () => {
    const res = await fetch(`${server.url}/console`, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools",
      },
      body: JSON.stringify({ MaxResults: 1 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty("UserPools");
  });
});

describe("every page, with something on it", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it("renders the pool's pages with what the API made", async () => {
    const pool = await server.client.send(new CreateUserPoolCommand({ PoolName: "pages" }));
    const poolId = pool.UserPool?.Id as string;
    const client = await server.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "backend", GenerateSecret: true }),
    );
    const clientId = client.UserPoolClient?.ClientId as string;
    await server.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "staff" }));
    await server.client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "zoe", MessageAction: "SUPPRESS" }),
    );
    // The PreSignUp function does not exist: the invocation fails, and the page says how.
    await server.client.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        LambdaConfig: { PreSignUp: "arn:aws:lambda:us-east-1:123456789012:function:nowhere" },
      }),
    );
    await expect(
      server.client.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: "yan", MessageAction: "SUPPRESS" }),
      ),
    ).rejects.toThrow("PreSignUp invocation failed");

    const page = async (path: string) => {
      const res = await fetch(`${server.url}/console/pools/${poolId}${path}`);
      expect(res.status, path).toBe(200);
      return res.text();
    };
    expect(await page("")).toContain("arn:aws:lambda:us-east-1:123456789012:function:nowhere");
    expect(await page("/users")).toContain("FORCE_CHANGE_PASSWORD");
    const user = await page("/users/zoe");
    expect(user).toContain("Add to group");
    expect(user).toContain("<option>staff</option>");
    expect(await page("/groups")).toContain("staff");
    expect(await page("/clients")).toContain(clientId);
    expect(await page(`/clients/${clientId}`)).toContain(client.UserPoolClient?.ClientSecret as string);
    expect(await page("/outbox")).toContain("No messages yet.");
    expect(await page("/events")).toContain("Threat protection is off for this pool");
    const triggers = await page("/triggers");
    expect(triggers).toContain("PreSignUp_AdminCreateUser");
    expect(triggers).toContain("UnexpectedLambdaException");

    const missing = await fetch(`${server.url}/console/pools/us-east-1_nothere`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("ResourceNotFoundException");
  });

  it("sets MFA preferences through AdminSetUserMFAPreference, refused as the API refuses", async () => {
    const poolId = (await server.client.send(new CreateUserPoolCommand({ PoolName: "mfa" }))).UserPool
      ?.Id as string;
    await server.client.send(
      new AdminCreateUserCommand({ UserPoolId: poolId, Username: "ann", MessageAction: "SUPPRESS" }),
    );
    const url = `${server.url}/console/pools/${poolId}/users/ann`;
    const { cookie, token } = await csrfOf(url);
    const res = await post(
      url,
      { _csrf: token, action: "mfa", sms: "off", totp: "preferred", email: "off" },
      { cookie },
    );
    const direct = await server.call("AdminSetUserMFAPreference", {
      UserPoolId: poolId,
      Username: "ann",
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    expect(direct.status).toBe(400);
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain(String(direct.body.__type));
    expect(text).toContain(escapeHtml(String(direct.body.message)));
  });
});

describe("with an operator credential", () => {
  const token = "a-long-operator-credential";
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ console: { token } });
  });
  afterAll(() => server.stop());

  it("sends a browser without it to the sign-in form, and takes a bearer token", async () => {
    const res = await fetch(`${server.url}/console/pools`, { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console/sign-in");
    const wrong = await fetch(`${server.url}/console/pools`, {
      redirect: "manual",
      headers: { authorization: "Bearer not-it" },
    });
    expect(wrong.status).toBe(303);
    const right = await fetch(`${server.url}/console/pools`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(right.status).toBe(200);
  });

  it("signs an operator in with the form, and out", async () => {
    const { cookie, token: csrf } = await csrfOf(`${server.url}/console/sign-in`);
    const bad = await post(`${server.url}/console/sign-in`, { token: "wrong", _csrf: csrf }, { cookie });
    expect(bad.status).toBe(401);
    const good = await post(`${server.url}/console/sign-in`, { token, _csrf: csrf }, { cookie });
    expect(good.status).toBe(303);
    const session = good.headers
      .getSetCookie()
      .find((c) => c.startsWith("cognate-console="))
      ?.split(";")[0] as string;
    expect(session).toBeDefined();
    expect(session).not.toContain(token);
    const cookies = `${cookie}; ${session}`;
    const page = await fetch(`${server.url}/console/pools`, { headers: { cookie: cookies } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Sign out");
    const out = await post(`${server.url}/console/sign-out`, { _csrf: csrf }, { cookie: cookies });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie().some((c) => c.startsWith("cognate-console=;"))).toBe(true);
  });
});

describe("turned off", () => {
  it("serves no console", async () => {
    const server = await startTestServer({ console: { enabled: false } });
    try {
      expect((await fetch(`${server.url}/console/pools`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
