/**
 * The published keys: JWKS and OpenID discovery per pool, the issuer options, and key rotation.
 */
import { DeleteUserPoolCommand, GetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { assertIsJwks } from "aws-jwt-verify/jwk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  claims,
  createClient,
  createPool,
  createUser,
  expectError,
  header,
  signIn,
  type TestClient,
} from "./support.js";

interface Jwks {
  keys: { alg: string; e: string; kid: string; kty: string; n: string; use: string }[];
}

let server: TestServer;
let poolId: string;
let app: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
  app = await createClient(server, poolId);
  await createUser(server, poolId, "alice");
});
afterAll(async () => server.stop());

async function getJson(url: string): Promise<{ status: number; type: string | null; body: unknown }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get("content-type"), body: await res.json() };
}

describe("GET /{poolId}/.well-known/jwks.json", () => {
  it("publishes the pool's two RSA keys as Cognito does", async () => {
    const res = await getJson(`${server.url}/${poolId}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    const { keys } = res.body as Jwks;
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(Object.keys(key)).toEqual(["alg", "e", "kid", "kty", "n", "use"]);
      expect(key).toMatchObject({ alg: "RS256", e: "AQAB", kty: "RSA", use: "sig" });
      // 2048-bit modulus: 256 bytes of base64url.
      expect(Buffer.from(key.n, "base64url")).toHaveLength(256);
      expect(key.kid).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    }
  });

  it("holds the kids the tokens carry", async () => {
    const tokens = await signIn(server.client, poolId, app.clientId, "alice");
    const { keys } = (await getJson(`${server.url}/${poolId}/.well-known/jwks.json`)).body as Jwks;
    const kids = keys.map((k) => k.kid);
    expect(kids).toContain(header(tokens.IdToken).kid);
    expect(kids).toContain(header(tokens.AccessToken).kid);
  });

  it("answers 404 with Cognito's message for an unknown pool", async () => {
    const res = await getJson(`${server.url}/us-east-1_nOsUchPoo/.well-known/jwks.json`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      __type: "ResourceNotFoundException",
      message: "User pool us-east-1_nOsUchPoo does not exist.",
    });
  });
});

describe("a deleted pool", () => {
  it("takes its keys with it: no JWKS, and its tokens are invalid", async () => {
    const pool = await createPool(server);
    const client = await createClient(server, pool);
    await createUser(server, pool, "gone");
    const tokens = await signIn(server.client, pool, client.clientId, "gone");
    await server.client.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    expect((await getJson(`${server.url}/${pool}/.well-known/jwks.json`)).status).toBe(404);
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      "NotAuthorizedException",
      "Invalid Access Token",
    );
  });
});

describe("GET /{poolId}/.well-known/openid-configuration", () => {
  it("names this server's issuer and JWKS URL, and empty OAuth endpoints without a domain", async () => {
    const res = await getJson(`${server.url}/${poolId}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      authorization_endpoint: "",
      end_session_endpoint: "",
      revocation_endpoint: "",
      token_endpoint: "",
      userinfo_endpoint: "",
      issuer: `${server.url}/${poolId}`,
      jwks_uri: `${server.url}/${poolId}/.well-known/jwks.json`,
      response_types_supported: ["code", "token"],
      scopes_supported: ["openid", "email", "phone", "profile"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    });
  });

  it("answers 404 for an unknown pool", async () => {
    const res = await getJson(`${server.url}/eu-west-1_nOsUchPoo/.well-known/openid-configuration`);
    expect(res.status).toBe(404);
    expect((res.body as { message: string }).message).toBe("User pool eu-west-1_nOsUchPoo does not exist.");
  });
});

describe("issuer options", () => {
  it('"aws" gives Cognito\'s issuer, which CognitoJwtVerifier accepts', async () => {
    const aws = await startTestServer({ server: { issuerBaseUrl: "aws" } });
    try {
      const pool = await createPool(aws);
      const client = await createClient(aws, pool);
      await createUser(aws, pool, "alice");
      const tokens = await signIn(aws.client, pool, client.clientId, "alice");
      expect(claims(tokens.IdToken).iss).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${pool}`);
      const discovery = (await getJson(`${aws.url}/${pool}/.well-known/openid-configuration`)).body as {
        issuer: string;
        jwks_uri: string;
      };
      expect(discovery.issuer).toBe(`https://cognito-idp.us-east-1.amazonaws.com/${pool}`);
      // The keys stay reachable here, not at AWS.
      expect(discovery.jwks_uri).toBe(`${aws.url}/${pool}/.well-known/jwks.json`);
      const jwks = (await getJson(discovery.jwks_uri)).body as Parameters<typeof assertIsJwks>[0];
      assertIsJwks(jwks);

      const idVerifier = CognitoJwtVerifier.create({
        userPoolId: pool,
        tokenUse: "id",
        clientId: client.clientId,
      });
      idVerifier.cacheJwks(jwks);
      expect((await idVerifier.verify(tokens.IdToken))["cognito:username"]).toBe("alice");
      const accessVerifier = CognitoJwtVerifier.create({
        userPoolId: pool,
        tokenUse: "access",
        clientId: client.clientId,
      });
      accessVerifier.cacheJwks(jwks);
      expect((await accessVerifier.verify(tokens.AccessToken)).username).toBe("alice");
      // The server itself accepts its AWS-form tokens.
      const user = await aws.client.send(new GetUserCommand({ AccessToken: tokens.AccessToken }));
      expect(user.Username).toBe("alice");
    } finally {
      await aws.stop();
    }
  });

  it("any other value is the base of the issuer and of the JWKS URL", async () => {
    const custom = await startTestServer({ server: { issuerBaseUrl: "http://cognito.local:9229/" } });
    try {
      const pool = await createPool(custom);
      const client = await createClient(custom, pool);
      await createUser(custom, pool, "alice");
      const tokens = await signIn(custom.client, pool, client.clientId, "alice");
      expect(claims(tokens.AccessToken).iss).toBe(`http://cognito.local:9229/${pool}`);
      const discovery = (await getJson(`${custom.url}/${pool}/.well-known/openid-configuration`)).body;
      expect(discovery).toMatchObject({
        issuer: `http://cognito.local:9229/${pool}`,
        jwks_uri: `http://cognito.local:9229/${pool}/.well-known/jwks.json`,
      });
    } finally {
      await custom.stop();
    }
  });
});

describe("key rotation", () => {
  it("signs with the new key, keeps verifying the old one until it is retired", async () => {
    const pool = await createPool(server);
    const client = await createClient(server, pool);
    await createUser(server, pool, "erin");
    const old = await signIn(server.client, pool, client.clientId, "erin");
    const oldKid = header(old.AccessToken).kid as string;

    const newKid = await server.services.keys.rotate(pool, "access", new Date());
    const fresh = await signIn(server.client, pool, client.clientId, "erin");
    expect(header(fresh.AccessToken).kid).toBe(newKid);
    expect(header(fresh.IdToken).kid).toBe(header(old.IdToken).kid);
    const { keys } = (await getJson(`${server.url}/${pool}/.well-known/jwks.json`)).body as Jwks;
    expect(keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));
    expect(keys).toHaveLength(3);
    await expect(
      server.client.send(new GetUserCommand({ AccessToken: old.AccessToken })),
    ).resolves.toBeDefined();

    expect(await server.services.keys.retire(pool, oldKid, new Date())).toBe(true);
    const after = (await getJson(`${server.url}/${pool}/.well-known/jwks.json`)).body as Jwks;
    expect(after.keys.map((k) => k.kid)).not.toContain(oldKid);
    await expectError(
      server.client.send(new GetUserCommand({ AccessToken: old.AccessToken })),
      "NotAuthorizedException",
      "Invalid Access Token",
    );
    await expect(
      server.client.send(new GetUserCommand({ AccessToken: fresh.AccessToken })),
    ).resolves.toBeDefined();
  });

  it("never retires the key that signs now", async () => {
    const pool = await createPool(server);
    const tokens = await signIn(server.client, poolId, app.clientId, "alice");
    const current = header(tokens.AccessToken).kid as string;
    expect(await server.services.keys.retire(poolId, current, new Date())).toBe(false);
    expect(await server.services.keys.retire(pool, current, new Date())).toBe(false);
  });
});
