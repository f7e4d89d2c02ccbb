/**
 * `/oauth2/userInfo` (OAUTH.md §2.6), `/oauth2/revoke` (§2.7) and `/logout` (§2.4) through the real
 * server: the attributes each scope releases, every 400 and 401 with its exact header and body,
 * revocation's 200/400/401 cases and what a revoked token can no longer do, and every branch of
 * logout, which always ends the browser's session.
 */
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminInitiateAuthCommand,
  CreateUserPoolClientCommand,
  GetUserCommand,
  GlobalSignOutCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createUser, expectError, PASSWORD, resetClock } from "../../support/fixtures.js";
import {
  Agent,
  authorizeQuery,
  callbackParameters,
  createOAuthApp,
  LOGOUT_URI,
  type OAuthApp,
  oauthClientSettings,
  REDIRECT_URI,
  signInOnPage,
  tokenRequest,
} from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let app: OAuthApp;
let users = 0;

const BAD_REQUEST = {
  error: "invalid_request",
  error_description: "Bad OAuth2 request at UserInfo Endpoint",
};
const INVALID_TOKEN = {
  error: "invalid_token",
  error_description: "Access token is expired, disabled, or deleted, or the user has globally signed out.",
};
const challenge = (e: { error: string; error_description: string }) =>
  `Bearer error="${e.error}", error_description="${e.error_description}"`;

beforeAll(async () => {
  server = await startTestServer();
  app = await createOAuthApp(server, {
    pool: {
      Schema: [{ Name: "tier", AttributeDataType: "String", Mutable: true }],
    },
    client: { ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
  });
});
afterAll(async () => server?.stop());
afterEach(() => resetClock(server));

async function newUser(emailVerified = "true") {
  users += 1;
  const username = `user${users}`;
  await createUser(server, app.poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: emailVerified },
      { Name: "phone_number", Value: "+12065551212" },
      { Name: "name", Value: "Ada Lovelace" },
      { Name: "custom:tier", Value: "gold" },
    ],
  });
  return { username, password: PASSWORD };
}

async function client(settings: Parameters<typeof oauthClientSettings>[0] & { GenerateSecret?: boolean }) {
  const out = await server.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: app.poolId,
      ClientName: "app",
      ...oauthClientSettings(settings),
    }),
  );
  return {
    ...app,
    clientId: out.UserPoolClient?.ClientId as string,
    secret: out.UserPoolClient?.ClientSecret,
  };
}

/** Tokens of a sign-in on the pages with these scopes. */
async function tokensFor(
  scope: string,
  target: OAuthApp = app,
  user?: { username: string; password: string },
) {
  const who = user ?? (await newUser());
  const back = await signInOnPage(new Agent(server.url), target, who, { scope });
  const code = callbackParameters(back.location).get("code") ?? "";
  const res = await tokenRequest(target, {
    grant_type: "authorization_code",
    client_id: target.clientId,
    ...(target.secret && { client_secret: target.secret }),
    code,
    redirect_uri: REDIRECT_URI,
  });
  if (res.status !== 200) throw new Error(`token endpoint: ${JSON.stringify(res.body)}`);
  const { id_token, access_token, refresh_token } = res.body as Record<string, string>;
  return { id_token, access_token, refresh_token, user: who };
}

async function userInfo(authorization: string | undefined, method = "GET", base = app.base) {
  const res = await fetch(`${base}/oauth2/userInfo`, {
    method,
    headers: authorization === undefined ? {} : { authorization },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
}

async function expectInvalidToken(token: string) {
  const res = await userInfo(`Bearer ${token}`);
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe(challenge(INVALID_TOKEN));
  expect(res.body).toEqual(INVALID_TOKEN);
}

describe("/oauth2/userInfo", () => {
  it("answers GET and POST with the user, sub first and username last, the flags as strings", async () => {
    const tokens = await tokensFor("openid");
    for (const method of ["GET", "POST"]) {
      const res = await userInfo(`Bearer ${tokens.access_token}`, method);
      expect(res.status, method).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json;charset=UTF-8");
      expect(res.headers.get("cache-control")).toBe("no-cache, no-store, max-age=0, must-revalidate");
      expect(res.body).toEqual({
        sub: expect.any(String),
        email: `${tokens.user.username}@example.com`,
        email_verified: "true",
        phone_number: "+12065551212",
        phone_number_verified: "false",
        name: "Ada Lovelace",
        "custom:tier": "gold",
        username: tokens.user.username,
      });
      const keys = Object.keys(res.body);
      expect(keys[0]).toBe("sub");
      expect(keys.at(-1)).toBe("username");
    }
    const id = JSON.parse(Buffer.from(tokens.id_token.split(".")[1], "base64url").toString());
    expect((await userInfo(`Bearer ${tokens.access_token}`)).body.sub).toBe(id.sub);
    expect(id.email_verified).toBe(true);
  });

  it('says "false" for an e-mail address not verified', async () => {
    const tokens = await tokensFor("openid email", app, await newUser("false"));
    const res = await userInfo(`Bearer ${tokens.access_token}`);
    expect(res.body.email_verified).toBe("false");
  });

  it("releases the e-mail pair for email, the phone pair for phone, the rest for profile", async () => {
    const email = await tokensFor("openid email");
    expect(Object.keys((await userInfo(`Bearer ${email.access_token}`)).body).sort()).toEqual(
      ["email", "email_verified", "sub", "username"].sort(),
    );
    const phone = await tokensFor("openid phone");
    expect(Object.keys((await userInfo(`Bearer ${phone.access_token}`)).body).sort()).toEqual(
      ["phone_number", "phone_number_verified", "sub", "username"].sort(),
    );
    const profile = await tokensFor("openid profile");
    expect(Object.keys((await userInfo(`Bearer ${profile.access_token}`)).body).sort()).toEqual(
      ["custom:tier", "name", "sub", "username"].sort(),
    );
  });

  it("releases only what the client may read", async () => {
    const narrow = await client({ ReadAttributes: ["email", "email_verified", "name"] });
    const tokens = await tokensFor("openid", narrow);
    expect(Object.keys((await userInfo(`Bearer ${tokens.access_token}`)).body).sort()).toEqual(
      ["email", "email_verified", "name", "sub", "username"].sort(),
    );
  });

  it("answers a missing or malformed Authorization header with 400", async () => {
    for (const header of [undefined, "", "Basic abc", "Bearer", "Bearer a b", "Token abc"]) {
      const res = await userInfo(header);
      expect(res.status, String(header)).toBe(400);
      expect(res.headers.get("www-authenticate")).toBe(challenge(BAD_REQUEST));
      expect(res.body).toEqual(BAD_REQUEST);
    }
  });

  it("answers 401 for a bad, ID, API, no-openid, or M2M token", async () => {
    const tokens = await tokensFor("openid aws.cognito.signin.user.admin");
    await expectInvalidToken("not.a.token");
    await expectInvalidToken(tokens.id_token);
    await expectInvalidToken(`${tokens.access_token.slice(0, -4)}AAAA`);
    const noOpenId = await tokensFor("aws.cognito.signin.user.admin");
    await expectInvalidToken(noOpenId.access_token);
    const user = await newUser();
    const api = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      }),
    );
    await expectInvalidToken(String(api.AuthenticationResult?.AccessToken));
  });

  it("answers 401 for an expired token, after a global sign-out, for a disabled or deleted user", async () => {
    const expiring = await tokensFor("openid");
    server.services.clock = () => new Date(Date.now() + 3601_000);
    await expectInvalidToken(expiring.access_token);
    resetClock(server);

    const signedOut = await tokensFor("openid aws.cognito.signin.user.admin");
    await server.client.send(new GlobalSignOutCommand({ AccessToken: signedOut.access_token }));
    await expectInvalidToken(signedOut.access_token);

    const disabled = await tokensFor("openid");
    await server.client.send(
      new AdminDisableUserCommand({ UserPoolId: app.poolId, Username: disabled.user.username }),
    );
    await expectInvalidToken(disabled.access_token);

    const deleted = await tokensFor("openid");
    await server.client.send(
      new AdminDeleteUserCommand({ UserPoolId: app.poolId, Username: deleted.user.username }),
    );
    await expectInvalidToken(deleted.access_token);
  });

  it("refuses implicit tokens after a global sign-out", async () => {
    const user = await newUser();
    const back = await signInOnPage(new Agent(server.url), app, user, {
      response_type: "token",
      scope: "openid aws.cognito.signin.user.admin",
    });
    const access = callbackParameters(back.location).get("access_token") ?? "";
    expect((await userInfo(`Bearer ${access}`)).status).toBe(200);
    await server.client.send(new GlobalSignOutCommand({ AccessToken: access }));
    await expectInvalidToken(access);
  });

  it("answers on this server's own host for the pool the token names", async () => {
    const tokens = await tokensFor("openid");
    const res = await userInfo(`Bearer ${tokens.access_token}`, "GET", server.url);
    expect(res.status).toBe(200);
    expect(res.body.username).toBe(tokens.user.username);
  });
});

describe("/oauth2/revoke", () => {
  async function revoke(form: Record<string, string>, headers: Record<string, string> = {}, base = app.base) {
    const res = await fetch(`${base}/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(form),
    });
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  it("revokes the sign-in: 200 with an empty body; its tokens then fail userInfo, GetUser and refresh", async () => {
    const tokens = await tokensFor("openid aws.cognito.signin.user.admin");
    const res = await revoke({
      token: tokens.refresh_token,
      client_id: app.clientId,
      token_type_hint: "access_token",
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    await expectInvalidToken(tokens.access_token);
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: tokens.access_token })),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
    const refresh = await tokenRequest(app, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      refresh_token: tokens.refresh_token,
    });
    expect(refresh).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    // Revoking it again is still a success.
    expect((await revoke({ token: tokens.refresh_token, client_id: app.clientId })).status).toBe(200);
  });

  it("answers 200 for an unknown token and for another client's, which stays valid", async () => {
    expect((await revoke({ token: "unknown-token", client_id: app.clientId })).status).toBe(200);
    const other = await client({});
    const tokens = await tokensFor("openid", other);
    expect((await revoke({ token: tokens.refresh_token, client_id: app.clientId })).status).toBe(200);
    expect((await userInfo(`Bearer ${tokens.access_token}`)).status).toBe(200);
  });

  it("authenticates a confidential client by Basic or body; bad credentials are 401 invalid_client", async () => {
    const confidential = await client({ GenerateSecret: true });
    const secret = confidential.secret ?? "";
    const basic = (s: string) => ({
      authorization: `Basic ${Buffer.from(`${confidential.clientId}:${s}`).toString("base64")}`,
    });
    const first = await tokensFor("openid", confidential);
    expect((await revoke({ token: first.refresh_token }, basic(secret))).status).toBe(200);
    const second = await tokensFor("openid", confidential);
    expect(
      (await revoke({ token: second.refresh_token, client_id: confidential.clientId, client_secret: secret }))
        .status,
    ).toBe(200);

    const third = await tokensFor("openid", confidential);
    for (const [name, call] of [
      ["wrong Basic secret", revoke({ token: third.refresh_token }, basic("wrong"))],
      ["no secret", revoke({ token: third.refresh_token, client_id: confidential.clientId })],
      ["unknown client", revoke({ token: third.refresh_token, client_id: "nosuchclient" })],
      ["no client", revoke({ token: third.refresh_token })],
    ] as const) {
      const res = await call;
      expect(res.status, name).toBe(401);
      expect(res.body, name).toEqual({ error: "invalid_client" });
      expect(res.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    }
    expect((await userInfo(`Bearer ${third.access_token}`)).status).toBe(200);
  });

  it("answers 400 invalid_request without a token, for a client without revocation, and for a wrong body", async () => {
    expect(await revoke({ client_id: app.clientId })).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    const noRevocation = await client({ EnableTokenRevocation: false });
    const tokens = await tokensFor("openid", noRevocation);
    expect(await revoke({ token: tokens.refresh_token, client_id: noRevocation.clientId })).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    const repeated = await fetch(`${app.base}/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `token=a&token=b&client_id=${app.clientId}`,
    });
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toEqual({ error: "invalid_request" });
    const json = await fetch(`${app.base}/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: "x", client_id: app.clientId }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ error: "invalid_request" });
  });

  it("answers 400 unsupported_token_type for an access or ID token", async () => {
    const tokens = await tokensFor("openid");
    for (const token of [tokens.access_token, tokens.id_token]) {
      expect(await revoke({ token, client_id: app.clientId })).toMatchObject({
        status: 400,
        body: { error: "unsupported_token_type" },
      });
    }
  });
});

describe("/logout", () => {
  /** An agent with a session on the domain. */
  async function signedInAgent() {
    const agent = new Agent(server.url);
    await signInOnPage(agent, app, await newUser());
    expect(agent.cookies.has("cognito")).toBe(true);
    return agent;
  }

  const logout = (agent: Agent, query: Record<string, string> | string) =>
    agent.get(`${app.base}/logout?${typeof query === "string" ? query : new URLSearchParams(query)}`);

  function clearedSessionCookie(res: { headers: Headers }) {
    return res.headers.getSetCookie().find((c) => c.startsWith("cognito="));
  }

  async function expectSignedOut(agent: Agent) {
    const again = await agent.get(`${app.base}/oauth2/authorize?${authorizeQuery(app)}`);
    expect(again.location).toMatch(/\/login\?/);
  }

  it("sends the browser to a registered logout_uri unchanged, without state, and ends the session", async () => {
    const agent = await signedInAgent();
    const res = await logout(agent, { client_id: app.clientId, logout_uri: LOGOUT_URI, state: "s" });
    expect(res.status).toBe(302);
    expect(res.location).toBe(LOGOUT_URI);
    expect(clearedSessionCookie(res)).toBe(
      `cognito=; Path=/_domain/${app.domain}/; HttpOnly; SameSite=Lax; Max-Age=0`,
    );
    await expectSignedOut(agent);
  });

  it("sends the browser to the sign-in page for redirect_uri and response_type, with the same query", async () => {
    const agent = await signedInAgent();
    const query = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: REDIRECT_URI,
      response_type: "code",
      state: "s",
    }).toString();
    const res = await logout(agent, query);
    expect(res.location).toBe(`/_domain/${app.domain}/login?${query}`);
    expect(clearedSessionCookie(res)).toBeDefined();
    // Without a scope the page grants every scope the client allows.
    const page = await agent.get(res.location ?? "");
    expect(page.status).toBe(200);
    await expectSignedOut(agent);
  });

  it("falls back to redirect_uri when the logout_uri is not registered", async () => {
    const agent = await signedInAgent();
    const query = new URLSearchParams({
      client_id: app.clientId,
      logout_uri: "https://evil.example/out",
      redirect_uri: REDIRECT_URI,
      response_type: "code",
    }).toString();
    expect((await logout(agent, query)).location).toBe(`/_domain/${app.domain}/login?${query}`);
  });

  it("sends anything else to the error page with the original query, the session ended all the same", async () => {
    const queries: Record<string, string>[] = [
      { client_id: app.clientId },
      { client_id: app.clientId, logout_uri: `${LOGOUT_URI}/` },
      { client_id: app.clientId, logout_uri: LOGOUT_URI.toUpperCase() },
      { client_id: app.clientId, post_logout_redirect_uri: LOGOUT_URI },
      { client_id: app.clientId, redirect_uri: "https://evil.example", response_type: "code" },
      { client_id: app.clientId, redirect_uri: REDIRECT_URI },
      { client_id: "nosuchclient", logout_uri: LOGOUT_URI },
      { logout_uri: LOGOUT_URI },
    ];
    for (const query of queries) {
      const agent = await signedInAgent();
      const raw = new URLSearchParams(query).toString();
      const res = await logout(agent, raw);
      expect(res.location, raw).toBe(`/_domain/${app.domain}/error?${raw}`);
      expect(clearedSessionCookie(res), raw).toBeDefined();
      await expectSignedOut(agent);
      const page = await agent.get(res.location ?? "");
      expect(page.status).toBe(400);
      expect(page.body).toContain("Required String parameter &#39;redirect_uri&#39; is not present");
    }
  });

  it("does not revoke tokens", async () => {
    const tokens = await tokensFor("openid");
    const agent = new Agent(server.url);
    await logout(agent, { client_id: app.clientId, logout_uri: LOGOUT_URI });
    expect((await userInfo(`Bearer ${tokens.access_token}`)).status).toBe(200);
  });
});
