/**
 * ID and access tokens from a real sign-in: Cognito's claims in Cognito's order, lifetimes from
 * the client, and signatures that third-party verifiers accept from the published keys.
 */
import {
  AdminAddUserToGroupCommand,
  AdminUpdateUserAttributesCommand,
  CreateGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { JwtRsaVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import { claims, createClient, createPool, createUser, header, signIn, type TestClient } from "./support.js";

let server: TestServer;
let poolId: string;
let app: TestClient;

/** aws-jwt-verify fetches over https only; this fetcher lets it read our plain-http JWKS URL. */
const httpJwks = () =>
  new SimpleJwksCache({ fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() } });

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server, {
    Schema: [{ Name: "tier", AttributeDataType: "String", Mutable: true }],
  });
  app = await createClient(server, poolId);
  await createUser(server, poolId, "alice", {
    attributes: [
      { Name: "email", Value: "alice@example.com" },
      { Name: "email_verified", Value: "true" },
      { Name: "given_name", Value: "Alice" },
      { Name: "custom:tier", Value: "gold" },
      { Name: "address", Value: "1 Main St" },
      { Name: "updated_at", Value: "1700000000" },
    ],
  });
});
afterAll(async () => server.stop());

describe("ID token", () => {
  it("carries Cognito's claims in Cognito's order, then the attributes", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { IdToken } = await signIn(server.client, poolId, app.clientId, "alice");
    const c = claims(IdToken);
    expect(Object.keys(c).slice(0, 12)).toEqual([
      "sub",
      "email_verified",
      "iss",
      "cognito:username",
      "origin_jti",
      "aud",
      "event_id",
      "token_use",
      "auth_time",
      "exp",
      "iat",
      "jti",
    ]);
    expect(c.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.email_verified).toBe(true);
    expect(c.iss).toBe(`${server.url}/${poolId}`);
    expect(c["cognito:username"]).toBe("alice");
    expect(c.aud).toBe(app.clientId);
    expect(c.token_use).toBe("id");
    expect(c.iat).toBeGreaterThanOrEqual(before);
    expect(c.auth_time).toBe(c.iat);
    expect(c.exp).toBe((c.iat as number) + 3600);
    expect(c.jti).not.toBe(c.origin_jti);
    expect(c.email).toBe("alice@example.com");
    expect(c.given_name).toBe("Alice");
    expect(c["custom:tier"]).toBe("gold");
    expect(c.updated_at).toBe(1700000000);
    expect(c.address).toEqual({ formatted: "1 Main St" });
    expect(c).not.toHaveProperty("cognito:groups");
  });

  it("has the header Cognito uses: kid and RS256, no typ", async () => {
    const { IdToken, AccessToken } = await signIn(server.client, poolId, app.clientId, "alice");
    expect(Object.keys(header(IdToken))).toEqual(["kid", "alg"]);
    expect(header(IdToken).alg).toBe("RS256");
    // ID and access tokens are signed with different keys of the pool.
    expect(header(IdToken).kid).not.toBe(header(AccessToken).kid);
  });

  it("holds only the attributes the client may read", async () => {
    const reader = await createClient(server, poolId, { ReadAttributes: ["email", "custom:tier"] });
    const c = claims((await signIn(server.client, poolId, reader.clientId, "alice")).IdToken);
    expect(c.email).toBe("alice@example.com");
    expect(c["custom:tier"]).toBe("gold");
    expect(c).not.toHaveProperty("given_name");
    expect(c).not.toHaveProperty("email_verified");
  });
});

describe("access token", () => {
  it("carries Cognito's claims in Cognito's order and no attributes", async () => {
    const { AccessToken, IdToken } = await signIn(server.client, poolId, app.clientId, "alice");
    const c = claims(AccessToken);
    const id = claims(IdToken);
    expect(Object.keys(c)).toEqual([
      "sub",
      "iss",
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
    expect(c.client_id).toBe(app.clientId);
    expect(c.token_use).toBe("access");
    expect(c.scope).toBe("aws.cognito.signin.user.admin");
    expect(c.username).toBe("alice");
    expect(c.sub).toBe(id.sub);
    // One sign-in: the two tokens share its origin and event, not their own ids.
    expect(c.origin_jti).toBe(id.origin_jti);
    expect(c.event_id).toBe(id.event_id);
    expect(c.jti).not.toBe(id.jti);
  });

  it("gets a new origin_jti and event_id for every sign-in", async () => {
    const a = claims((await signIn(server.client, poolId, app.clientId, "alice")).AccessToken);
    const b = claims((await signIn(server.client, poolId, app.clientId, "alice")).AccessToken);
    expect(a.origin_jti).not.toBe(b.origin_jti);
    expect(a.event_id).not.toBe(b.event_id);
  });
});

describe("groups", () => {
  it("lists groups by precedence, with the roles and the preferred role of the first", async () => {
    const groupPool = await createPool(server);
    const groupApp = await createClient(server, groupPool);
    await createUser(server, groupPool, "bob");
    const groups = [
      { GroupName: "viewers", Precedence: 20, RoleArn: "arn:aws:iam::000000000000:role/viewer" },
      { GroupName: "admins", Precedence: 1, RoleArn: "arn:aws:iam::000000000000:role/admin" },
      { GroupName: "beta" },
    ];
    for (const group of groups) {
      await server.client.send(new CreateGroupCommand({ UserPoolId: groupPool, ...group }));
      await server.client.send(
        new AdminAddUserToGroupCommand({
          UserPoolId: groupPool,
          Username: "bob",
          GroupName: group.GroupName,
        }),
      );
    }
    const tokens = await signIn(server.client, groupPool, groupApp.clientId, "bob");
    const id = claims(tokens.IdToken);
    expect(Object.keys(id).slice(0, 4)).toEqual([
      "sub",
      "cognito:groups",
      "cognito:preferred_role",
      "cognito:roles",
    ]);
    expect(id["cognito:groups"]).toEqual(["admins", "viewers", "beta"]);
    expect(id["cognito:preferred_role"]).toBe("arn:aws:iam::000000000000:role/admin");
    expect(id["cognito:roles"]).toEqual([
      "arn:aws:iam::000000000000:role/admin",
      "arn:aws:iam::000000000000:role/viewer",
    ]);
    const access = claims(tokens.AccessToken);
    expect(Object.keys(access).slice(0, 3)).toEqual(["sub", "cognito:groups", "iss"]);
    expect(access["cognito:groups"]).toEqual(["admins", "viewers", "beta"]);
    expect(access).not.toHaveProperty("cognito:roles");
  });

  it("leaves the preferred role out when groups of equal precedence have different roles", async () => {
    const tiePool = await createPool(server);
    const tieApp = await createClient(server, tiePool);
    await createUser(server, tiePool, "carol");
    for (const name of ["red", "blue"]) {
      await server.client.send(
        new CreateGroupCommand({
          UserPoolId: tiePool,
          GroupName: name,
          Precedence: 5,
          RoleArn: `arn:aws:iam::000000000000:role/${name}`,
        }),
      );
      await server.client.send(
        new AdminAddUserToGroupCommand({ UserPoolId: tiePool, Username: "carol", GroupName: name }),
      );
    }
    const id = claims((await signIn(server.client, tiePool, tieApp.clientId, "carol")).IdToken);
    expect(id["cognito:groups"]).toEqual(["blue", "red"]);
    expect(id).not.toHaveProperty("cognito:preferred_role");
    expect(id["cognito:roles"]).toHaveLength(2);
  });
});

describe("client settings", () => {
  it("takes lifetimes from the client's validity and units; ExpiresIn is the access token's", async () => {
    const short = await createClient(server, poolId, {
      AccessTokenValidity: 10,
      IdTokenValidity: 20,
      TokenValidityUnits: { AccessToken: "minutes", IdToken: "minutes" },
    });
    const tokens = await signIn(server.client, poolId, short.clientId, "alice");
    expect(tokens.ExpiresIn).toBe(600);
    const access = claims(tokens.AccessToken);
    const id = claims(tokens.IdToken);
    expect((access.exp as number) - (access.iat as number)).toBe(600);
    expect((id.exp as number) - (id.iat as number)).toBe(1200);
  });

  it("leaves jti and origin_jti out when the client has token revocation disabled", async () => {
    const plain = await createClient(server, poolId, { EnableTokenRevocation: false });
    const tokens = await signIn(server.client, poolId, plain.clientId, "alice");
    for (const token of [tokens.AccessToken, tokens.IdToken]) {
      expect(claims(token)).not.toHaveProperty("jti");
      expect(claims(token)).not.toHaveProperty("origin_jti");
      expect(claims(token).event_id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("puts fresh attributes into tokens of the next sign-in", async () => {
    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "alice",
        UserAttributes: [{ Name: "given_name", Value: "Alicia" }],
      }),
    );
    const id = claims((await signIn(server.client, poolId, app.clientId, "alice")).IdToken);
    expect(id.given_name).toBe("Alicia");
  });
});

describe("verification by third-party libraries", () => {
  it("passes aws-jwt-verify with the JWKS URL", async () => {
    const tokens = await signIn(server.client, poolId, app.clientId, "alice");
    const issuer = `${server.url}/${poolId}`;
    const jwksUri = `${issuer}/.well-known/jwks.json`;
    const idVerifier = JwtRsaVerifier.create(
      { issuer, audience: app.clientId, jwksUri, customJwtCheck: ({ payload }) => expectUse(payload, "id") },
      { jwksCache: httpJwks() },
    );
    const accessVerifier = JwtRsaVerifier.create(
      {
        issuer,
        audience: null,
        jwksUri,
        customJwtCheck: ({ payload }) => {
          expectUse(payload, "access");
          if (payload.client_id !== app.clientId) throw new Error("client_id");
        },
      },
      { jwksCache: httpJwks() },
    );
    expect((await idVerifier.verify(tokens.IdToken)).sub).toBe(claims(tokens.IdToken).sub);
    expect((await accessVerifier.verify(tokens.AccessToken)).username).toBe("alice");
  });

  it("passes jose with the jwks_uri of the OpenID configuration", async () => {
    const tokens = await signIn(server.client, poolId, app.clientId, "alice");
    const discovery = (await (
      await fetch(`${server.url}/${poolId}/.well-known/openid-configuration`)
    ).json()) as { issuer: string; jwks_uri: string };
    const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const id = await jwtVerify(tokens.IdToken, keys, {
      issuer: discovery.issuer,
      audience: app.clientId,
      algorithms: ["RS256"],
    });
    expect(id.payload.token_use).toBe("id");
    const access = await jwtVerify(tokens.AccessToken, keys, {
      issuer: discovery.issuer,
      algorithms: ["RS256"],
    });
    expect(access.payload.client_id).toBe(app.clientId);
  });

  it("is refused by jose when a claim is altered", async () => {
    const tokens = await signIn(server.client, poolId, app.clientId, "alice");
    const [h, p, s] = tokens.AccessToken.split(".");
    const payload = JSON.parse(Buffer.from(p, "base64url").toString("utf8"));
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, username: "mallory" })).toString("base64url")}.${s}`;
    const keys = createRemoteJWKSet(new URL(`${server.url}/${poolId}/.well-known/jwks.json`));
    await expect(jwtVerify(forged, keys)).rejects.toMatchObject({
      code: "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
    });
  });
});

function expectUse(payload: Record<string, unknown>, use: string): void {
  if (payload.token_use !== use) throw new Error(`token_use ${String(payload.token_use)}`);
}

describe("signing keys", () => {
  it("are different for every pool", async () => {
    const other = await createPool(server);
    const otherApp = await createClient(server, other);
    await createUser(server, other, "alice");
    const mine = await signIn(server.client, poolId, app.clientId, "alice");
    const theirs = await signIn(server.client, other, otherApp.clientId, "alice");
    expect(header(mine.AccessToken).kid).not.toBe(header(theirs.AccessToken).kid);
    const jwks = async (id: string) =>
      (
        (await (await fetch(`${server.url}/${id}/.well-known/jwks.json`)).json()) as {
          keys: { kid: string }[];
        }
      ).keys;
    const [a, b] = [await jwks(poolId), await jwks(other)];
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect(a.map((k) => k.kid)).not.toEqual(expect.arrayContaining(b.map((k) => k.kid)));
  });

  it("survive a restart: tokens issued before still verify and new ones use the same key", async () => {
    const dataServer = await startTestServer();
    const pool = await createPool(dataServer);
    const client = await createClient(dataServer, pool);
    await createUser(dataServer, pool, "dave");
    const before = await signIn(dataServer.client, pool, client.clientId, "dave");
    await dataServer.stop({ keepData: true });
    const again = await startTestServer({}, { dataDir: dataServer.dataDir });
    try {
      const after = await signIn(again.client, pool, client.clientId, "dave");
      expect(header(after.AccessToken).kid).toBe(header(before.AccessToken).kid);
      const keys = createRemoteJWKSet(new URL(`${again.url}/${pool}/.well-known/jwks.json`));
      await expect(jwtVerify(before.AccessToken, keys)).resolves.toBeDefined();
    } finally {
      await again.stop();
    }
  });
});
