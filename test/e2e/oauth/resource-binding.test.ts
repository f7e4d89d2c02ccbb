/**
 * Resource binding (RFC 8707; docs/OAUTH.md "Resource binding") through the real server: the
 * authorization request's `resource` becomes the access token's `aud` (code and implicit grants),
 * checked against the pool's JWKS as a resource server would; the ID token keeps the client as its
 * audience; refreshes keep the binding; values outside the callback URLs' rules, and `resource` on
 * the token endpoint other than the bound one or with client_credentials, are `invalid_target`.
 */
import {
  CreateUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../../support/fixtures.js";
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
  pkcePair,
  REDIRECT_URI,
  signInOnPage,
  tokenRequest,
} from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const SCOPE = "openid email aws.cognito.signin.user.admin";

let server: TestServer;
/** A public code and implicit client that may also ask for the API's `read` scope. */
let app: OAuthApp;
let keys: JWTVerifyGetKey;
let issuer: string;
let users = 0;

beforeAll(async () => {
  server = await startTestServer();
  const base = await createOAuthApp(server);
  await createReadApi(server, base.poolId);
  const out = await server.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: base.poolId,
      ClientName: "bound",
      ...oauthClientSettings({
        AllowedOAuthScopes: ["openid", "email", "aws.cognito.signin.user.admin", `${API}/read`],
      }),
    }),
  );
  app = { ...base, clientId: out.UserPoolClient?.ClientId as string };
  issuer = `${server.url}/${app.poolId}`;
  keys = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
});
afterAll(async () => server?.stop());

async function newUser(): Promise<{ username: string; password: string }> {
  users += 1;
  const username = `user${users}`;
  await createUser(server, app.poolId, username, {
    attributes: [{ Name: "email", Value: `${username}@example.com` }],
  });
  return { username, password: PASSWORD };
}

/** Signs a new user in on the pages with the extra authorization parameters; the redirect's parameters. */
async function signIn(extra: Record<string, string>): Promise<URLSearchParams> {
  const back = await signInOnPage(new Agent(server.url), app, await newUser(), { scope: SCOPE, ...extra });
  return callbackParameters(back.location);
}

/** The code flow with PKCE: a code for the authorization parameters, exchanged with the token parameters. */
async function codeFlow(authorize: Record<string, string>, token: Record<string, string> = {}) {
  const { verifier, challenge } = pkcePair();
  const code = (await signIn({ code_challenge: challenge, code_challenge_method: "S256", ...authorize })).get(
    "code",
  );
  if (!code) throw new Error("no code");
  return tokenRequest(app, {
    grant_type: "authorization_code",
    client_id: app.clientId,
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
    ...token,
  });
}

function refresh(refreshToken: unknown, extra: Record<string, string> = {}) {
  return tokenRequest(app, {
    grant_type: "refresh_token",
    client_id: app.clientId,
    refresh_token: String(refreshToken),
    ...extra,
  });
}

/** Verifies an access token's signature against the pool's JWKS, requiring the audience. */
async function verifiedAccess(token: unknown, audience: string) {
  const { payload } = await jwtVerify(String(token), keys, { issuer, audience, algorithms: ["RS256"] });
  return payload;
}

/** Where `/oauth2/authorize` sends a browser without a session for these parameters. */
async function authorizeLocation(extra: Record<string, string>): Promise<string> {
  const res = await new Agent(server.url).get(`${app.base}/oauth2/authorize?${authorizeQuery(app, extra)}`);
  expect(res.status).toBe(302);
  return res.location ?? "";
}

describe("the code flow", () => {
  it("binds the access token to the authorization request's resource; the ID token keeps the client", async () => {
    const res = await codeFlow({ resource: API, scope: `${SCOPE} ${API}/read` });
    expect(res.status).toBe(200);
    const access = await verifiedAccess(res.body.access_token, API);
    expect(access.aud).toBe(API);
    expect(access.client_id).toBe(app.clientId);
    expect(access.scope).toContain(`${API}/read`);
    const id = await jwtPayload(res.body.id_token);
    expect(id.aud).toBe(app.clientId);
    // A resource server checking its audience refuses a token bound elsewhere.
    await expect(verifiedAccess(res.body.access_token, "https://other.example.com")).rejects.toMatchObject({
      code: "ERR_JWT_CLAIM_VALIDATION_FAILED",
    });
  });

  it("binds any URL of the callback URLs' rules, not only a resource server, whatever the scopes", async () => {
    for (const resource of [
      "http://localhost:8080/api",
      "myapp://orders",
      "https://files.example.com/f/1?v=2",
    ]) {
      const res = await codeFlow({ resource });
      expect(res.status).toBe(200);
      expect((await verifiedAccess(res.body.access_token, resource)).aud).toBe(resource);
    }
  });

  it("gives no aud without resource, and an ID token with the same claims either way", async () => {
    const unbound = await codeFlow({});
    expect(jwtPayload(unbound.body.access_token)).not.toHaveProperty("aud");
    const bound = await codeFlow({ resource: API });
    const claims = (token: unknown) => Object.keys(jwtPayload(token)).sort();
    expect(claims(bound.body.id_token)).toEqual(claims(unbound.body.id_token));
    expect(jwtPayload(bound.body.id_token).aud).toBe(app.clientId);
    const access = (token: unknown) => Object.keys(jwtPayload(token)).filter((claim) => claim !== "aud");
    expect(access(bound.body.access_token).sort()).toEqual(claims(unbound.body.access_token));
  });

  it("takes the bound resource again at the token endpoint, and refuses any other: invalid_target", async () => {
    const same = await codeFlow({ resource: API }, { resource: API });
    expect(same.status).toBe(200);
    expect(jwtPayload(same.body.access_token).aud).toBe(API);
    const other = await codeFlow({ resource: API }, { resource: "https://other.example.com" });
    expect(other).toMatchObject({ status: 400, body: { error: "invalid_target" } });
    expect(other.body).not.toHaveProperty("error_description");
    // The token endpoint does not bind a code the authorization request left unbound.
    const late = await codeFlow({}, { resource: API });
    expect(late).toMatchObject({ status: 400, body: { error: "invalid_target" } });
  });
});

describe("the implicit flow", () => {
  it("binds the access token of the fragment", async () => {
    const fragment = await signIn({ response_type: "token", resource: API });
    expect((await verifiedAccess(fragment.get("access_token"), API)).aud).toBe(API);
    expect(jwtPayload(fragment.get("id_token")).aud).toBe(app.clientId);
  });
});

describe("refreshing", () => {
  it("keeps the binding, at the token endpoint and through the JSON API", async () => {
    const { body } = await codeFlow({ resource: API });
    const refreshed = await refresh(body.refresh_token);
    expect(refreshed.status).toBe(200);
    expect((await verifiedAccess(refreshed.body.access_token, API)).aud).toBe(API);
    expect(jwtPayload(refreshed.body.id_token).aud).toBe(app.clientId);
    const viaApi = await server.client.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: app.clientId,
        RefreshToken: String(body.refresh_token),
      }),
    );
    expect(jwtPayload(viaApi.AuthenticationResult?.AccessToken).aud).toBe(API);
  });

  it("takes the bound resource again and refuses another, or one for an unbound sign-in: invalid_target", async () => {
    const bound = (await codeFlow({ resource: API })).body;
    expect((await refresh(bound.refresh_token, { resource: API })).status).toBe(200);
    const other = await refresh(bound.refresh_token, { resource: "https://other.example.com" });
    expect(other).toMatchObject({ status: 400, body: { error: "invalid_target" } });
    const unbound = (await codeFlow({})).body;
    expect(await refresh(unbound.refresh_token, { resource: API })).toMatchObject({
      status: 400,
      body: { error: "invalid_target" },
    });
    expect(jwtPayload((await refresh(unbound.refresh_token)).body.access_token)).not.toHaveProperty("aud");
  });

  it("answers invalid_grant for a bad refresh token before looking at resource", async () => {
    expect(await refresh("not-a-token", { resource: "nonsense" })).toMatchObject({
      status: 400,
      body: { error: "invalid_grant" },
    });
  });
});

describe("values the authorize endpoint refuses", () => {
  it("sends the app invalid_target for anything but a URL of the callback URLs' rules", async () => {
    const refused = [
      "api.example.com",
      "http://api.example.com",
      `${API}/#part`,
      "",
      `${API}/a b`,
      `${API}/${"x".repeat(1024)}`,
    ];
    for (const resource of refused) {
      expect(await authorizeLocation({ resource }), resource).toBe(
        `${REDIRECT_URI}?state=state-123&error=invalid_target`,
      );
    }
    expect(await authorizeLocation({ resource: API, response_type: "token" })).toMatch(/\/login\?/);
    expect(await authorizeLocation({ resource: "api", response_type: "token" })).toBe(
      `${REDIRECT_URI}#state=state-123&error=invalid_target`,
    );
  });

  it("takes one resource: a second is a repeated parameter, invalid_request", async () => {
    const query = authorizeQuery(app, { resource: API });
    query.append("resource", "https://other.example.com");
    const res = await new Agent(server.url).get(`${app.base}/oauth2/authorize?${query}`);
    expect(res.location).toBe(`${REDIRECT_URI}?state=state-123&error=invalid_request`);
  });

  it("checks the scopes first", async () => {
    expect(await authorizeLocation({ resource: "nonsense", scope: "openid nonsense" })).toBe(
      `${REDIRECT_URI}?error_description=invalid_scope&state=state-123&error=invalid_request`,
    );
  });
});

describe("client_credentials", () => {
  let m2m: OAuthApp;
  beforeAll(async () => {
    const out = await server.client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: app.poolId,
        ClientName: "m2m",
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: [`${API}/read`],
      }),
    );
    m2m = {
      ...app,
      clientId: out.UserPoolClient?.ClientId as string,
      secret: out.UserPoolClient?.ClientSecret,
    };
  });

  const credentials = (extra: Record<string, string> = {}) =>
    tokenRequest(
      m2m,
      { grant_type: "client_credentials", scope: `${API}/read`, ...extra },
      { id: m2m.clientId, secret: m2m.secret ?? "" },
    );

  it("gives an access token without aud", async () => {
    const res = await credentials();
    expect(res.status).toBe(200);
    expect(jwtPayload(res.body.access_token)).not.toHaveProperty("aud");
  });

  it("cannot bind a resource, even the resource server's: invalid_target", async () => {
    for (const resource of [API, "not a url"]) {
      const res = await credentials({ resource });
      expect(res).toMatchObject({ status: 400, body: { error: "invalid_target" } });
      expect(res.body).not.toHaveProperty("error_description");
    }
  });
});
