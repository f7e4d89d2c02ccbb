/**
 * The tokens of the domain endpoints (OAUTH.md §8, §5.2; TOKENS.md §2–3): claims and their order,
 * `at_hash` that verifies, `nonce`, `version`, `scope` with custom scopes, attributes limited by
 * scope, `auth_time` kept by single sign-on and refresh, `origin_jti`/`jti` only with revocation, and
 * the client's own token of a client_credentials grant.
 */
import { createHash } from "node:crypto";
import {
  AdminAddUserToGroupCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createUser, PASSWORD, resetClock } from "../../support/fixtures.js";
import {
  Agent,
  API,
  authorizeQuery,
  callbackParameters,
  createOAuthApp,
  createReadApi,
  jwtPayload,
  type OAuthApp,
  oauthClientSettings,
  REDIRECT_URI,
  signInOnPage,
  tokenRequest,
} from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let app: OAuthApp;
const USER = { username: "ada", password: PASSWORD };

beforeAll(async () => {
  server = await startTestServer();
  app = await createOAuthApp(server);
  await createReadApi(server, app.poolId);
  app = await client({
    AllowedOAuthScopes: [
      "openid",
      "email",
      "phone",
      "profile",
      "aws.cognito.signin.user.admin",
      `${API}/read`,
    ],
  });
  await createUser(server, app.poolId, "ada", {
    attributes: [
      { Name: "email", Value: "ada@example.com" },
      { Name: "email_verified", Value: "true" },
      { Name: "name", Value: "Ada" },
    ],
  });
  await server.client.send(new CreateGroupCommand({ UserPoolId: app.poolId, GroupName: "admins" }));
  await server.client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: app.poolId, Username: "ada", GroupName: "admins" }),
  );
});
afterAll(async () => server?.stop());
afterEach(() => resetClock(server));

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

async function codeTokens(
  target: OAuthApp,
  extra: Record<string, string> = {},
  agent = new Agent(server.url),
) {
  const back = await signInOnPage(agent, target, USER, extra);
  const code = callbackParameters(back.location).get("code") ?? "";
  const res = await tokenRequest(target, {
    grant_type: "authorization_code",
    client_id: target.clientId,
    code,
    redirect_uri: REDIRECT_URI,
  });
  return res.body as Record<string, string>;
}

const atHash = (accessToken: string) =>
  createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");

describe("code grant tokens", () => {
  it("carry Cognito's claims in Cognito's order", async () => {
    const tokens = await codeTokens(app, { scope: `openid email ${API}/read`, nonce: "n-0S6_WzA2Mj" });
    const id = jwtPayload(tokens.id_token);
    expect(Object.keys(id)).toEqual([
      "at_hash",
      "sub",
      "cognito:groups",
      "email_verified",
      "iss",
      "cognito:username",
      "nonce",
      "origin_jti",
      "aud",
      "event_id",
      "token_use",
      "auth_time",
      "exp",
      "iat",
      "jti",
      "email",
    ]);
    expect(id).toMatchObject({
      at_hash: atHash(tokens.access_token),
      "cognito:groups": ["admins"],
      email_verified: true,
      iss: `${server.url}/${app.poolId}`,
      "cognito:username": "ada",
      nonce: "n-0S6_WzA2Mj",
      aud: app.clientId,
      token_use: "id",
      email: "ada@example.com",
    });
    expect(id.exp).toBe((id.iat as number) + 3600);
    const access = jwtPayload(tokens.access_token);
    expect(Object.keys(access)).toEqual([
      "sub",
      "cognito:groups",
      "iss",
      "version",
      "client_id",
      "origin_jti",
      "event_id",
      "token_use",
      "scope",
      "auth_time",
      "exp",
      "iat",
      "jti",
      "username",
    ]);
    expect(access).toMatchObject({
      version: 2,
      client_id: app.clientId,
      token_use: "access",
      username: "ada",
    });
    expect(String(access.scope).split(" ").sort()).toEqual(["email", `${API}/read`, "openid"].sort());
    expect(access.origin_jti).toBe(id.origin_jti);
    expect(access.event_id).toBe(id.event_id);
    expect(access.jti).not.toBe(id.jti);
    expect(access).not.toHaveProperty("aud");
  });

  it("have no nonce when none was sent", async () => {
    expect(jwtPayload((await codeTokens(app, { scope: "openid" })).id_token)).not.toHaveProperty("nonce");
  });

  it("carry the attributes the scopes release", async () => {
    const email = jwtPayload((await codeTokens(app, { scope: "openid email" })).id_token);
    expect(email).toMatchObject({ email: "ada@example.com", email_verified: true });
    expect(email).not.toHaveProperty("name");
    const profile = jwtPayload((await codeTokens(app, { scope: "openid profile" })).id_token);
    expect(profile.name).toBe("Ada");
    expect(profile).not.toHaveProperty("email");
    expect(profile).not.toHaveProperty("email_verified");
    const openid = jwtPayload((await codeTokens(app, { scope: "openid" })).id_token);
    expect(openid).toMatchObject({ email: "ada@example.com", email_verified: true, name: "Ada" });
  });

  it("have neither origin_jti nor jti where the client does not revoke tokens", async () => {
    const plain = await client({ EnableTokenRevocation: false });
    const tokens = await codeTokens(plain, { scope: "openid" });
    for (const token of [tokens.id_token, tokens.access_token]) {
      expect(jwtPayload(token)).not.toHaveProperty("origin_jti");
      expect(jwtPayload(token)).not.toHaveProperty("jti");
    }
  });

  it("keep the sign-in's auth_time through single sign-on and refresh", async () => {
    const agent = new Agent(server.url);
    const first = await codeTokens(app, { scope: "openid" }, agent);
    const authTime = jwtPayload(first.id_token).auth_time as number;
    server.services.clock = () => new Date(Date.now() + 10 * 60_000);
    const silent = await agent.get(
      `${app.base}/oauth2/authorize?${authorizeQuery(app, { scope: "openid" })}`,
    );
    const code = callbackParameters(silent.location).get("code") ?? "";
    const second = await tokenRequest(app, {
      grant_type: "authorization_code",
      client_id: app.clientId,
      code,
      redirect_uri: REDIRECT_URI,
    });
    expect(jwtPayload(second.body.id_token).auth_time).toBe(authTime);
    expect(jwtPayload(second.body.access_token).auth_time).toBe(authTime);
    expect(jwtPayload(second.body.id_token).iat).toBeGreaterThan(authTime + 500);
    const refreshed = await tokenRequest(app, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      refresh_token: first.refresh_token,
    });
    const id = jwtPayload(refreshed.body.id_token);
    expect(id.auth_time).toBe(authTime);
    expect(id.at_hash).toBe(atHash(String(refreshed.body.access_token)));
    expect(id.origin_jti).toBe(jwtPayload(first.id_token).origin_jti);
  });
});

describe("implicit grant tokens", () => {
  it("carry at_hash and nonce, and scope in the access token", async () => {
    const back = await signInOnPage(new Agent(server.url), app, USER, {
      response_type: "token",
      nonce: "xyz",
      scope: "openid email",
    });
    const parameters = callbackParameters(back.location);
    const access = parameters.get("access_token") ?? "";
    const id = jwtPayload(parameters.get("id_token"));
    expect(id.at_hash).toBe(atHash(access));
    expect(id.nonce).toBe("xyz");
    expect(jwtPayload(access)).toMatchObject({ version: 2, scope: "openid email" });
  });
});

describe("client credentials tokens", () => {
  it("name the client as the subject, in Cognito's order, without user, groups or origin_jti", async () => {
    const m2m = await client({
      GenerateSecret: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: [`${API}/read`],
      CallbackURLs: [],
      LogoutURLs: [],
      SupportedIdentityProviders: [],
    });
    const res = await tokenRequest(
      app,
      { grant_type: "client_credentials" },
      { id: m2m.clientId, secret: m2m.secret ?? "" },
    );
    const access = jwtPayload(res.body.access_token);
    expect(Object.keys(access)).toEqual([
      "sub",
      "token_use",
      "scope",
      "auth_time",
      "iss",
      "exp",
      "iat",
      "version",
      "jti",
      "client_id",
    ]);
    expect(access).toMatchObject({
      sub: m2m.clientId,
      token_use: "access",
      scope: `${API}/read`,
      iss: `${server.url}/${app.poolId}`,
      version: 2,
      client_id: m2m.clientId,
    });
    expect(access.auth_time).toBe(access.iat);
    expect(access.exp).toBe((access.iat as number) + 3600);
  });
});
