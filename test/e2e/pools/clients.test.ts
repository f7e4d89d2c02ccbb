import {
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DeleteUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authFlowAllowed,
  authSessionValiditySeconds,
  preventUserExistenceErrors,
  readableAttributes,
  refreshTokenRotation,
  tokenRevocationEnabled,
  tokenValiditySeconds,
  writableAttributes,
} from "../../../src/domain/clients.js";
import type { AuthFlowType } from "../../../src/protocol/types.generated.js";
import { failure } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let poolId: string;
beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool();
});
afterAll(async () => server.stop());

async function createPool(input: Partial<CreateUserPoolCommandInput> = {}) {
  const res = await server.client.send(new CreateUserPoolCommand({ PoolName: "clients", ...input }));
  return res.UserPool!.Id!;
}

async function createClient(input: Partial<CreateUserPoolClientCommandInput> = {}) {
  const res = await server.client.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app", ...input }),
  );
  return res.UserPoolClient!;
}

async function describeClient(clientId: string, pool = poolId) {
  const res = await server.client.send(
    new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId }),
  );
  return res.UserPoolClient!;
}

/** The stored records, as the sign-in code reads them. */
async function records(clientId: string) {
  const client = await server.services.store.clients.get(clientId);
  const pool = client && (await server.services.store.pools.get(client.poolId));
  if (!client || !pool) throw new Error(`client ${clientId} not stored`);
  return { client, pool };
}

async function expectInvalid(input: Partial<CreateUserPoolClientCommandInput>, message: string) {
  const error = await failure(createClient(input));
  expect(error.name).toBe("InvalidParameterException");
  expect(error.message).toBe(message);
}

const ALL_FLOWS: AuthFlowType[] = [
  "USER_SRP_AUTH",
  "REFRESH_TOKEN_AUTH",
  "REFRESH_TOKEN",
  "CUSTOM_AUTH",
  "ADMIN_NO_SRP_AUTH",
  "USER_PASSWORD_AUTH",
  "ADMIN_USER_PASSWORD_AUTH",
  "USER_AUTH",
];

async function allowedFlows(clientId: string): Promise<AuthFlowType[]> {
  const { client } = await records(clientId);
  return ALL_FLOWS.filter((flow) => authFlowAllowed(client, flow));
}

describe("CreateUserPoolClient", () => {
  it("creates a client with Cognito's id format and defaults, without a secret", async () => {
    const client = await createClient({ ClientName: "web" });
    expect(client.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(client.ClientName).toBe("web");
    expect(client.UserPoolId).toBe(poolId);
    expect(client.ClientSecret).toBeUndefined();
    expect(client.RefreshTokenValidity).toBe(30);
    expect(client.TokenValidityUnits).toEqual({});
    expect(client.EnableTokenRevocation).toBe(true);
    expect(client.EnablePropagateAdditionalUserContextData).toBe(false);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(false);
    expect(client.AuthSessionValidity).toBe(3);
    expect(client.ExplicitAuthFlows).toBeUndefined();
    expect(client.CreationDate).toBeInstanceOf(Date);

    const { client: record } = await records(client.ClientId!);
    expect(tokenValiditySeconds(record, "AccessToken")).toBe(3600);
    expect(tokenValiditySeconds(record, "IdToken")).toBe(3600);
    expect(tokenValiditySeconds(record, "RefreshToken")).toBe(30 * 86400);
    expect(authSessionValiditySeconds(record)).toBe(180);
    expect(preventUserExistenceErrors(record)).toBe("LEGACY");
    expect(tokenRevocationEnabled(record)).toBe(true);
    expect(refreshTokenRotation(record)).toEqual({ enabled: false, retryGracePeriodSeconds: 0 });
  });

  it("allows SRP, custom and refresh sign-in by default", async () => {
    const client = await createClient();
    expect(await allowedFlows(client.ClientId!)).toEqual([
      "USER_SRP_AUTH",
      "REFRESH_TOKEN_AUTH",
      "REFRESH_TOKEN",
      "CUSTOM_AUTH",
    ]);
  });

  it("generates a 51-character secret that Create and Describe show", async () => {
    const client = await createClient({ GenerateSecret: true });
    expect(client.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    expect((await describeClient(client.ClientId!)).ClientSecret).toBe(client.ClientSecret);
    const other = await createClient({ GenerateSecret: true });
    expect(other.ClientSecret).not.toBe(client.ClientSecret);
  });

  it("stores the settings it is given", async () => {
    const client = await createClient({
      ExplicitAuthFlows: [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ],
      AccessTokenValidity: 15,
      IdTokenValidity: 2,
      RefreshTokenValidity: 12,
      TokenValidityUnits: { AccessToken: "minutes", IdToken: "hours", RefreshToken: "hours" },
      AuthSessionValidity: 10,
      PreventUserExistenceErrors: "ENABLED",
      EnableTokenRevocation: false,
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 20 },
    });
    const described = await describeClient(client.ClientId!);
    expect(described).toMatchObject({
      ExplicitAuthFlows: [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ],
      AccessTokenValidity: 15,
      IdTokenValidity: 2,
      RefreshTokenValidity: 12,
      TokenValidityUnits: { AccessToken: "minutes", IdToken: "hours", RefreshToken: "hours" },
      AuthSessionValidity: 10,
      PreventUserExistenceErrors: "ENABLED",
      EnableTokenRevocation: false,
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 20 },
    });

    const { client: record } = await records(client.ClientId!);
    expect(tokenValiditySeconds(record, "AccessToken")).toBe(15 * 60);
    expect(tokenValiditySeconds(record, "IdToken")).toBe(2 * 3600);
    expect(tokenValiditySeconds(record, "RefreshToken")).toBe(12 * 3600);
    expect(authSessionValiditySeconds(record)).toBe(600);
    expect(preventUserExistenceErrors(record)).toBe("ENABLED");
    expect(tokenRevocationEnabled(record)).toBe(false);
    expect(refreshTokenRotation(record)).toEqual({ enabled: true, retryGracePeriodSeconds: 20 });
    expect(await allowedFlows(client.ClientId!)).toEqual([
      "REFRESH_TOKEN_AUTH",
      "REFRESH_TOKEN",
      "ADMIN_NO_SRP_AUTH",
      "USER_PASSWORD_AUTH",
      "ADMIN_USER_PASSWORD_AUTH",
    ]);
  });

  it("replaces a refresh-token validity of 0 with 30 days", async () => {
    const client = await createClient({ RefreshTokenValidity: 0 });
    expect(client.RefreshTokenValidity).toBe(30);
  });

  describe("ExplicitAuthFlows", () => {
    it("requires ALLOW_REFRESH_TOKEN_AUTH among ALLOW_ values", async () => {
      await expectInvalid(
        { ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH"] },
        "REFRESH_TOKEN_AUTH should always be allowed.",
      );
    });

    it("refuses legacy values mixed with ALLOW_ values", async () => {
      await expectInvalid(
        { ExplicitAuthFlows: ["ADMIN_NO_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] },
        "The legacy ExplicitAuthFlows values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH can't be combined with ALLOW_ values.",
      );
    });

    it("accepts legacy values alone, which always allow SRP, custom and refresh sign-in", async () => {
      const admin = await createClient({ ExplicitAuthFlows: ["ADMIN_NO_SRP_AUTH"] });
      expect(admin.ExplicitAuthFlows).toEqual(["ADMIN_NO_SRP_AUTH"]);
      expect(await allowedFlows(admin.ClientId!)).toEqual([
        "USER_SRP_AUTH",
        "REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN",
        "CUSTOM_AUTH",
        "ADMIN_NO_SRP_AUTH",
        "ADMIN_USER_PASSWORD_AUTH",
      ]);
      const customOnly = await createClient({
        ExplicitAuthFlows: ["CUSTOM_AUTH_FLOW_ONLY", "USER_PASSWORD_AUTH"],
      });
      expect(await allowedFlows(customOnly.ClientId!)).toEqual([
        "REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN",
        "CUSTOM_AUTH",
        "USER_PASSWORD_AUTH",
      ]);
    });

    it("gates USER_AUTH on ALLOW_USER_AUTH", async () => {
      const client = await createClient({
        ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      });
      expect(await allowedFlows(client.ClientId!)).toEqual([
        "REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN",
        "USER_AUTH",
      ]);
    });
  });

  describe("token validity", () => {
    it.each<[string, Partial<CreateUserPoolClientCommandInput>]>([
      [
        "an access token under 5 minutes",
        { AccessTokenValidity: 4, TokenValidityUnits: { AccessToken: "minutes" } },
      ],
      ["an access token over 1 day", { AccessTokenValidity: 25 }],
      ["an ID token under 5 minutes", { IdTokenValidity: 299, TokenValidityUnits: { IdToken: "seconds" } }],
      ["an ID token over 1 day", { IdTokenValidity: 2, TokenValidityUnits: { IdToken: "days" } }],
      [
        "a refresh token under 60 minutes",
        { RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: "minutes" } },
      ],
      ["a refresh token over 3650 days", { RefreshTokenValidity: 3651 }],
      [
        "an access token that outlives the refresh token",
        { AccessTokenValidity: 2, RefreshTokenValidity: 1, TokenValidityUnits: { RefreshToken: "hours" } },
      ],
    ])("refuses %s", async (_what, input) => {
      await expectInvalid(input, "Invalid range for token validity.");
    });

    it("accepts the edges of the allowed durations", async () => {
      const shortest = await createClient({
        AccessTokenValidity: 300,
        IdTokenValidity: 5,
        RefreshTokenValidity: 60,
        TokenValidityUnits: { AccessToken: "seconds", IdToken: "minutes", RefreshToken: "minutes" },
      });
      expect(shortest.AccessTokenValidity).toBe(300);
      const longest = await createClient({
        AccessTokenValidity: 24,
        IdTokenValidity: 1,
        RefreshTokenValidity: 3650,
      });
      expect(longest.TokenValidityUnits).toEqual({});
      const { client } = await records(longest.ClientId!);
      expect(tokenValiditySeconds(client, "AccessToken")).toBe(86400);
      expect(tokenValiditySeconds(client, "RefreshToken")).toBe(3650 * 86400);
    });

    it("checks the model's raw limits first", async () => {
      const res = await server.call("CreateUserPoolClient", {
        UserPoolId: poolId,
        ClientName: "app",
        AuthSessionValidity: 2,
      });
      expect(res.body.__type).toBe("InvalidParameterException");
      expect(res.body.message).toBe(
        "1 validation error detected: Value '2' at 'authSessionValidity' failed to satisfy constraint: Member must have value greater than or equal to 3",
      );
    });
  });

  it("refuses EnablePropagateAdditionalUserContextData without a secret", async () => {
    await expectInvalid(
      { EnablePropagateAdditionalUserContextData: true },
      "EnablePropagateAdditionalUserContextData can only be enabled for a client with a client secret.",
    );
    const withSecret = await createClient({
      EnablePropagateAdditionalUserContextData: true,
      GenerateSecret: true,
    });
    expect(withSecret.EnablePropagateAdditionalUserContextData).toBe(true);
  });

  describe("ReadAttributes and WriteAttributes", () => {
    it("default to every attribute readable and every attribute but sub and the verified flags writable", async () => {
      const pool = await createPool({
        Schema: [
          { Name: "tenant", AttributeDataType: "String", Mutable: false },
          { Name: "secret", AttributeDataType: "String", DeveloperOnlyAttribute: true },
        ],
      });
      const res = await server.client.send(
        new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: "app" }),
      );
      expect(res.UserPoolClient!.ReadAttributes).toBeUndefined();
      const { pool: poolRecord, client } = await records(res.UserPoolClient!.ClientId!);
      const readable = readableAttributes(poolRecord, client);
      expect(readable).toContain("sub");
      expect(readable).toContain("email_verified");
      expect(readable).toContain("custom:tenant");
      expect(readable).not.toContain("dev:custom:secret");
      expect(readable).toHaveLength(21);
      const writable = writableAttributes(poolRecord, client);
      expect(writable).toContain("email");
      expect(writable).toContain("custom:tenant");
      expect(writable).not.toContain("sub");
      expect(writable).not.toContain("email_verified");
      expect(writable).not.toContain("phone_number_verified");
      expect(writable).not.toContain("dev:custom:secret");
      expect(writable).toHaveLength(18);
    });

    it("are kept when given, verified flags included when listed", async () => {
      const client = await createClient({
        ReadAttributes: ["email", "email_verified", "name"],
        WriteAttributes: ["email", "email_verified"],
      });
      expect(client.ReadAttributes).toEqual(["email", "email_verified", "name"]);
      const { pool, client: record } = await records(client.ClientId!);
      expect(readableAttributes(pool, record)).toEqual(["email", "email_verified", "name"]);
      expect(writableAttributes(pool, record)).toEqual(["email", "email_verified"]);
    });

    it("refuses attributes the pool doesn't have", async () => {
      await expectInvalid(
        { ReadAttributes: ["email", "custom:nope"] },
        "Invalid read attributes specified while creating a client",
      );
      await expectInvalid(
        { WriteAttributes: ["shoe_size"] },
        "Invalid write attributes specified while creating a client",
      );
    });

    it("refuses sub as a write attribute", async () => {
      await expectInvalid(
        { WriteAttributes: ["email", "sub"] },
        "Invalid write attributes specified while creating a client",
      );
    });

    it("refuses write attributes that leave out an attribute the pool requires", async () => {
      const pool = await createPool({ Schema: [{ Name: "email", Required: true }] });
      const error = await failure(
        server.client.send(
          new CreateUserPoolClientCommand({ UserPoolId: pool, ClientName: "app", WriteAttributes: ["name"] }),
        ),
      );
      expect(error.name).toBe("InvalidParameterException");
      expect(error.message).toBe("Invalid write attributes specified while creating a client");
    });
  });

  it("answers an unknown pool with ResourceNotFoundException", async () => {
    const error = await failure(
      server.client.send(
        new CreateUserPoolClientCommand({ UserPoolId: "us-east-1_AAAAAAAAA", ClientName: "x" }),
      ),
    );
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe("User pool us-east-1_AAAAAAAAA does not exist.");
  });
});

describe("DescribeUserPoolClient", () => {
  it("returns what CreateUserPoolClient returned", async () => {
    const client = await createClient({
      GenerateSecret: true,
      ExplicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"],
    });
    expect(await describeClient(client.ClientId!)).toEqual(client);
  });

  it("answers an unknown client, or a client of another pool, with ResourceNotFoundException", async () => {
    const missing = await failure(describeClient("nosuchclient0000000000000a"));
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(missing.message).toBe("User pool client nosuchclient0000000000000a does not exist.");

    const client = await createClient();
    const otherPool = await createPool();
    const elsewhere = await failure(describeClient(client.ClientId!, otherPool));
    expect(elsewhere.name).toBe("ResourceNotFoundException");
    expect(elsewhere.message).toBe(`User pool client ${client.ClientId} does not exist.`);
  });

  it("answers an unknown pool with ResourceNotFoundException", async () => {
    const client = await createClient();
    const error = await failure(describeClient(client.ClientId!, "us-east-1_AAAAAAAAA"));
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe("User pool us-east-1_AAAAAAAAA does not exist.");
  });
});

describe("UpdateUserPoolClient", () => {
  it("replaces the whole configuration: omitted members revert to their defaults", async () => {
    const client = await createClient({
      ClientName: "before",
      GenerateSecret: true,
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      AccessTokenValidity: 10,
      TokenValidityUnits: { AccessToken: "minutes" },
      PreventUserExistenceErrors: "ENABLED",
      EnableTokenRevocation: false,
      ReadAttributes: ["email"],
    });
    const res = await server.client.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: client.ClientId,
        AuthSessionValidity: 5,
      }),
    );
    expect(res.UserPoolClient!.ClientSecret).toBeUndefined();
    const updated = await describeClient(client.ClientId!);
    expect(updated.ClientName).toBe("before");
    expect(updated.ClientSecret).toBe(client.ClientSecret);
    expect(updated.AuthSessionValidity).toBe(5);
    expect(updated.ExplicitAuthFlows).toBeUndefined();
    expect(updated.AccessTokenValidity).toBeUndefined();
    expect(updated.TokenValidityUnits).toEqual({});
    expect(updated.PreventUserExistenceErrors).toBeUndefined();
    expect(updated.EnableTokenRevocation).toBe(true);
    expect(updated.ReadAttributes).toBeUndefined();
    expect(updated.CreationDate).toEqual(client.CreationDate);
    expect(await allowedFlows(client.ClientId!)).not.toContain("USER_PASSWORD_AUTH");
  });

  it("renames the client when ClientName is given", async () => {
    const client = await createClient({ ClientName: "old" });
    const res = await server.client.send(
      new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId, ClientName: "new" }),
    );
    expect(res.UserPoolClient!.ClientName).toBe("new");
    expect((await describeClient(client.ClientId!)).ClientName).toBe("new");
  });

  it("applies the same rules as CreateUserPoolClient, worded for an update", async () => {
    const client = await createClient();
    const update = (input: Partial<CreateUserPoolClientCommandInput>) =>
      failure(
        server.client.send(
          new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId, ...input }),
        ),
      );
    expect((await update({ ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH"] })).message).toBe(
      "REFRESH_TOKEN_AUTH should always be allowed.",
    );
    expect((await update({ IdTokenValidity: 30 })).message).toBe("Invalid range for token validity.");
    expect((await update({ WriteAttributes: ["sub"] })).message).toBe(
      "Invalid write attributes specified while updating a client",
    );
    expect((await update({ EnablePropagateAdditionalUserContextData: true })).message).toBe(
      "EnablePropagateAdditionalUserContextData can only be enabled for a client with a client secret.",
    );
  });

  it("answers an unknown client with ResourceNotFoundException", async () => {
    const error = await failure(
      server.client.send(new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: "nosuchclient" })),
    );
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe("User pool client nosuchclient does not exist.");
  });
});

describe("DeleteUserPoolClient", () => {
  it("deletes the client", async () => {
    const client = await createClient();
    await server.client.send(
      new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: client.ClientId }),
    );
    const error = await failure(describeClient(client.ClientId!));
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(`User pool client ${client.ClientId} does not exist.`);
  });

  it("answers an unknown client with ResourceNotFoundException", async () => {
    const error = await failure(
      server.client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: "nosuchclient" })),
    );
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe("User pool client nosuchclient does not exist.");
  });
});

describe("ListUserPoolClients", () => {
  let listPool: string;
  const created: string[] = [];
  beforeAll(async () => {
    listPool = await createPool();
    for (const name of ["one", "two", "three"]) {
      const res = await server.client.send(
        new CreateUserPoolClientCommand({ UserPoolId: listPool, ClientName: name, GenerateSecret: true }),
      );
      created.push(res.UserPoolClient!.ClientId!);
    }
  });

  it("pages through the pool's clients with NextToken", async () => {
    const first = await server.client.send(
      new ListUserPoolClientsCommand({ UserPoolId: listPool, MaxResults: 2 }),
    );
    expect(first.UserPoolClients).toHaveLength(2);
    expect(first.NextToken).toBeDefined();
    const second = await server.client.send(
      new ListUserPoolClientsCommand({ UserPoolId: listPool, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.UserPoolClients).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const ids = [...first.UserPoolClients!, ...second.UserPoolClients!].map((c) => c.ClientId);
    expect(ids.sort()).toEqual([...created].sort());
  });

  it("lists every client briefly, without secrets, when MaxResults is omitted", async () => {
    const res = await server.client.send(new ListUserPoolClientsCommand({ UserPoolId: listPool }));
    expect(res.NextToken).toBeUndefined();
    expect(res.UserPoolClients).toHaveLength(3);
    for (const client of res.UserPoolClients!) {
      expect(Object.keys(client).sort()).toEqual(["ClientId", "ClientName", "UserPoolId"]);
      expect(client.UserPoolId).toBe(listPool);
    }
  });

  it("refuses a NextToken it did not issue", async () => {
    const error = await failure(
      server.client.send(new ListUserPoolClientsCommand({ UserPoolId: listPool, NextToken: "garbage" })),
    );
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe("Invalid pagination token.");
  });

  it("answers an unknown pool with ResourceNotFoundException", async () => {
    const error = await failure(
      server.client.send(new ListUserPoolClientsCommand({ UserPoolId: "us-east-1_AAAAAAAAA" })),
    );
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe("User pool us-east-1_AAAAAAAAA does not exist.");
  });
});
