/**
 * PreTokenGeneration V1, V2 and V3 through the official SDK: the events per version and trigger
 * source, and what the answers change in the ID and access tokens (claims, groups, scopes).
 */
import {
  AdminAddUserToGroupCommand,
  AdminInitiateAuthCommand,
  CreateGroupCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  type LambdaConfigType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claims, expectError, PASSWORD } from "../../support/fixtures.js";
import { createClient, createPool, createUser } from "./pools.js";
import { RETURN_EVENT, TriggerHarness } from "./support.js";

let h: TriggerHarness;
beforeAll(async () => {
  h = await TriggerHarness.start();
});
afterAll(async () => h.stop());

const ROLE = "arn:aws:iam::123456789012:role/admins";

/** A pool with the function, a client, and a user in the group `admins` (with a role). */
async function setUp(lambdaConfig: LambdaConfigType) {
  const poolId = await createPool(h.server, lambdaConfig);
  const clientId = await createClient(h.server, poolId);
  await createUser(h.server, poolId, "wen", [{ Name: "email", Value: "wen@example.com" }]);
  await h.server.client.send(
    new CreateGroupCommand({ UserPoolId: poolId, GroupName: "admins", RoleArn: ROLE, Precedence: 1 }),
  );
  await h.server.client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "wen", GroupName: "admins" }),
  );
  return { poolId, clientId };
}

async function signIn(poolId: string, clientId: string) {
  const out = await h.server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "wen", PASSWORD },
    }),
  );
  return out.AuthenticationResult ?? {};
}

describe("PreTokenGeneration V1", () => {
  it("receives the user, the groups and no scopes, and changes the ID token's claims and both tokens' groups", async () => {
    const arn = h.define(
      "pre-token-v1",
      "event.response.claimsOverrideDetails = {\n" +
        "  claimsToAddOrOverride: { tenant: 'acme', email: 'masked@example.com', sub: 'not-allowed' },\n" +
        "  claimsToSuppress: ['email_verified'],\n" +
        "  groupOverrideDetails: { groupsToOverride: ['readers'], iamRolesToOverride: [], preferredRole: null },\n" +
        "};\nreturn event;",
    );
    const { poolId, clientId } = await setUp({ PreTokenGeneration: arn });
    const tokens = await signIn(poolId, clientId);
    const event = h.onlyEvent("pre-token-v1");
    expect(event).toMatchObject({
      version: "1",
      triggerSource: "TokenGeneration_Authentication",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "wen",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      response: { claimsOverrideDetails: null },
    });
    expect(event.request).toEqual({
      userAttributes: {
        sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: "wen@example.com",
        "cognito:user_status": "CONFIRMED",
      },
      groupConfiguration: { groupsToOverride: ["admins"], iamRolesToOverride: [ROLE], preferredRole: ROLE },
      clientMetadata: {},
    });
    const id = claims(tokens.IdToken);
    expect(id.tenant).toBe("acme");
    expect(id.email).toBe("masked@example.com");
    expect(id.sub).toBe((event.request as { userAttributes: { sub: string } }).userAttributes.sub);
    expect(id).not.toHaveProperty("email_verified");
    expect(id["cognito:groups"]).toEqual(["readers"]);
    expect(id).not.toHaveProperty("cognito:roles");
    expect(id).not.toHaveProperty("cognito:preferred_role");
    const access = claims(tokens.AccessToken);
    expect(access["cognito:groups"]).toEqual(["readers"]);
    expect(access).not.toHaveProperty("tenant");
  });

  it("refuses claim values that are not strings", async () => {
    const arn = h.define(
      "pre-token-v1-number",
      "event.response.claimsOverrideDetails = { claimsToAddOrOverride: { level: 3 } };\nreturn event;",
    );
    const { poolId, clientId } = await setUp({ PreTokenGeneration: arn });
    await expectError(
      signIn(poolId, clientId),
      "InvalidLambdaResponseException",
      "Unrecognizable lambda output",
    );
  });

  it("fails the sign-in with the function's error", async () => {
    const arn = h.define("pre-token-v1-fails", "throw new Error('No tenant');");
    const { poolId, clientId } = await setUp({ PreTokenGeneration: arn });
    await expectError(
      signIn(poolId, clientId),
      "UserLambdaValidationException",
      "PreTokenGeneration failed with error No tenant.",
    );
  });
});

describe("PreTokenGeneration V2 and V3", () => {
  const V2_CHANGES =
    "event.response.claimsAndScopeOverrideDetails = {\n" +
    "  idTokenGeneration: { claimsToAddOrOverride: { roles: ['a', 'b'], profile: { tier: 'gold' } }, claimsToSuppress: ['email'] },\n" +
    "  accessTokenGeneration: {\n" +
    "    claimsToAddOrOverride: { tenant: 'acme', client_id: 'forged', aud: event.callerContext.clientId },\n" +
    "    claimsToSuppress: ['username'],\n" +
    "    scopesToAdd: ['orders/read', 'orders/write'],\n" +
    "    scopesToSuppress: ['aws.cognito.signin.user.admin'],\n" +
    "  },\n" +
    "  groupOverrideDetails: {},\n" +
    "};\nreturn event;";

  it("V2 sees the scopes, and changes both tokens: typed claims, scopes, groups removed", async () => {
    const arn = h.define("pre-token-v2", V2_CHANGES);
    const { poolId, clientId } = await setUp({
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn },
    });
    const tokens = await signIn(poolId, clientId);
    const event = h.onlyEvent("pre-token-v2");
    expect(event.version).toBe("2");
    expect(event.response).toEqual({ claimsAndScopeOverrideDetails: null });
    expect((event.request as { scopes: string[] }).scopes).toEqual(["aws.cognito.signin.user.admin"]);
    const id = claims(tokens.IdToken);
    expect(id.roles).toEqual(["a", "b"]);
    expect(id.profile).toEqual({ tier: "gold" });
    expect(id).not.toHaveProperty("email");
    expect(id).not.toHaveProperty("cognito:groups");
    const access = claims(tokens.AccessToken);
    expect(access.tenant).toBe("acme");
    expect(access.aud).toBe(clientId);
    // Claims Cognito keeps for itself stay as they are.
    expect(access.client_id).toBe(clientId);
    expect(access.username).toBe("wen");
    expect(access.scope).toBe("orders/read orders/write");
    expect(access).not.toHaveProperty("cognito:groups");
  });

  it("V3 gets version 3 and runs on refresh with the refresh's ClientMetadata", async () => {
    const arn = h.define("pre-token-v3", RETURN_EVENT);
    const { poolId, clientId } = await setUp({
      PreTokenGenerationConfig: { LambdaVersion: "V3_0", LambdaArn: arn },
    });
    const tokens = await signIn(poolId, clientId);
    await h.server.client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "REFRESH_TOKEN_AUTH",
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken as string },
      }),
    );
    await h.server.client.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: clientId,
        RefreshToken: tokens.RefreshToken,
        ClientMetadata: { refresh: "yes" },
      }),
    );
    const events = h.events("pre-token-v3") as {
      version: string;
      triggerSource: string;
      request: { clientMetadata: unknown };
    }[];
    expect(events.map((e) => [e.version, e.triggerSource])).toEqual([
      ["3", "TokenGeneration_Authentication"],
      ["3", "TokenGeneration_RefreshTokens"],
      ["3", "TokenGeneration_RefreshTokens"],
    ]);
    expect(events.map((e) => e.request.clientMetadata)).toEqual([{}, {}, { refresh: "yes" }]);
  });

  it("refuses scopes with spaces", async () => {
    const arn = h.define(
      "pre-token-v2-space",
      "event.response.claimsAndScopeOverrideDetails = { accessTokenGeneration: { scopesToAdd: ['a b'] } };\nreturn event;",
    );
    const { poolId, clientId } = await setUp({
      PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn },
    });
    await expectError(
      signIn(poolId, clientId),
      "InvalidLambdaResponseException",
      "Unrecognizable lambda output",
    );
  });
});
