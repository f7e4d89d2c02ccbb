/**
 * Independent relying parties against the real server (OAUTH.md §9): `openid-client` discovers the
 * pool from its issuer (this server's URL + pool id), runs the code flow with PKCE (the sign-in form
 * driven by the cookie-keeping agent), verifies the ID token (signature, nonce, and at_hash here),
 * refreshes, reads userInfo, revokes, and gets a client-credentials token; `aws-jwt-verify` accepts
 * the tokens, with the generic verifier on this issuer and CognitoJwtVerifier on Cognito's own.
 */
import { createHash } from "node:crypto";
import { CreateUserPoolClientCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier, JwtRsaVerifier } from "aws-jwt-verify";
import { type Jwks, SimpleJwksCache } from "aws-jwt-verify/jwk";
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../../support/fixtures.js";
import {
  Agent,
  API,
  createOAuthApp,
  createReadApi,
  formAction,
  hiddenField,
  type OAuthApp,
  REDIRECT_URI,
} from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let app: OAuthApp;
let confidential: { clientId: string; secret: string };
let m2m: { clientId: string; secret: string };

beforeAll(async () => {
  server = await startTestServer();
  app = await createOAuthApp(server);
  await createUser(server, app.poolId, "ada", {
    attributes: [
      { Name: "email", Value: "ada@example.com" },
      { Name: "email_verified", Value: "true" },
      { Name: "name", Value: "Ada Lovelace" },
    ],
  });
  const secretClient = await server.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: app.poolId,
      ClientName: "confidential",
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email", "profile"],
      CallbackURLs: [REDIRECT_URI],
      SupportedIdentityProviders: ["COGNITO"],
    }),
  );
  confidential = {
    clientId: secretClient.UserPoolClient?.ClientId as string,
    secret: secretClient.UserPoolClient?.ClientSecret as string,
  };
  await createReadApi(server, app.poolId);
  const machine = await server.client.send(
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
    clientId: machine.UserPoolClient?.ClientId as string,
    secret: machine.UserPoolClient?.ClientSecret as string,
  };
});
afterAll(async () => server?.stop());

const INSECURE = { execute: [oidc.allowInsecureRequests] };

/** Discovery from the issuer, as a relying party is configured. */
function discover(
  clientId: string,
  auth: oidc.ClientAuth = oidc.None(),
  issuer = `${server.url}/${app.poolId}`,
) {
  return oidc.discovery(new URL(issuer), clientId, undefined, auth, INSECURE);
}

/** The browser's part: follow authorize to the sign-in page, sign in, return the callback URL. */
async function signInAt(authorizationUrl: URL): Promise<URL> {
  const agent = new Agent(server.url);
  const authorize = await agent.get(authorizationUrl.href);
  expect(authorize.status).toBe(302);
  const page = await agent.get(authorize.location ?? "");
  const back = await agent.post(formAction(page.body), {
    _csrf: hiddenField(page.body, "_csrf"),
    username: "ada",
    password: PASSWORD,
  });
  expect(back.location?.startsWith(REDIRECT_URI)).toBe(true);
  return new URL(back.location ?? "");
}

/** The code flow with PKCE, nonce and state, as openid-client runs it. */
async function codeFlow(config: oidc.Configuration, scope = "openid email profile") {
  const verifier = oidc.randomPKCECodeVerifier();
  const nonce = oidc.randomNonce();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    nonce,
    state,
  });
  const callback = await signInAt(url);
  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier,
    expectedNonce: nonce,
    expectedState: state,
    idTokenExpected: true,
  });
  return { tokens, nonce };
}

const atHash = (accessToken: string) =>
  createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");

/** aws-jwt-verify fetches over https only; this lets it read the plain-http JWKS URL. */
function httpJwksCache() {
  return new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } });
}

describe("openid-client", () => {
  it("discovers the pool from its issuer, with the domain's endpoints", async () => {
    const config = await discover(app.clientId);
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(`${server.url}/${app.poolId}`);
    expect(metadata.authorization_endpoint).toBe(`${app.base}/oauth2/authorize`);
    expect(metadata.token_endpoint).toBe(`${app.base}/oauth2/token`);
    expect(metadata.userinfo_endpoint).toBe(`${app.base}/oauth2/userInfo`);
    expect(metadata.revocation_endpoint).toBe(`${app.base}/oauth2/revoke`);
  });

  it("runs the code flow with PKCE for a public client and verifies the ID token", async () => {
    const config = await discover(app.clientId);
    oidc.enableNonRepudiationChecks(config);
    const { tokens, nonce } = await codeFlow(config);
    const claims = tokens.claims();
    expect(claims).toMatchObject({
      iss: `${server.url}/${app.poolId}`,
      aud: app.clientId,
      nonce,
      at_hash: atHash(tokens.access_token),
      email: "ada@example.com",
      "cognito:username": "ada",
    });
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.expiresIn()).toBeGreaterThan(3590);
    expect(typeof tokens.refresh_token).toBe("string");
  });

  it("authenticates a confidential client with client_secret_basic and client_secret_post", async () => {
    for (const auth of [
      oidc.ClientSecretBasic(confidential.secret),
      oidc.ClientSecretPost(confidential.secret),
    ]) {
      const config = await discover(confidential.clientId, auth);
      const { tokens } = await codeFlow(config, "openid email");
      expect(tokens.claims()?.aud).toBe(confidential.clientId);
    }
  });

  it("refreshes, reads userInfo for the ID token's subject, and revokes", async () => {
    const config = await discover(app.clientId);
    const { tokens } = await codeFlow(config);
    const sub = tokens.claims()?.sub ?? "";

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? "");
    expect(refreshed.refresh_token).toBeUndefined();
    expect(refreshed.claims()?.sub).toBe(sub);
    expect(refreshed.claims()?.at_hash).toBe(atHash(refreshed.access_token));

    const info = await oidc.fetchUserInfo(config, refreshed.access_token, sub);
    expect(info).toMatchObject({
      sub,
      email: "ada@example.com",
      email_verified: "true",
      name: "Ada Lovelace",
      username: "ada",
    });

    await oidc.tokenRevocation(config, tokens.refresh_token ?? "");
    const refused = await oidc.fetchUserInfo(config, refreshed.access_token, sub).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    const challenge = (refused as oidc.WWWAuthenticateChallengeError).cause[0];
    expect(challenge.scheme).toBe("bearer");
    expect(challenge.parameters.error).toBe("invalid_token");
    const again = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? "").catch((e: unknown) => e);
    expect(again).toBeInstanceOf(oidc.ResponseBodyError);
    expect((again as oidc.ResponseBodyError).error).toBe("invalid_grant");
  });

  it("gets a client-credentials token", async () => {
    const config = await discover(m2m.clientId, oidc.ClientSecretBasic(m2m.secret));
    const tokens = await oidc.clientCredentialsGrant(config, { scope: `${API}/read` });
    expect(tokens.scope).toBeUndefined();
    expect(tokens.expiresIn()).toBeGreaterThan(3590);
    const bad = await oidc.clientCredentialsGrant(config, { scope: "openid" }).catch((e: unknown) => e);
    expect((bad as oidc.ResponseBodyError).error).toBe("invalid_scope");
  });
});

describe("aws-jwt-verify", () => {
  it("verifies the ID and access tokens with the generic verifier on this issuer", async () => {
    const config = await discover(app.clientId);
    const { tokens } = await codeFlow(config);
    const issuer = `${server.url}/${app.poolId}`;
    const jwksUri = `${issuer}/.well-known/jwks.json`;
    const id = JwtRsaVerifier.create(
      { issuer, audience: app.clientId, jwksUri },
      { jwksCache: httpJwksCache() },
    );
    expect((await id.verify(tokens.id_token ?? "")).token_use).toBe("id");
    const access = JwtRsaVerifier.create(
      {
        issuer,
        audience: null,
        jwksUri,
        customJwtCheck: ({ payload }) => expect(payload.client_id).toBe(app.clientId),
      },
      { jwksCache: httpJwksCache() },
    );
    expect((await access.verify(tokens.access_token)).scope).toContain("openid");
  });

  it("verifies them with CognitoJwtVerifier where the issuer is Cognito's own", async () => {
    const config = server.services.config.server;
    const previous = config.issuerBaseUrl;
    config.issuerBaseUrl = "aws";
    try {
      // Cognito's issuer is not this server: openid-client is pointed at the discovery document itself.
      const discovered = await oidc.discovery(
        new URL(`${server.url}/${app.poolId}/.well-known/openid-configuration`),
        app.clientId,
        undefined,
        oidc.None(),
        INSECURE,
      );
      expect(discovered.serverMetadata().issuer).toBe(
        `https://cognito-idp.us-east-1.amazonaws.com/${app.poolId}`,
      );
      const { tokens } = await codeFlow(discovered);
      const jwks = (await (await fetch(`${server.url}/${app.poolId}/.well-known/jwks.json`)).json()) as Jwks;
      const id = CognitoJwtVerifier.create({
        userPoolId: app.poolId,
        tokenUse: "id",
        clientId: app.clientId,
      });
      id.cacheJwks(jwks);
      expect((await id.verify(tokens.id_token ?? ""))["cognito:username"]).toBe("ada");
      const access = CognitoJwtVerifier.create({
        userPoolId: app.poolId,
        tokenUse: "access",
        clientId: app.clientId,
        scope: "openid",
      });
      access.cacheJwks(jwks);
      expect((await access.verify(tokens.access_token)).username).toBe("ada");

      const machine = await oidc.clientCredentialsGrant(
        await oidc.discovery(
          new URL(`${server.url}/${app.poolId}/.well-known/openid-configuration`),
          m2m.clientId,
          undefined,
          oidc.ClientSecretBasic(m2m.secret),
          INSECURE,
        ),
      );
      const m2mVerifier = CognitoJwtVerifier.create({
        userPoolId: app.poolId,
        tokenUse: "access",
        clientId: m2m.clientId,
        scope: `${API}/read`,
      });
      m2mVerifier.cacheJwks(jwks);
      expect((await m2mVerifier.verify(machine.access_token)).sub).toBe(m2m.clientId);
    } finally {
      config.issuerBaseUrl = previous;
    }
  });
});
