/**
 * The domain endpoints as HTTP (OAUTH.md §1.4–1.5, §2.0, §2.8, §3.2–3.3): which domain a request is
 * for (host, path form, app client, 404), discovery, CORS, security headers and cookie attributes,
 * API calls on endpoint paths, and no 500 for any malformed input.
 */
import { request as httpRequest } from "node:http";
import {
  CreateUserPoolClientCommand,
  CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, createUser, PASSWORD } from "../../support/fixtures.js";
import {
  Agent,
  authorizeQuery,
  callbackParameters,
  createOAuthApp,
  formAction,
  hiddenField,
  type OAuthApp,
  REDIRECT_URI,
  signInOnPage,
  tokenRequest,
} from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let app: OAuthApp;
const USER = { username: "alice", password: PASSWORD };

beforeAll(async () => {
  server = await startTestServer();
  app = await createOAuthApp(server);
  await createUser(server, app.poolId, "alice", { attributes: [{ Name: "email", Value: "a@example.com" }] });
});
afterAll(async () => server?.stop());

/** A raw HTTP request with a Host header of our choosing (fetch would not send it). */
function raw(
  path: string,
  options: { host?: string; method?: string; headers?: Record<string, string>; body?: Buffer | string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: server.port,
        path,
        method: options.method ?? "GET",
        headers: { host: options.host ?? `127.0.0.1:${server.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const loopbackHost = (target: OAuthApp) => `${target.domain}.auth.us-east-1.localhost:${server.port}`;

describe("which domain a request is for", () => {
  it("serves the domain on its loopback host name and its amazoncognito.com name, with cookies at Path=/", async () => {
    for (const host of [loopbackHost(app), `${app.domain}.auth.us-east-1.amazoncognito.com`]) {
      const res = await raw(`/oauth2/authorize?${authorizeQuery(app)}`, { host });
      expect(res.status, host).toBe(302);
      expect(res.headers.location, host).toBe(`/login?${authorizeQuery(app)}`);
      expect(String(res.headers["set-cookie"])).toMatch(
        /^XSRF-TOKEN=[0-9a-f-]{36}; Path=\/; HttpOnly; SameSite=Lax$/,
      );
    }
  });

  it("answers 404 for an unknown domain, in the path form or as a host name", async () => {
    expect((await raw(`/_domain/nosuch/oauth2/authorize?${authorizeQuery(app)}`)).status).toBe(404);
    for (const host of ["nosuch.auth.us-east-1.localhost", `${app.domain}.auth.eu-west-1.localhost`]) {
      const res = await raw(`/oauth2/authorize?${authorizeQuery(app)}`, { host });
      expect(res.status, host).toBe(404);
    }
  });

  it("resolves bare paths on this server's host by the app client the request names", async () => {
    const agent = new Agent(server.url);
    const res = await agent.get(`/oauth2/authorize?${authorizeQuery(app)}`);
    expect(res.location).toBe(`/login?${authorizeQuery(app)}`);
    const page = await agent.get(res.location ?? "");
    expect(page.status).toBe(200);
    const back = await agent.post(formAction(page.body), { _csrf: hiddenField(page.body, "_csrf"), ...USER });
    const code = callbackParameters(back.location).get("code") ?? "";
    const tokens = await fetch(`${server.url}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: app.clientId,
        code,
        redirect_uri: REDIRECT_URI,
      }),
    });
    expect(tokens.status).toBe(200);
    // A client of a pool without a domain: no endpoints.
    const bare = await server.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: await createPool(server), ClientName: "no-domain" }),
    );
    expect((await raw(`/oauth2/authorize?client_id=${bare.UserPoolClient?.ClientId}`)).status).toBe(404);
    // Nothing names a client: no domain.
    expect((await raw("/oauth2/authorize")).status).toBe(404);
    expect((await raw("/logout")).status).toBe(404);
  });

  it("sends a POST with X-Amz-Target on an endpoint path to the JSON API", async () => {
    for (const path of [`/_domain/${app.domain}/oauth2/token`, "/oauth2/token", "/login", "/token"]) {
      const res = await raw(path, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSCognitoIdentityProviderService.GetUser",
        },
        body: JSON.stringify({ AccessToken: "not-a-token" }),
      });
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body), path).toEqual({
        __type: "NotAuthorizedException",
        message: "Invalid Access Token",
      });
    }
  });

  it("serves no discovery on the domain", async () => {
    const res = await raw(`/_domain/${app.domain}/.well-known/openid-configuration`);
    expect(res.status).toBe(404);
  });
});

describe("discovery", () => {
  async function discovery(poolId: string) {
    const res = await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`);
    return (await res.json()) as Record<string, unknown>;
  }

  it("lists the domain's endpoints, keys sorted, issuer and keys on the API host", async () => {
    const doc = await discovery(app.poolId);
    expect(Object.keys(doc)).toEqual([...Object.keys(doc)].sort());
    expect(doc).toEqual({
      authorization_endpoint: `${app.base}/oauth2/authorize`,
      end_session_endpoint: `${app.base}/logout`,
      id_token_signing_alg_values_supported: ["RS256"],
      issuer: `${server.url}/${app.poolId}`,
      jwks_uri: `${server.url}/${app.poolId}/.well-known/jwks.json`,
      response_types_supported: ["code", "token"],
      revocation_endpoint: `${app.base}/oauth2/revoke`,
      scopes_supported: ["openid", "email", "phone", "profile"],
      subject_types_supported: ["public"],
      token_endpoint: `${app.base}/oauth2/token`,
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      userinfo_endpoint: `${app.base}/oauth2/userInfo`,
    });
  });

  it("prefers the pool's custom domain, which is served on its own host name", async () => {
    const target = await createOAuthApp(server);
    const custom = `auth-${target.domain}.example.com`;
    await server.client.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: target.poolId,
        Domain: custom,
        CustomDomainConfig: { CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
      }),
    );
    const doc = await discovery(target.poolId);
    expect(doc.authorization_endpoint).toBe(`${server.url}/_domain/${custom}/oauth2/authorize`);
    expect(doc.token_endpoint).toBe(`${server.url}/_domain/${custom}/oauth2/token`);
    const res = await raw(`/oauth2/authorize?${authorizeQuery(target)}`, { host: custom });
    expect(res.headers.location).toBe(`/login?${authorizeQuery(target)}`);
  });
});

describe("headers", () => {
  it("answers CORS preflights of token, revoke and userInfo with the request's origin", async () => {
    for (const path of ["/oauth2/token", "/oauth2/revoke", "/oauth2/userInfo", "/token"]) {
      const res = await raw(`/_domain/${app.domain}${path}`, {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example.com",
          "access-control-request-method": "POST",
          "access-control-request-headers": "x-amz-user-agent,content-type",
        },
      });
      expect(res.status, path).toBe(204);
      expect(res.headers["access-control-allow-origin"]).toBe("https://app.example.com");
      expect(res.headers["access-control-allow-methods"]).toBe("GET, POST");
      expect(res.headers["access-control-allow-headers"]).toBe(
        "authorization, content-type, x-amz-user-agent",
      );
    }
    const token = await raw(`/_domain/${app.domain}/oauth2/token`, {
      method: "POST",
      headers: { origin: "https://app.example.com", "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=refresh_token",
    });
    expect(token.headers["access-control-allow-origin"]).toBe("https://app.example.com");
    // Pages are not for scripts of other origins.
    const page = await raw(`/_domain/${app.domain}/oauth2/authorize?${authorizeQuery(app)}`, {
      headers: { origin: "https://app.example.com" },
    });
    expect(page.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("sends security headers with every answer, a CSP with pages, and no Secure cookie over plain HTTP", async () => {
    const agent = new Agent(server.url);
    const redirect = await agent.get(`${app.base}/oauth2/authorize?${authorizeQuery(app)}`);
    const page = await agent.get(redirect.location ?? "");
    for (const res of [redirect, page]) {
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-amz-cognito-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
    expect(page.headers.get("content-security-policy")).toContain("default-src");
    expect(page.headers.get("cache-control")).toBe("no-store");
    const back = await agent.post(formAction(page.body), { _csrf: hiddenField(page.body, "_csrf"), ...USER });
    const session = back.headers.getSetCookie().find((c) => c.startsWith("cognito="));
    expect(session).toMatch(
      new RegExp(`^cognito=[\\w-]+; Path=/_domain/${app.domain}/; HttpOnly; SameSite=Lax; Max-Age=3600$`),
    );
  });
});

describe("malformed input is never a 500", () => {
  it("survives bodies that are not UTF-8, huge parameters, NUL bytes and bad encodings", async () => {
    const tokenPath = `/_domain/${app.domain}/oauth2/token`;
    const cases: {
      path: string;
      method?: string;
      headers?: Record<string, string>;
      body?: Buffer | string;
    }[] = [
      {
        path: tokenPath,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: Buffer.from([0xff, 0xfe, 0x3d, 0xc3, 0x28]),
      },
      {
        path: tokenPath,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `grant_type=authorization_code&client_id=${app.clientId}&redirect_uri=x&code=${"c".repeat(1_000_000)}`,
      },
      {
        path: tokenPath,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `grant_type=refresh_token&client_id=${"x".repeat(500_000)}&refresh_token=a`,
      },
      {
        path: tokenPath,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=refresh_token&client_id=%00&refresh_token=%00",
      },
      {
        path: tokenPath,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: "Basic AA==" },
        body: "grant_type=client_credentials",
      },
      {
        path: tokenPath,
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from("\u0000:\u0000").toString("base64")}`,
        },
        body: "grant_type=client_credentials",
      },
      {
        path: tokenPath,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "%%%=%E0%A4%A&grant_type=%",
      },
      { path: tokenPath, method: "POST" },
      {
        path: `/_domain/${app.domain}/oauth2/revoke`,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `token=%00&client_id=${app.clientId}`,
      },
      { path: `/_domain/${app.domain}/oauth2/authorize?client_id=%00&redirect_uri=%E0%A4%A` },
      {
        path: `/_domain/${app.domain}/oauth2/authorize?${authorizeQuery(app, { scope: "x".repeat(8000), state: "%00" })}`,
      },
      { path: `/_domain/${app.domain}/login?client_id=${app.clientId}%00` },
      { path: `/_domain/${app.domain}/logout?client_id=%00&logout_uri=%00` },
      { path: `/_domain/${app.domain}/error?error=%00&client_id=%00` },
      { path: `/_domain/${"x".repeat(2000)}/oauth2/authorize` },
      { path: `/_domain/%00/oauth2/authorize` },
      {
        path: `/_domain/${app.domain}/oauth2/userInfo`,
        headers: { authorization: "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.eyJpc3MiOiJcdTAwMDAifQ.AA" },
      },
      {
        path: "/oauth2/userInfo",
        headers: {
          authorization:
            "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.eyJpc3MiOiJodHRwOi8veC91cy1lYXN0LTFfeHh4In0.AA",
        },
      },
      {
        path: `/_domain/${app.domain}/oauth2/authorize?${authorizeQuery(app)}`,
        headers: { cookie: "cognito=%E0%A4%A; XSRF-TOKEN=%00" },
      },
      {
        path: `/_domain/${app.domain}/login?${authorizeQuery(app)}`,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: "XSRF-TOKEN=a" },
        body: `_csrf=a&username=${"u".repeat(100_000)}&password=%00`,
      },
      {
        path: `/_domain/${app.domain}/login?${authorizeQuery(app)}`,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: "XSRF-TOKEN=a" },
        body: "_csrf=a&session=x&challenge=NEW_PASSWORD_REQUIRED&parameters=%7B",
      },
      {
        path: `/_domain/${app.domain}/login?${authorizeQuery(app)}`,
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: "XSRF-TOKEN=a" },
        body: "_csrf=a&username=al%00ice&password=x",
      },
    ];
    const failed: string[] = [];
    for (const [index, c] of cases.entries()) {
      const res = await raw(c.path, c);
      if (res.status >= 500) failed.push(`case ${index}: ${c.method ?? "GET"} ${c.path.slice(0, 100)}`);
    }
    expect(failed).toEqual([]);
  });

  it("still works afterwards", async () => {
    const back = await signInOnPage(new Agent(server.url), app, USER);
    const code = callbackParameters(back.location).get("code") ?? "";
    const res = await tokenRequest(app, {
      grant_type: "authorization_code",
      client_id: app.clientId,
      code,
      redirect_uri: REDIRECT_URI,
    });
    expect(res.status).toBe(200);
  });
});
