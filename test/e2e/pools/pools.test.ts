import {
  AddCustomAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  DeleteUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  ListUserPoolsCommand,
  type SchemaAttributeType,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isCaseSensitive,
  passwordPolicy,
  requiredAttributes,
  schemaAttribute,
  usernameKey,
} from "../../../src/domain/pools.js";
import { failure } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

async function createPool(input: Partial<CreateUserPoolCommandInput> = {}) {
  const res = await server.client.send(new CreateUserPoolCommand({ PoolName: "pool", ...input }));
  return res.UserPool!;
}

async function describePool(id: string) {
  return (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: id }))).UserPool!;
}

async function storedPool(id: string) {
  const pool = await server.services.store.pools.get(id);
  if (!pool) throw new Error(`pool ${id} not stored`);
  return pool;
}

const MISSING_POOL = "us-east-1_AAAAAAAAA";
const lambdaArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

describe("CreateUserPool", () => {
  it("creates a pool with Cognito's id and ARN formats and every default filled in", async () => {
    const pool = await createPool({ PoolName: "defaults" });
    expect(pool.Id).toMatch(/^us-east-1_[A-Za-z0-9]{9}$/);
    expect(pool.Arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool.Id}`);
    expect(pool.Name).toBe("defaults");
    expect(pool.Policies?.PasswordPolicy).toEqual({
      MinimumLength: 8,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 7,
    });
    expect(pool.MfaConfiguration).toBe("OFF");
    expect(pool.UsernameConfiguration).toEqual({ CaseSensitive: true });
    expect(pool.DeletionProtection).toBe("INACTIVE");
    expect(pool.UserPoolTier).toBe("ESSENTIALS");
    expect(pool.LambdaConfig).toEqual({});
    expect(pool.AdminCreateUserConfig).toEqual({
      AllowAdminCreateUserOnly: false,
      UnusedAccountValidityDays: 7,
    });
    expect(pool.VerificationMessageTemplate).toEqual({ DefaultEmailOption: "CONFIRM_WITH_CODE" });
    expect(pool.EmailConfiguration).toEqual({ EmailSendingAccount: "COGNITO_DEFAULT" });
    expect(pool.EstimatedNumberOfUsers).toBe(0);
    expect(pool.CreationDate).toBeInstanceOf(Date);
    expect(pool.UsernameAttributes).toBeUndefined();
    expect(pool.AliasAttributes).toBeUndefined();
  });

  it("gives every pool the full standard schema, in Cognito's order and shape", async () => {
    const pool = await createPool();
    const names = pool.SchemaAttributes?.map((a) => a.Name);
    expect(names).toEqual([
      "sub",
      "name",
      "given_name",
      "family_name",
      "middle_name",
      "nickname",
      "preferred_username",
      "profile",
      "picture",
      "website",
      "email",
      "email_verified",
      "gender",
      "birthdate",
      "zoneinfo",
      "locale",
      "phone_number",
      "phone_number_verified",
      "address",
      "updated_at",
    ]);
    const byName = new Map(pool.SchemaAttributes?.map((a) => [a.Name, a]));
    expect(byName.get("sub")).toEqual({
      Name: "sub",
      AttributeDataType: "String",
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: true,
      StringAttributeConstraints: { MinLength: "1", MaxLength: "2048" },
    });
    expect(byName.get("email")).toEqual({
      Name: "email",
      AttributeDataType: "String",
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      StringAttributeConstraints: { MinLength: "0", MaxLength: "2048" },
    });
    expect(byName.get("email_verified")).toEqual({
      Name: "email_verified",
      AttributeDataType: "Boolean",
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
    });
    expect(byName.get("birthdate")?.StringAttributeConstraints).toEqual({ MinLength: "10", MaxLength: "10" });
    expect(byName.get("updated_at")).toEqual({
      Name: "updated_at",
      AttributeDataType: "Number",
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      NumberAttributeConstraints: { MinValue: "0" },
    });
  });

  it("applies changes to standard attributes and prefixes custom ones", async () => {
    const pool = await createPool({
      Schema: [
        { Name: "email", AttributeDataType: "String", Required: true, Mutable: true },
        { Name: "name", Required: true, StringAttributeConstraints: { MinLength: "2", MaxLength: "50" } },
        {
          Name: "tenant",
          AttributeDataType: "String",
          Mutable: false,
          StringAttributeConstraints: { MinLength: "1", MaxLength: "36" },
        },
        {
          Name: "level",
          AttributeDataType: "Number",
          NumberAttributeConstraints: { MinValue: "1", MaxValue: "9" },
        },
        { Name: "hidden", AttributeDataType: "Boolean", DeveloperOnlyAttribute: true },
      ],
    });
    const byName = new Map(pool.SchemaAttributes?.map((a) => [a.Name, a]));
    expect(pool.SchemaAttributes).toHaveLength(23);
    expect(byName.get("email")?.Required).toBe(true);
    expect(byName.get("name")).toMatchObject({
      Required: true,
      StringAttributeConstraints: { MinLength: "2", MaxLength: "50" },
    });
    expect(byName.get("custom:tenant")).toEqual({
      Name: "custom:tenant",
      AttributeDataType: "String",
      DeveloperOnlyAttribute: false,
      Mutable: false,
      Required: false,
      StringAttributeConstraints: { MinLength: "1", MaxLength: "36" },
    });
    expect(byName.get("custom:level")).toMatchObject({
      AttributeDataType: "Number",
      Mutable: true,
      NumberAttributeConstraints: { MinValue: "1", MaxValue: "9" },
    });
    expect(byName.get("dev:custom:hidden")).toMatchObject({
      AttributeDataType: "Boolean",
      DeveloperOnlyAttribute: true,
    });

    const stored = await storedPool(pool.Id!);
    expect(requiredAttributes(stored)).toEqual(["sub", "name", "email"]);
    expect(schemaAttribute(stored, "custom:tenant")?.Mutable).toBe(false);
    expect(schemaAttribute(stored, "tenant")).toBeUndefined();
  });

  it.each<[string, SchemaAttributeType[], string]>([
    [
      "a required custom attribute",
      [{ Name: "tenant", AttributeDataType: "String", Required: true }],
      "Required custom attributes are not supported currently.",
    ],
    [
      "a custom attribute without a data type",
      [{ Name: "tenant" }],
      "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
    ],
    [
      "a standard attribute with another data type",
      [{ Name: "email", AttributeDataType: "Number" }],
      "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email",
    ],
    [
      "a developer-only standard attribute",
      [{ Name: "email", DeveloperOnlyAttribute: true }],
      "You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute email",
    ],
    [
      "the same custom attribute twice",
      [
        { Name: "tenant", AttributeDataType: "String" },
        { Name: "tenant", AttributeDataType: "String" },
      ],
      "tenant: Existing attribute already has name tenant.",
    ],
    [
      "a maximum length below the minimum",
      [
        {
          Name: "code",
          AttributeDataType: "String",
          StringAttributeConstraints: { MinLength: "5", MaxLength: "4" },
        },
      ],
      "user.custom:code: Max length cannot be less than min length.",
    ],
    [
      "a string longer than 2048",
      [{ Name: "blob", AttributeDataType: "String", StringAttributeConstraints: { MaxLength: "4096" } }],
      "user.custom:blob: String attributes cannot have a length of more than 2048",
    ],
    [
      "a maximum value below the minimum",
      [
        {
          Name: "n",
          AttributeDataType: "Number",
          NumberAttributeConstraints: { MinValue: "5", MaxValue: "1" },
        },
      ],
      "user.custom:n: Max value cannot be less than min value.",
    ],
    [
      "a constraint that is not a number",
      [{ Name: "n", AttributeDataType: "Number", NumberAttributeConstraints: { MinValue: "low" } }],
      "Invalid NumberAttributeConstraints for schema attribute custom:n",
    ],
  ])("refuses %s", async (_what, Schema, message) => {
    const error = await failure(createPool({ Schema }));
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe(message);
  });

  it("records UsernameAttributes, AliasAttributes, case-insensitive usernames and the MFA setting", async () => {
    const byEmail = await createPool({
      UsernameAttributes: ["email"],
      UsernameConfiguration: { CaseSensitive: false },
      MfaConfiguration: "OPTIONAL",
      AutoVerifiedAttributes: ["email"],
    });
    expect(byEmail.UsernameAttributes).toEqual(["email"]);
    expect(byEmail.UsernameConfiguration).toEqual({ CaseSensitive: false });
    expect(byEmail.MfaConfiguration).toBe("OPTIONAL");
    expect(byEmail.AutoVerifiedAttributes).toEqual(["email"]);
    const stored = await storedPool(byEmail.Id!);
    expect(isCaseSensitive(stored)).toBe(false);
    expect(usernameKey(stored, "Alice@Example.COM")).toBe("alice@example.com");

    const withAliases = await createPool({ AliasAttributes: ["email", "preferred_username"] });
    expect(withAliases.AliasAttributes).toEqual(["email", "preferred_username"]);
    const sensitive = await storedPool(withAliases.Id!);
    expect(isCaseSensitive(sensitive)).toBe(true);
    expect(usernameKey(sensitive, "Alice")).toBe("Alice");
  });

  it("refuses UsernameAttributes together with AliasAttributes", async () => {
    const error = await failure(
      createPool({ UsernameAttributes: ["email"], AliasAttributes: ["phone_number"] }),
    );
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe(
      "Only one of the aliasAttributes or usernameAttributes can be set in a User pool.",
    );
  });

  it("keeps a given password policy and fills the members left out", async () => {
    const pool = await createPool({
      Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false, PasswordHistorySize: 3 } },
    });
    expect(pool.Policies?.PasswordPolicy).toEqual({
      MinimumLength: 12,
      RequireUppercase: true,
      RequireLowercase: true,
      RequireNumbers: true,
      RequireSymbols: false,
      PasswordHistorySize: 3,
      TemporaryPasswordValidityDays: 7,
    });
    expect(passwordPolicy(await storedPool(pool.Id!))).toMatchObject({
      MinimumLength: 12,
      PasswordHistorySize: 3,
    });
  });

  it("mirrors the legacy verification texts into the message template", async () => {
    const pool = await createPool({
      EmailVerificationSubject: "Welcome",
      EmailVerificationMessage: "Code: {####}",
      SmsVerificationMessage: "SMS code {####}",
    });
    expect(pool.VerificationMessageTemplate).toEqual({
      DefaultEmailOption: "CONFIRM_WITH_CODE",
      EmailSubject: "Welcome",
      EmailMessage: "Code: {####}",
      SmsMessage: "SMS code {####}",
    });
    expect(pool.EmailVerificationSubject).toBe("Welcome");
  });

  it("answers a missing PoolName with a validation error", async () => {
    const res = await server.call("CreateUserPool", {});
    expect(res.body.__type).toBe("InvalidParameterException");
  });
});

describe("DescribeUserPool", () => {
  it("returns what CreateUserPool returned", async () => {
    const created = await createPool({ PoolName: "described", DeletionProtection: "ACTIVE" });
    expect(await describePool(created.Id!)).toEqual(created);
  });

  it("answers an unknown pool with ResourceNotFoundException", async () => {
    const error = await failure(describePool(MISSING_POOL));
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(`User pool ${MISSING_POOL} does not exist.`);
  });
});

describe("UpdateUserPool", () => {
  it("replaces the whole configuration: omitted members revert to their defaults", async () => {
    const created = await createPool({
      PoolName: "before",
      UsernameAttributes: ["email"],
      Schema: [{ Name: "tenant", AttributeDataType: "String" }],
      Policies: { PasswordPolicy: { MinimumLength: 14 } },
      DeletionProtection: "ACTIVE",
      MfaConfiguration: "OPTIONAL",
      LambdaConfig: { PreSignUp: "arn:aws:lambda:us-east-1:000000000000:function:pre" },
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    await server.client.send(
      new UpdateUserPoolCommand({ UserPoolId: created.Id, AutoVerifiedAttributes: ["email"] }),
    );
    const updated = await describePool(created.Id!);
    expect(updated.Name).toBe("before");
    expect(updated.AutoVerifiedAttributes).toEqual(["email"]);
    expect(updated.Policies?.PasswordPolicy?.MinimumLength).toBe(8);
    expect(updated.DeletionProtection).toBe("INACTIVE");
    expect(updated.MfaConfiguration).toBe("OFF");
    expect(updated.LambdaConfig).toEqual({});
    expect(updated.AdminCreateUserConfig?.AllowAdminCreateUserOnly).toBe(false);
    // What UpdateUserPool can't change stays.
    expect(updated.UsernameAttributes).toEqual(["email"]);
    expect(updated.SchemaAttributes).toEqual(created.SchemaAttributes);
    expect(updated.UsernameConfiguration).toEqual({ CaseSensitive: true });
    expect(updated.CreationDate).toEqual(created.CreationDate);
    expect(updated.LastModifiedDate!.getTime()).toBeGreaterThanOrEqual(created.LastModifiedDate!.getTime());
  });

  it("renames the pool when PoolName is given", async () => {
    const created = await createPool({ PoolName: "old-name" });
    await server.client.send(new UpdateUserPoolCommand({ UserPoolId: created.Id, PoolName: "new-name" }));
    expect((await describePool(created.Id!)).Name).toBe("new-name");
  });

  it("answers an unknown pool with ResourceNotFoundException", async () => {
    const error = await failure(server.client.send(new UpdateUserPoolCommand({ UserPoolId: MISSING_POOL })));
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(`User pool ${MISSING_POOL} does not exist.`);
  });
});

describe("DeleteUserPool", () => {
  it("deletes the pool and its clients", async () => {
    const pool = await createPool();
    const client = await server.client.send(
      new CreateUserPoolClientCommand({ UserPoolId: pool.Id, ClientName: "app" }),
    );
    const clientId = client.UserPoolClient!.ClientId!;
    await server.client.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));

    const error = await failure(describePool(pool.Id!));
    expect(error.name).toBe("ResourceNotFoundException");
    const clientError = await failure(
      server.client.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.Id, ClientId: clientId })),
    );
    expect(clientError.name).toBe("ResourceNotFoundException");
    expect(await server.services.store.clients.get(clientId)).toBeUndefined();
  });

  it("refuses a pool with deletion protection until it is deactivated", async () => {
    const pool = await createPool({ DeletionProtection: "ACTIVE" });
    const error = await failure(server.client.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id })));
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe(
      "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
    );
    expect((await describePool(pool.Id!)).Id).toBe(pool.Id);

    await server.client.send(
      new UpdateUserPoolCommand({ UserPoolId: pool.Id, DeletionProtection: "INACTIVE" }),
    );
    await server.client.send(new DeleteUserPoolCommand({ UserPoolId: pool.Id }));
    expect((await failure(describePool(pool.Id!))).name).toBe("ResourceNotFoundException");
  });

  it("answers an unknown pool with ResourceNotFoundException", async () => {
    const error = await failure(server.client.send(new DeleteUserPoolCommand({ UserPoolId: MISSING_POOL })));
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(`User pool ${MISSING_POOL} does not exist.`);
  });
});

describe("ListUserPools", () => {
  let listServer: TestServer;
  const created: string[] = [];
  beforeAll(async () => {
    listServer = await startTestServer();
    for (const name of ["a", "b", "c", "d", "e"]) {
      const res = await listServer.client.send(
        new CreateUserPoolCommand({ PoolName: name, LambdaConfig: { PreSignUp: lambdaArn(name) } }),
      );
      created.push(res.UserPool!.Id!);
    }
  });
  afterAll(async () => listServer.stop());

  it("pages through every pool with NextToken, each exactly once", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await listServer.client.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: token }));
      expect(res.UserPools!.length).toBeLessThanOrEqual(2);
      seen.push(...res.UserPools!.map((p) => p.Id!));
      token = res.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...created].sort());
  });

  it("describes each pool briefly", async () => {
    const res = await listServer.client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(res.NextToken).toBeUndefined();
    const first = res.UserPools!.find((p) => p.Id === created[0])!;
    expect(first.Name).toBe("a");
    expect(first.LambdaConfig).toEqual({ PreSignUp: lambdaArn("a") });
    expect(first.CreationDate).toBeInstanceOf(Date);
    expect(first.LastModifiedDate).toBeInstanceOf(Date);
  });

  it("requires MaxResults", async () => {
    const res = await listServer.call("ListUserPools", {});
    expect(res.body.__type).toBe("InvalidParameterException");
    expect(res.body.message).toBe(
      "1 validation error detected: Value null at 'maxResults' failed to satisfy constraint: Member must not be null",
    );
  });

  it("refuses a NextToken it did not issue", async () => {
    const error = await failure(
      listServer.client.send(new ListUserPoolsCommand({ MaxResults: 2, NextToken: "not-a-token" })),
    );
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe("Invalid pagination token.");
  });
});

describe("AddCustomAttributes", () => {
  it("adds custom attributes under the custom: prefix", async () => {
    const pool = await createPool();
    await server.client.send(
      new AddCustomAttributesCommand({
        UserPoolId: pool.Id,
        CustomAttributes: [
          { Name: "plan", AttributeDataType: "String", Mutable: true },
          { Name: "seats", AttributeDataType: "Number" },
        ],
      }),
    );
    const described = await describePool(pool.Id!);
    const byName = new Map(described.SchemaAttributes?.map((a) => [a.Name, a]));
    expect(byName.get("custom:plan")).toEqual({
      Name: "custom:plan",
      AttributeDataType: "String",
      DeveloperOnlyAttribute: false,
      Mutable: true,
      Required: false,
      StringAttributeConstraints: {},
    });
    expect(byName.get("custom:seats")?.AttributeDataType).toBe("Number");
    expect(described.SchemaAttributes).toHaveLength(22);
  });

  it("refuses a name the pool already has", async () => {
    const pool = await createPool({ Schema: [{ Name: "plan", AttributeDataType: "String" }] });
    const error = await failure(
      server.client.send(
        new AddCustomAttributesCommand({
          UserPoolId: pool.Id,
          CustomAttributes: [{ Name: "plan", AttributeDataType: "String" }],
        }),
      ),
    );
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe("custom:plan: Existing attribute already has name custom:plan.");
  });

  it("refuses names longer than 20 characters", async () => {
    const pool = await createPool();
    const res = await server.call("AddCustomAttributes", {
      UserPoolId: pool.Id,
      CustomAttributes: [{ Name: "x".repeat(21), AttributeDataType: "String" }],
    });
    expect(res.body.__type).toBe("InvalidParameterException");
    expect(res.body.message).toBe(
      `1 validation error detected: Value '${"x".repeat(21)}' at 'customAttributes.1.member.name' failed to satisfy constraint: Member must have length less than or equal to 20`,
    );
  });

  it("refuses to go past 50 custom attributes", async () => {
    const batch = (from: number) =>
      Array.from({ length: 25 }, (_, i) => ({ Name: `a${from + i}`, AttributeDataType: "String" as const }));
    const pool = await createPool();
    await server.client.send(
      new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: batch(0) }),
    );
    await server.client.send(
      new AddCustomAttributesCommand({ UserPoolId: pool.Id, CustomAttributes: batch(25) }),
    );
    const error = await failure(
      server.client.send(
        new AddCustomAttributesCommand({
          UserPoolId: pool.Id,
          CustomAttributes: [{ Name: "one_more", AttributeDataType: "String" }],
        }),
      ),
    );
    expect(error.name).toBe("InvalidParameterException");
    expect(error.message).toBe("A user pool can have at most 50 custom attributes.");
  });

  it("answers an unknown pool with ResourceNotFoundException", async () => {
    const error = await failure(
      server.client.send(
        new AddCustomAttributesCommand({
          UserPoolId: MISSING_POOL,
          CustomAttributes: [{ Name: "plan", AttributeDataType: "String" }],
        }),
      ),
    );
    expect(error.name).toBe("ResourceNotFoundException");
    expect(error.message).toBe(`User pool ${MISSING_POOL} does not exist.`);
  });
});
