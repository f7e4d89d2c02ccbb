/**
 * Client secret rotation (OAUTH.md §6): up to two active secrets, each accepted wherever a secret
 * is checked — SECRET_HASH, GetTokensFromRefreshToken, RevokeToken — until it is deleted.
 */
import {
  AddUserPoolClientSecretCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  ListUserPoolClientSecretsCommand,
  RevokeTokenCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClient,
  createPool,
  createUser,
  expectError,
  PASSWORD,
  secretHash,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const MISSING_POOL = "us-east-1_Missing00";
const CHOSEN = "chosen_secret+0123456789abcdef";

let server: TestServer;
let poolId: string;
beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
  await createUser(server, poolId, "alice");
});
afterAll(async () => server.stop());

async function confidentialClient(input: { ClientSecret?: string } = {}) {
  const client = await createClient(server, poolId, input.ClientSecret ? input : { GenerateSecret: true });
  return { clientId: client.clientId, first: client.secret as string };
}

function addSecret(clientId: string, ClientSecret?: string, pool = poolId) {
  return server.client.send(
    new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId, ClientSecret }),
  );
}

async function listSecrets(clientId: string, pool = poolId) {
  const out = await server.client.send(
    new ListUserPoolClientSecretsCommand({ UserPoolId: pool, ClientId: clientId }),
  );
  return out;
}

function deleteSecret(clientId: string, secretId: string, pool = poolId) {
  return server.client.send(
    new DeleteUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId, ClientSecretId: secretId }),
  );
}

async function describedSecret(clientId: string) {
  const out = await server.client.send(
    new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
  );
  return out.UserPoolClient?.ClientSecret;
}

/** Signs alice in with a SECRET_HASH made from `secret`. */
function signIn(clientId: string, secret: string) {
  return server.client.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: {
        USERNAME: "alice",
        PASSWORD,
        SECRET_HASH: secretHash({ clientId, secret }, "alice"),
      },
    }),
  );
}

async function refreshToken(clientId: string, secret: string): Promise<string> {
  return (await signIn(clientId, secret)).AuthenticationResult?.RefreshToken as string;
}

function refresh(clientId: string, token: string, secret: string) {
  return server.client.send(
    new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: token, ClientSecret: secret }),
  );
}

function revoke(clientId: string, token: string, secret: string) {
  return server.client.send(
    new RevokeTokenCommand({ ClientId: clientId, Token: token, ClientSecret: secret }),
  );
}

/** Every place a secret is checked accepts it. */
async function expectAccepted(clientId: string, secret: string): Promise<void> {
  const token = await refreshToken(clientId, secret);
  expect((await refresh(clientId, token, secret)).AuthenticationResult?.AccessToken).toBeDefined();
  await revoke(clientId, token, secret);
  await expectError(
    refresh(clientId, token, secret),
    "NotAuthorizedException",
    "Refresh Token has been revoked",
  );
}

/** Every place a secret is checked refuses it (`valid`: a secret the client still has). */
async function expectRefused(clientId: string, secret: string, valid: string): Promise<void> {
  await expectError(
    signIn(clientId, secret),
    "NotAuthorizedException",
    `Unable to verify secret hash for client ${clientId}`,
  );
  const token = await refreshToken(clientId, valid);
  await expectError(
    refresh(clientId, token, secret),
    "NotAuthorizedException",
    `Client secret does not match for the client: ${clientId}`,
  );
  await expectError(
    revoke(clientId, token, secret),
    "UnauthorizedException",
    `Unable to verify client secret for client ${clientId}`,
  );
}

describe("a client's first secret", () => {
  it("is listed with an id of the client id and its creation time, never with its value", async () => {
    const created = await createClient(server, poolId, { GenerateSecret: true });
    const described = await server.client.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: created.clientId }),
    );
    const creation = described.UserPoolClient?.CreationDate as Date;
    const out = await listSecrets(created.clientId);
    expect(out.ClientSecrets).toEqual([
      { ClientSecretId: `${created.clientId}--${creation.getTime()}`, ClientSecretCreateDate: creation },
    ]);
    expect(out.NextToken).toBeUndefined();
  });

  it("may be chosen at CreateUserPoolClient, and then works", async () => {
    const { clientId, first } = await confidentialClient({ ClientSecret: CHOSEN });
    expect(first).toBe(CHOSEN);
    expect(await describedSecret(clientId)).toBe(CHOSEN);
    expect((await listSecrets(clientId)).ClientSecrets).toHaveLength(1);
    await expectAccepted(clientId, CHOSEN);
  });
});

describe("AddUserPoolClientSecret", () => {
  it("generates a second secret, returning its value once", async () => {
    const { clientId, first } = await confidentialClient();
    const out = await addSecret(clientId);
    const added = out.ClientSecretDescriptor;
    expect(added?.ClientSecretValue).toMatch(/^[a-z0-9]{51}$/);
    expect(added?.ClientSecretValue).not.toBe(first);
    expect(added?.ClientSecretId).toBe(`${clientId}--${added?.ClientSecretCreateDate?.getTime()}`);
    const listed = (await listSecrets(clientId)).ClientSecrets;
    expect(listed).toHaveLength(2);
    expect(listed?.[1]).toEqual({
      ClientSecretId: added?.ClientSecretId,
      ClientSecretCreateDate: added?.ClientSecretCreateDate,
    });
    expect(listed?.[0].ClientSecretCreateDate?.getTime()).toBeLessThan(
      added?.ClientSecretCreateDate?.getTime() as number,
    );
  });

  it("takes a chosen secret without returning its value", async () => {
    const { clientId } = await confidentialClient();
    const added = (await addSecret(clientId, CHOSEN)).ClientSecretDescriptor;
    expect(added?.ClientSecretValue).toBeUndefined();
    expect(added?.ClientSecretId).toMatch(new RegExp(`^${clientId}--\\d+$`));
    await expectAccepted(clientId, CHOSEN);
  });

  it("refuses a third secret", async () => {
    const { clientId } = await confidentialClient();
    await addSecret(clientId);
    await expectError(
      addSecret(clientId),
      "LimitExceededException",
      "A client can have at most 2 client secrets.",
    );
    expect((await listSecrets(clientId)).ClientSecrets).toHaveLength(2);
  });

  it("refuses a public client, and an unknown pool or client", async () => {
    const { clientId } = await createClient(server, poolId);
    await expectError(
      addSecret(clientId),
      "InvalidParameterException",
      `Client ${clientId} has no client secret: secrets can only be managed for an existing confidential client.`,
    );
    await expectError(
      addSecret(clientId, undefined, MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      addSecret("nosuchclient"),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
    const otherPool = await createPool(server);
    await expectError(
      addSecret(clientId, undefined, otherPool),
      "ResourceNotFoundException",
      `User pool client ${clientId} does not exist.`,
    );
  });

  it("refuses a chosen secret outside the model's pattern", async () => {
    const { clientId } = await confidentialClient();
    await expectError(
      addSecret(clientId, "too-short"),
      "InvalidParameterException",
      "2 validation errors detected: Value at 'clientSecret' failed to satisfy constraint: Member must have length greater than or equal to 24; Value at 'clientSecret' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+",
    );
  });

  it("keeps both secrets through UpdateUserPoolClient", async () => {
    const { clientId } = await confidentialClient();
    await addSecret(clientId);
    await server.client.send(
      new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ClientName: "renamed" }),
    );
    expect((await listSecrets(clientId)).ClientSecrets).toHaveLength(2);
  });
});

describe("ListUserPoolClientSecrets", () => {
  it("refuses a public client, and an unknown pool or client", async () => {
    const { clientId } = await createClient(server, poolId);
    await expectError(
      listSecrets(clientId),
      "InvalidParameterException",
      `Client ${clientId} has no client secret: secrets can only be managed for an existing confidential client.`,
    );
    await expectError(
      listSecrets(clientId, MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      listSecrets("nosuchclient"),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
  });
});

describe("DeleteUserPoolClientSecret", () => {
  it("refuses to delete the last secret", async () => {
    const { clientId } = await confidentialClient();
    const [only] = (await listSecrets(clientId)).ClientSecrets ?? [];
    await expectError(
      deleteSecret(clientId, only.ClientSecretId as string),
      "InvalidParameterException",
      "The last client secret of a client cannot be deleted.",
    );
  });

  it("refuses an unknown secret id, a public client, and an unknown pool or client", async () => {
    const { clientId } = await confidentialClient();
    await expectError(
      deleteSecret(clientId, `${clientId}--1`),
      "ResourceNotFoundException",
      `Client secret ${clientId}--1 does not exist.`,
    );
    const publicClient = await createClient(server, poolId);
    await expectError(
      deleteSecret(publicClient.clientId, `${publicClient.clientId}--1`),
      "InvalidParameterException",
      `Client ${publicClient.clientId} has no client secret: secrets can only be managed for an existing confidential client.`,
    );
    await expectError(
      deleteSecret(clientId, "x", MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      deleteSecret("nosuchclient", "x"),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
  });
});

describe("rotation", () => {
  it("accepts both secrets everywhere; after the first is deleted only the second, which Describe then shows", async () => {
    const { clientId, first } = await confidentialClient();
    const second = (await addSecret(clientId)).ClientSecretDescriptor?.ClientSecretValue as string;
    await expectAccepted(clientId, first);
    await expectAccepted(clientId, second);
    expect(await describedSecret(clientId)).toBe(first);

    const [oldest] = (await listSecrets(clientId)).ClientSecrets ?? [];
    await deleteSecret(clientId, oldest.ClientSecretId as string);
    expect(await describedSecret(clientId)).toBe(second);
    expect((await listSecrets(clientId)).ClientSecrets?.map((s) => s.ClientSecretId)).not.toContain(
      oldest.ClientSecretId,
    );
    await expectRefused(clientId, first, second);
    await expectAccepted(clientId, second);
  });

  it("stops accepting a second secret once it is deleted; the first keeps working", async () => {
    const { clientId, first } = await confidentialClient();
    const added = (await addSecret(clientId)).ClientSecretDescriptor;
    const second = added?.ClientSecretValue as string;
    await expectAccepted(clientId, second);
    await deleteSecret(clientId, added?.ClientSecretId as string);
    await expectRefused(clientId, second, first);
    await expectAccepted(clientId, first);
    expect(await describedSecret(clientId)).toBe(first);
  });

  it("can add a new secret after deleting one, each with its own id", async () => {
    const { clientId } = await confidentialClient();
    const second = (await addSecret(clientId)).ClientSecretDescriptor;
    await deleteSecret(clientId, second?.ClientSecretId as string);
    const third = (await addSecret(clientId, CHOSEN)).ClientSecretDescriptor;
    const ids = (await listSecrets(clientId)).ClientSecrets?.map((s) => s.ClientSecretId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    expect(ids?.[1]).toBe(third?.ClientSecretId);
    await expectAccepted(clientId, CHOSEN);
  });
});
