/**
 * `POST /oauth2/token` (OAUTH.md §2.5, §5.2) through the real server: client authentication (Basic
 * with form-urlencoded parts, post, public clients, every rotated secret), every `error` of the
 * table with status 400, the authorization code (single use, five minutes, bound to client,
 * redirect URI and PKCE; a replay revokes the first use), refresh with and without rotation and
 * across the JSON API, and client credentials.
 */
import {
  AddUserPoolClientSecretCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminInitiateAuthCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  UpdateResourceServerCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createUser, expectError, PASSWORD, resetClock } from "../../support/fixtures.js";
import {
  Agent,
  callbackParameters,
  createOAuthApp,
  jwtPayload,
  type OAuthApp,
  oauthClientSettings,
  pkcePair,
  REDIRECT_URI,
  signInOnPage,
  tokenRequest,
} from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
/** A public code-flow client. */
let app: OAuthApp;
/** A confidential code-flow client of the same pool. */
let confidential: OAuthApp;
let users = 0;

const API = "https://api.example.com";

beforeAll(async () => {
  server = await startTestServer();
  app = await createOAuthApp(server);
  confidential = await client(app, { GenerateSecret: true });
  await server.client.send(
    new CreateResourceServerCommand({
      UserPoolId: app.poolId,
      Identifier: API,
      Name: "api",
      Scopes: ["read", "write", "gone"].map((s) => ({ ScopeName: s, ScopeDescription: s })),
    }),
  );
});
afterAll(async () => server?.stop());
afterEach(() => resetClock(server));

/** Another app client of the pool, on the same domain. */
async function client(
  base: OAuthApp,
  settings: Parameters<typeof oauthClientSettings>[0] & { GenerateSecret?: boolean; ClientSecret?: string },
): Promise<OAuthApp> {
  const out = await server.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: base.poolId,
      ClientName: "app",
      ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      ...oauthClientSettings(settings),
    }),
  );
  return {
    ...base,
    clientId: out.UserPoolClient?.ClientId as string,
    secret: out.UserPoolClient?.ClientSecret,
  };
}

/** A user of its own (tests disable and delete users). */
async function newUser(): Promise<{ username: string; password: string }> {
  users += 1;
  const username = `user${users}`;
  await createUser(server, app.poolId, username, {
    attributes: [{ Name: "email", Value: `${username}@example.com` }],
  });
  return { username, password: PASSWORD };
}

/** Signs in on the pages for the client; returns the code and the user. */
async function codeFor(
  target: OAuthApp,
  extra: Record<string, string> = {},
  user?: { username: string; password: string },
) {
  const who = user ?? (await newUser());
  const back = await signInOnPage(new Agent(server.url), target, who, {
    scope: "openid email aws.cognito.signin.user.admin",
    ...extra,
  });
  const code = callbackParameters(back.location).get("code");
  if (!code) throw new Error(`no code: ${back.location}`);
  return { code, user: who };
}

function exchange(target: OAuthApp, code: string, extra: Record<string, string> = {}) {
  return tokenRequest(target, {
    grant_type: "authorization_code",
    client_id: target.clientId,
    code,
    redirect_uri: REDIRECT_URI,
    ...extra,
  });
}

/** A raw POST to the token endpoint. */
async function post(body: string, headers: Record<string, string> = {}, path = "/oauth2/token") {
  const res = await fetch(`${app.base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    body: text.startsWith("{") ? JSON.parse(text) : {},
  };
}

const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`,
});

/** Form-urlencodes a credential part as oauth4webapi and openid-client do. */
const formEncode = (part: string) => new URLSearchParams({ x: part }).toString().slice(2);

async function userInfoStatus(accessToken: unknown): Promise<number> {
  const res = await fetch(`${app.base}/oauth2/userInfo`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return res.status;
}

describe("the response", () => {
  it("is JSON with Cognito's members in order and the headers of §2.0", async () => {
    const { code } = await codeFor(app);
    const res = await exchange(app, code);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual([
      "id_token",
      "access_token",
      "refresh_token",
      "expires_in",
      "token_type",
    ]);
    expect(res.body).toMatchObject({ expires_in: 3600, token_type: "Bearer" });
    expect(res.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(res.headers.get("cache-control")).toBe("no-cache, no-store, max-age=0, must-revalidate");
    expect(res.headers.get("pragma")).toBe("no-cache");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-amz-cognito-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is the same on the old /token alias and in any letter case", async () => {
    for (const path of ["/token", "/OAUTH2/Token"]) {
      const { code } = await codeFor(app);
      const res = await post(
        new URLSearchParams({
          grant_type: "authorization_code",
          client_id: app.clientId,
          code,
          redirect_uri: REDIRECT_URI,
        }).toString(),
        {},
        path,
      );
      expect(res.status, path).toBe(200);
    }
  });
});

describe("client authentication", () => {
  it("takes client_secret_basic, plain or with form-urlencoded parts, and client_secret_post", async () => {
    const secret = confidential.secret ?? "";
    const form = (code: string) =>
      new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI }).toString();
    const plain = await post(form((await codeFor(confidential)).code), basic(confidential.clientId, secret));
    expect(plain.status).toBe(200);
    const encoded = await post(
      form((await codeFor(confidential)).code),
      basic(formEncode(confidential.clientId), formEncode(secret)),
    );
    expect(encoded.status).toBe(200);
    const { code } = await codeFor(confidential);
    const posted = await exchange(confidential, code, { client_secret: secret });
    expect(posted.status).toBe(200);
  });

  it("takes a secret with '+' sent raw or as %2B in Basic, and in the body", async () => {
    const secret = "abc+def+ghi+jkl+mno+pqr+stu";
    const plus = await client(app, { ClientSecret: secret });
    const form = (code: string) =>
      new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI }).toString();
    expect((await post(form((await codeFor(plus)).code), basic(plus.clientId, secret))).status).toBe(200);
    const encoded = await post(form((await codeFor(plus)).code), basic(plus.clientId, formEncode(secret)));
    expect(formEncode(secret)).toContain("%2B");
    expect(encoded.status).toBe(200);
    expect((await exchange(plus, (await codeFor(plus)).code, { client_secret: secret })).status).toBe(200);
  });

  it("accepts every active secret of the client while it rotates, and no deleted one", async () => {
    const rotating = await client(app, { GenerateSecret: true });
    const added = await server.client.send(
      new AddUserPoolClientSecretCommand({ UserPoolId: app.poolId, ClientId: rotating.clientId }),
    );
    const second = added.ClientSecretDescriptor?.ClientSecretValue ?? "";
    for (const secret of [rotating.secret ?? "", second]) {
      const { code } = await codeFor(rotating);
      expect((await exchange(rotating, code, { client_secret: secret })).status).toBe(200);
    }
    const listed = await server.client.send(
      new ListUserPoolClientSecretsCommand({ UserPoolId: app.poolId, ClientId: rotating.clientId }),
    );
    await server.client.send(
      new DeleteUserPoolClientSecretCommand({
        UserPoolId: app.poolId,
        ClientId: rotating.clientId,
        ClientSecretId: listed.ClientSecrets?.[0].ClientSecretId,
      }),
    );
    const { code } = await codeFor(rotating);
    const old = await exchange(rotating, code, { client_secret: rotating.secret ?? "" });
    expect(old).toMatchObject({ status: 400, body: { error: "invalid_client" } });
    expect((await exchange(rotating, code, { client_secret: second })).status).toBe(200);
  });

  it("answers invalid_client with status 400 for every failure to authenticate", async () => {
    const { code } = await codeFor(confidential);
    const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI };
    const cases: [string, Promise<{ status: number; body: Record<string, unknown> }>][] = [
      ["no secret", tokenRequest(confidential, { ...form, client_id: confidential.clientId })],
      [
        "wrong secret",
        tokenRequest(confidential, { ...form, client_id: confidential.clientId, client_secret: "wrong" }),
      ],
      [
        "wrong Basic secret",
        tokenRequest(confidential, form, { id: confidential.clientId, secret: "wrong" }),
      ],
      ["unknown client", tokenRequest(app, { ...form, client_id: "nosuchclient" })],
      ["no client at all", tokenRequest(app, form)],
      [
        "secret for a public client",
        tokenRequest(app, { ...form, client_id: app.clientId, client_secret: "x" }),
      ],
      [
        "Basic and body name different clients",
        tokenRequest(
          confidential,
          { ...form, client_id: app.clientId },
          { id: confidential.clientId, secret: confidential.secret ?? "" },
        ),
      ],
    ];
    for (const [name, call] of cases) {
      const res = await call;
      expect(res, name).toMatchObject({ status: 400, body: { error: "invalid_client" } });
      expect(Object.keys(res.body), name).toEqual(["error"]);
    }
    // None of those spent the code.
    expect((await exchange(confidential, code, { client_secret: confidential.secret ?? "" })).status).toBe(
      200,
    );
  });

  it("refuses a client of another pool", async () => {
    const other = await createOAuthApp(server, { client: { GenerateSecret: false } });
    const res = await tokenRequest(app, {
      grant_type: "refresh_token",
      refresh_token: "x",
      client_id: other.clientId,
    });
    expect(res).toMatchObject({ status: 400, body: { error: "invalid_client" } });
  });

  it("answers a malformed Basic header with invalid_request", async () => {
    const form = new URLSearchParams({ grant_type: "refresh_token", refresh_token: "x" }).toString();
    for (const authorization of [
      `Basic ${Buffer.from("no-colon").toString("base64")}`,
      "Basic !!!not-base64!!!",
      "Basic",
    ]) {
      const res = await post(form, { authorization });
      expect(res.status, authorization).toBe(400);
      expect(res.body, authorization).toEqual({ error: "invalid_request" });
    }
  });
});

describe("the request", () => {
  it("answers invalid_request for a missing grant_type, a wrong content type or a repeated parameter", async () => {
    expect(await post(`client_id=${app.clientId}`)).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    for (const type of ["application/json", "text/plain", "multipart/form-data; boundary=x"]) {
      const res = await post(
        JSON.stringify({ grant_type: "refresh_token", client_id: app.clientId, refresh_token: "x" }),
        { "content-type": type },
      );
      expect(res, type).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    }
    const repeated = await post(
      `grant_type=refresh_token&refresh_token=a&refresh_token=b&client_id=${app.clientId}`,
    );
    expect(repeated).toMatchObject({ status: 400, body: { error: "invalid_request" } });
  });

  it("answers unsupported_grant_type for any other grant", async () => {
    for (const grant of [
      "password",
      "implicit",
      "urn:ietf:params:oauth:grant-type:device_code",
      "AUTHORIZATION_CODE",
    ]) {
      const res = await tokenRequest(app, { grant_type: grant, client_id: app.clientId });
      expect(res, grant).toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } });
    }
  });

  it("refuses GET", async () => {
    const res = await fetch(`${app.base}/oauth2/token?grant_type=refresh_token`);
    expect(res.status).toBe(405);
  });
});

describe("grant_type=authorization_code", () => {
  it("needs the code and the redirect URI", async () => {
    const { code } = await codeFor(app);
    const base = { grant_type: "authorization_code", client_id: app.clientId };
    expect(await tokenRequest(app, { ...base, redirect_uri: REDIRECT_URI })).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    expect(await tokenRequest(app, { ...base, code })).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
  });

  it("refuses an unknown code", async () => {
    const res = await exchange(app, "00000000-0000-4000-8000-000000000000");
    expect(res).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("gives tokens once; a replay is refused and revokes what the first use issued", async () => {
    const { code } = await codeFor(app);
    const first = await exchange(app, code);
    expect(first.status).toBe(200);
    expect(await userInfoStatus(first.body.access_token)).toBe(200);
    const replay = await exchange(app, code);
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await userInfoStatus(first.body.access_token)).toBe(401);
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: String(first.body.access_token) })),
      "NotAuthorizedException",
      "Access Token has been revoked",
    );
    const refresh = await tokenRequest(app, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      refresh_token: String(first.body.refresh_token),
    });
    expect(refresh).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("lives five minutes", async () => {
    const { code: early } = await codeFor(app);
    server.services.clock = () => new Date(Date.now() + 5 * 60_000 - 2_000);
    const inTime = await exchange(app, early);
    expect(inTime.status).toBe(200);
    // Tokens are made when the code is exchanged.
    expect(jwtPayload(inTime.body.access_token).iat).toBeGreaterThanOrEqual(
      Math.floor(Date.now() / 1000) + 290,
    );
    resetClock(server);
    const { code: late } = await codeFor(app);
    server.services.clock = () => new Date(Date.now() + 5 * 60_000 + 1_000);
    expect(await exchange(app, late)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("is bound to the client and the redirect URI", async () => {
    const second = await client(app, { CallbackURLs: [REDIRECT_URI, "https://app.example.com/other"] });
    const { code } = await codeFor(second);
    expect(await exchange(app, code)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const { code: other } = await codeFor(second);
    const wrongUri = await exchange(second, other, { redirect_uri: "https://app.example.com/other" });
    expect(wrongUri).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("needs the PKCE verifier of its challenge; a verifier without a challenge is ignored", async () => {
    const { verifier, challenge } = pkcePair();
    const pkce = { code_challenge: challenge, code_challenge_method: "S256" };
    const { code: missing } = await codeFor(app, pkce);
    expect(await exchange(app, missing)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const { code: wrong } = await codeFor(app, pkce);
    expect(await exchange(app, wrong, { code_verifier: pkcePair().verifier })).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    const { code: right } = await codeFor(app, pkce);
    expect((await exchange(app, right, { code_verifier: verifier })).status).toBe(200);
    const { code: plain } = await codeFor(app);
    expect((await exchange(app, plain, { code_verifier: verifier })).status).toBe(200);
  });

  it("refuses the code of a user disabled or deleted since", async () => {
    const disabled = await codeFor(app);
    await server.client.send(
      new AdminDisableUserCommand({ UserPoolId: app.poolId, Username: disabled.user.username }),
    );
    expect(await exchange(app, disabled.code)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    await server.client.send(
      new AdminEnableUserCommand({ UserPoolId: app.poolId, Username: disabled.user.username }),
    );
    const deleted = await codeFor(app);
    await server.client.send(
      new AdminDeleteUserCommand({ UserPoolId: app.poolId, Username: deleted.user.username }),
    );
    expect(await exchange(app, deleted.code)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });

  it("refuses a client whose code flow is not allowed: unauthorized_client", async () => {
    const implicitOnly = await client(app, { AllowedOAuthFlows: ["implicit"] });
    const res = await exchange(implicitOnly, "00000000-0000-4000-8000-000000000000");
    expect(res).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
    const off = await client(app, { AllowedOAuthFlowsUserPoolClient: false });
    expect(await exchange(off, "x")).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
  });

  it("refuses scopes whose attributes the client cannot read: invalid_grant", async () => {
    const blind = await client(app, { ReadAttributes: ["email", "name"] });
    const { code } = await codeFor(blind, { scope: "openid email" });
    expect(await exchange(blind, code)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const { code: openid } = await codeFor(blind, { scope: "openid" });
    expect((await exchange(blind, openid)).status).toBe(200);
  });
});

describe("grant_type=refresh_token", () => {
  async function signedIn(target: OAuthApp, scope = "openid email aws.cognito.signin.user.admin") {
    const { code, user } = await codeFor(target, { scope });
    const tokens = await exchange(target, code, target.secret ? { client_secret: target.secret } : {});
    return { tokens: tokens.body, user };
  }

  function refresh(target: OAuthApp, refreshToken: unknown, extra: Record<string, string> = {}) {
    return tokenRequest(target, {
      grant_type: "refresh_token",
      client_id: target.clientId,
      refresh_token: String(refreshToken),
      ...extra,
    });
  }

  it("gives new ID and access tokens with the sign-in's scopes, and no refresh token", async () => {
    const { tokens } = await signedIn(app);
    const res = await refresh(app, tokens.refresh_token, { scope: "openid" });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["id_token", "access_token", "expires_in", "token_type"]);
    const access = jwtPayload(res.body.access_token);
    expect(access.scope).toBe(jwtPayload(tokens.access_token).scope);
    expect(access.origin_jti).toBe(jwtPayload(tokens.access_token).origin_jti);
    expect(jwtPayload(res.body.id_token).auth_time).toBe(jwtPayload(tokens.id_token).auth_time);
  });

  it("gives no ID token to a sign-in without openid", async () => {
    const { tokens } = await signedIn(app, "aws.cognito.signin.user.admin");
    expect(tokens.id_token).toBeUndefined();
    const res = await refresh(app, tokens.refresh_token);
    expect(Object.keys(res.body)).toEqual(["access_token", "expires_in", "token_type"]);
  });

  it("rotates the refresh token where the client rotates them, keeping its expiry", async () => {
    const rotating = await client(app, {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
    });
    const { tokens } = await signedIn(rotating);
    const res = await refresh(rotating, tokens.refresh_token);
    expect(Object.keys(res.body)).toEqual([
      "id_token",
      "access_token",
      "refresh_token",
      "expires_in",
      "token_type",
    ]);
    expect(res.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(await refresh(rotating, tokens.refresh_token)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    expect((await refresh(rotating, res.body.refresh_token)).status).toBe(200);
  });

  it("answers invalid_request without the token, invalid_grant for an unknown, foreign, revoked or expired one", async () => {
    expect(await tokenRequest(app, { grant_type: "refresh_token", client_id: app.clientId })).toMatchObject({
      status: 400,
      body: { error: "invalid_request" },
    });
    expect(await refresh(app, "not-a-token")).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    const { tokens } = await signedIn(app);
    const other = await client(app, {});
    expect(await refresh(other, tokens.refresh_token)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    server.services.clock = () => new Date(Date.now() + 31 * 24 * 3600_000);
    expect(await refresh(app, tokens.refresh_token)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
    resetClock(server);
    const revoke = await fetch(`${app.base}/oauth2/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: String(tokens.refresh_token), client_id: app.clientId }),
    });
    expect(revoke.status).toBe(200);
    expect(await refresh(app, tokens.refresh_token)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });

  it("answers invalid_grant for a disabled user", async () => {
    const { tokens, user } = await signedIn(app);
    await server.client.send(
      new AdminDisableUserCommand({ UserPoolId: app.poolId, Username: user.username }),
    );
    expect(await refresh(app, tokens.refresh_token)).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });

  it("answers invalid_request for aws_client_metadata that is not a JSON object", async () => {
    const { tokens } = await signedIn(app);
    for (const metadata of ["not json", "[1]", "null", '"s"']) {
      const res = await refresh(app, tokens.refresh_token, { aws_client_metadata: metadata });
      expect(res, metadata).toMatchObject({ status: 400, body: { error: "invalid_request" } });
    }
    expect((await refresh(app, tokens.refresh_token, { aws_client_metadata: '{"a":"b"}' })).status).toBe(200);
  });

  it("works with GetTokensFromRefreshToken and REFRESH_TOKEN_AUTH, which keep the scopes", async () => {
    const { tokens } = await signedIn(app);
    const scope = jwtPayload(tokens.access_token).scope;
    const viaApi = await server.client.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: app.clientId,
        RefreshToken: String(tokens.refresh_token),
      }),
    );
    expect(jwtPayload(viaApi.AuthenticationResult?.AccessToken).scope).toBe(scope);
    expect(jwtPayload(viaApi.AuthenticationResult?.AccessToken).version).toBe(2);
    const viaFlow = await server.client.send(
      new InitiateAuthCommand({
        ClientId: app.clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: String(tokens.refresh_token) },
      }),
    );
    expect(jwtPayload(viaFlow.AuthenticationResult?.AccessToken).scope).toBe(scope);
    expect(jwtPayload(viaFlow.AuthenticationResult?.IdToken).email).toBe(jwtPayload(tokens.id_token).email);
  });

  it("takes refresh tokens of the JSON API, which keep API sign-in's scope", async () => {
    const user = await newUser();
    const signIn = await server.client
      .send(
        new AdminInitiateAuthCommand({
          UserPoolId: app.poolId,
          ClientId: app.clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
        }),
      )
      .catch(async () => {
        // The public test client lacks the admin flow; use a sibling that has it.
        return undefined;
      });
    const target = signIn ? app : await client(app, {});
    const result =
      signIn ??
      (await server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: app.poolId,
          ClientId: target.clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
        }),
      ));
    const res = await refresh(target, result.AuthenticationResult?.RefreshToken);
    expect(res.status).toBe(200);
    expect(typeof res.body.id_token).toBe("string");
    expect(jwtPayload(res.body.access_token).scope).toBe("aws.cognito.signin.user.admin");
    // GetUser accepts it: it is the API's scope.
    const me = await server.client.send(new GetUserCommand({ AccessToken: String(res.body.access_token) }));
    expect(me.Username).toBe(user.username);
  });
});

describe("grant_type=client_credentials", () => {
  let m2m: OAuthApp;
  beforeAll(async () => {
    m2m = await client(app, {
      GenerateSecret: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: [`${API}/read`, `${API}/write`, `${API}/gone`],
      CallbackURLs: [],
      LogoutURLs: [],
      SupportedIdentityProviders: [],
      ExplicitAuthFlows: [],
    });
  });

  const credentials = (target: OAuthApp, extra: Record<string, string> = {}) =>
    tokenRequest(
      target,
      { grant_type: "client_credentials", ...extra },
      { id: target.clientId, secret: target.secret ?? "" },
    );

  it("gives an access token alone for the client's custom scopes, all of them when none are asked for", async () => {
    const res = await credentials(m2m, { scope: `${API}/read` });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(["access_token", "expires_in", "token_type"]);
    expect(jwtPayload(res.body.access_token).scope).toBe(`${API}/read`);
    const all = await credentials(m2m);
    expect(String(jwtPayload(all.body.access_token).scope).split(" ").sort()).toEqual([
      `${API}/gone`,
      `${API}/read`,
      `${API}/write`,
    ]);
  });

  it("refuses standard scopes, unknown scopes and scopes the client may not have: invalid_scope", async () => {
    for (const scope of [
      "openid",
      `${API}/read openid`,
      "aws.cognito.signin.user.admin",
      `${API}/nosuch`,
      "other/read",
      "",
    ]) {
      expect(await credentials(m2m, { scope }), scope).toMatchObject({
        status: 400,
        body: { error: "invalid_scope" },
      });
    }
  });

  it("drops a scope its resource server no longer defines; none left is invalid_scope", async () => {
    const dropping = await client(app, {
      GenerateSecret: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: [`${API}/read`, `${API}/gone`],
      CallbackURLs: [],
      LogoutURLs: [],
      SupportedIdentityProviders: [],
    });
    await server.client.send(
      new UpdateResourceServerCommand({
        UserPoolId: app.poolId,
        Identifier: API,
        Name: "api",
        Scopes: ["read", "write"].map((s) => ({ ScopeName: s, ScopeDescription: s })),
      }),
    );
    const res = await credentials(dropping, { scope: `${API}/read ${API}/gone` });
    expect(jwtPayload(res.body.access_token).scope).toBe(`${API}/read`);
    expect(await credentials(dropping, { scope: `${API}/gone` })).toMatchObject({
      status: 400,
      body: { error: "invalid_scope" },
    });
  });

  it("needs the switch (invalid_grant), the flow (unauthorized_client) and the secret (invalid_client)", async () => {
    const off = await client(app, {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: false,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: [`${API}/read`],
      CallbackURLs: [],
      LogoutURLs: [],
      SupportedIdentityProviders: [],
    });
    expect(await credentials(off)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await credentials(confidential)).toMatchObject({
      status: 400,
      body: { error: "unauthorized_client" },
    });
    expect(
      await tokenRequest(m2m, { grant_type: "client_credentials", client_id: m2m.clientId }),
    ).toMatchObject({ status: 400, body: { error: "invalid_client" } });
    expect(
      await tokenRequest(app, { grant_type: "client_credentials", client_id: app.clientId }),
    ).toMatchObject({
      status: 400,
      body: { error: "unauthorized_client" },
    });
  });

  it("gives tokens userInfo and GetUser refuse", async () => {
    const res = await credentials(m2m);
    expect(await userInfoStatus(res.body.access_token)).toBe(401);
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: String(res.body.access_token) })),
      "NotAuthorizedException",
      "Invalid Access Token",
    );
  });
});
