import {
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandInput,
  AdminResetUserPasswordCommand,
  InitiateAuthCommand,
  type InitiateAuthCommandInput,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claims,
  createClient,
  createPool,
  createUser,
  expectError,
  expectPastClientGate,
  expectTokens,
  PASSWORD,
  secretHash,
  TEMPORARY_PASSWORD,
  type TestClient,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let poolId: string;
let app: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server, { AliasAttributes: ["email"] });
  app = await createClient(server, poolId);
  await createUser(server, poolId, "alice", {
    attributes: [
      { Name: "email", Value: "alice@example.com" },
      { Name: "email_verified", Value: "true" },
    ],
  });
});
afterAll(async () => server.stop());

function adminAuth(input: Partial<AdminInitiateAuthCommandInput> = {}) {
  return server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: app.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "alice", PASSWORD },
      ...input,
    }),
  );
}

function publicAuth(input: Partial<InitiateAuthCommandInput> = {}) {
  return server.client.send(
    new InitiateAuthCommand({
      ClientId: app.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "alice", PASSWORD },
      ...input,
    }),
  );
}

describe("password sign-in", () => {
  it("AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH returns tokens and a refresh token", async () => {
    const out = await adminAuth();
    expectTokens(out);
    expect(out.AuthenticationResult?.RefreshToken).toBeTruthy();
    expect(claims(out.AuthenticationResult?.AccessToken).username).toBe("alice");
  });

  it("treats the legacy ADMIN_NO_SRP_AUTH as the same flow", async () => {
    expectTokens(await adminAuth({ AuthFlow: "ADMIN_NO_SRP_AUTH" }));
  });

  it("InitiateAuth USER_PASSWORD_AUTH returns tokens", async () => {
    const out = await publicAuth();
    expectTokens(out);
    expect(out.AuthenticationResult?.RefreshToken).toBeTruthy();
  });

  it("accepts ClientMetadata, AnalyticsMetadata and a valid ContextData", async () => {
    expectTokens(
      await adminAuth({
        ClientMetadata: { source: "test" },
        AnalyticsMetadata: { AnalyticsEndpointId: "endpoint-1" },
        ContextData: {
          IpAddress: "2001:db8::1",
          ServerName: "app.example.com",
          ServerPath: "/login",
          HttpHeaders: [{ headerName: "User-Agent", headerValue: "test" }],
        },
      }),
    );
    expectTokens(
      await publicAuth({
        ClientMetadata: { source: "test" },
        UserContextData: { IpAddress: "192.0.2.7", EncodedData: "abc" },
      }),
    );
  });

  it("refuses a ContextData IpAddress that is not an IP address", async () => {
    const contextData = { IpAddress: "not-an-ip", ServerName: "s", ServerPath: "/", HttpHeaders: [] };
    await expectError(
      adminAuth({ ContextData: contextData }),
      "InvalidParameterException",
      "1 validation error detected: Value at 'contextData.ipAddress' failed to satisfy constraint: Member must be a valid IPv4 or IPv6 address",
    );
    await expectError(
      publicAuth({ UserContextData: { IpAddress: "300.1.1.1" } }),
      "InvalidParameterException",
      "1 validation error detected: Value at 'userContextData.ipAddress' failed to satisfy constraint: Member must be a valid IPv4 or IPv6 address",
    );
  });
});

describe("pool and client", () => {
  it("names a missing pool", async () => {
    await expectError(
      adminAuth({ UserPoolId: "us-east-1_nonexist0" }),
      "ResourceNotFoundException",
      "User pool us-east-1_nonexist0 does not exist.",
    );
  });

  it("names a missing client, and a client of another pool", async () => {
    await expectError(
      adminAuth({ ClientId: "nosuchclient" }),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
    const otherPool = await createPool(server);
    const other = await createClient(server, otherPool);
    await expectError(
      adminAuth({ ClientId: other.clientId }),
      "ResourceNotFoundException",
      `User pool client ${other.clientId} does not exist.`,
    );
    await expectError(
      publicAuth({ ClientId: "nosuchclient" }),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
  });
});

describe("flow valid for the operation", () => {
  it("refuses USER_PASSWORD_AUTH on AdminInitiateAuth and the admin flows on InitiateAuth", async () => {
    const message = "Initiate Auth method not supported.";
    await expectError(adminAuth({ AuthFlow: "USER_PASSWORD_AUTH" }), "InvalidParameterException", message);
    await expectError(
      publicAuth({ AuthFlow: "ADMIN_USER_PASSWORD_AUTH" }),
      "InvalidParameterException",
      message,
    );
    await expectError(publicAuth({ AuthFlow: "ADMIN_NO_SRP_AUTH" }), "InvalidParameterException", message);
  });

  it("checks the operation before the client's flows", async () => {
    const srpOnly = await createClient(server, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    await expectError(
      adminAuth({ ClientId: srpOnly.clientId, AuthFlow: "USER_PASSWORD_AUTH" }),
      "InvalidParameterException",
      "Initiate Auth method not supported.",
    );
  });
});

describe("flow enabled on the client", () => {
  let srpOnly: TestClient;
  let defaults: TestClient;
  let legacyAdmin: TestClient;
  let legacyUser: TestClient;
  let legacyCustomOnly: TestClient;

  beforeAll(async () => {
    srpOnly = await createClient(server, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    defaults = await createClient(server, poolId, { ExplicitAuthFlows: undefined });
    legacyAdmin = await createClient(server, poolId, { ExplicitAuthFlows: ["ADMIN_NO_SRP_AUTH"] });
    legacyUser = await createClient(server, poolId, { ExplicitAuthFlows: ["USER_PASSWORD_AUTH"] });
    legacyCustomOnly = await createClient(server, poolId, { ExplicitAuthFlows: ["CUSTOM_AUTH_FLOW_ONLY"] });
  });

  it("answers each flow's own message when the client does not allow it", async () => {
    await expectError(
      adminAuth({ ClientId: srpOnly.clientId }),
      "InvalidParameterException",
      "Auth flow not enabled for this client",
    );
    await expectError(
      publicAuth({ ClientId: srpOnly.clientId }),
      "InvalidParameterException",
      "USER_PASSWORD_AUTH flow not enabled for this client",
    );
    await expectError(
      adminAuth({ ClientId: app.clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: "alice" } }),
      "InvalidParameterException",
      "USER_SRP_AUTH is not enabled for the client.",
    );
    await expectError(
      adminAuth({ ClientId: app.clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "alice" } }),
      "InvalidParameterException",
      "CUSTOM_AUTH is not enabled for the client.",
    );
    await expectError(
      publicAuth({ ClientId: app.clientId, AuthFlow: "USER_AUTH", AuthParameters: { USERNAME: "alice" } }),
      "InvalidParameterException",
      "USER_AUTH flow not enabled for this client",
    );
  });

  it("allows SRP, custom auth and refresh by default, and no password flow", async () => {
    await expectError(
      adminAuth({ ClientId: defaults.clientId }),
      "InvalidParameterException",
      "Auth flow not enabled for this client",
    );
    await expectError(
      publicAuth({ ClientId: defaults.clientId }),
      "InvalidParameterException",
      "USER_PASSWORD_AUTH flow not enabled for this client",
    );
    await expectPastClientGate(
      adminAuth({
        ClientId: defaults.clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: "alice" },
      }),
      "USER_SRP_AUTH is not enabled for the client.",
    );
    await expectPastClientGate(
      adminAuth({
        ClientId: defaults.clientId,
        AuthFlow: "CUSTOM_AUTH",
        AuthParameters: { USERNAME: "alice" },
      }),
      "CUSTOM_AUTH is not enabled for the client.",
    );
  });

  it("reads the legacy lists: each names its password flow, and SRP, custom and refresh come with them", async () => {
    expectTokens(await adminAuth({ ClientId: legacyAdmin.clientId }));
    await expectError(
      publicAuth({ ClientId: legacyAdmin.clientId }),
      "InvalidParameterException",
      "USER_PASSWORD_AUTH flow not enabled for this client",
    );
    expectTokens(await publicAuth({ ClientId: legacyUser.clientId }));
    await expectError(
      adminAuth({ ClientId: legacyUser.clientId }),
      "InvalidParameterException",
      "Auth flow not enabled for this client",
    );
    await expectPastClientGate(
      publicAuth({
        ClientId: legacyUser.clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: "alice" },
      }),
      "USER_SRP_AUTH is not enabled for the client.",
    );
    await expectError(
      publicAuth({
        ClientId: legacyCustomOnly.clientId,
        AuthFlow: "USER_SRP_AUTH",
        AuthParameters: { USERNAME: "alice" },
      }),
      "InvalidParameterException",
      "USER_SRP_AUTH is not enabled for the client.",
    );
  });

  it("runs USER_AUTH for a client that allows it (test/e2e/user-auth covers the flow)", async () => {
    const choice = await createClient(server, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    const out = await publicAuth({
      ClientId: choice.clientId,
      AuthFlow: "USER_AUTH",
      AuthParameters: { USERNAME: "alice" },
    });
    expect(out.ChallengeName).toBe("SELECT_CHALLENGE");
  });
});

describe("required parameters", () => {
  it("names the first missing one", async () => {
    await expectError(
      adminAuth({ AuthParameters: {} }),
      "InvalidParameterException",
      "Missing required parameter USERNAME",
    );
    await expectError(
      adminAuth({ AuthParameters: undefined }),
      "InvalidParameterException",
      "Missing required parameter USERNAME",
    );
    await expectError(
      adminAuth({ AuthParameters: { USERNAME: "alice" } }),
      "InvalidParameterException",
      "Missing required parameter PASSWORD",
    );
    await expectError(
      publicAuth({ AuthParameters: { PASSWORD } }),
      "InvalidParameterException",
      "Missing required parameter USERNAME",
    );
    await expectError(
      publicAuth({ AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: {} }),
      "InvalidParameterException",
      "Missing required parameter REFRESH_TOKEN",
    );
  });

  it("treats a JSON null parameter as absent", async () => {
    const res = await server.call("InitiateAuth", {
      ClientId: app.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "alice", PASSWORD, DEVICE_KEY: null },
    });
    expect(res.status).toBe(200);
    const missing = await server.call("InitiateAuth", {
      ClientId: app.clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "alice", PASSWORD: null },
    });
    expect(missing.body).toEqual({
      __type: "InvalidParameterException",
      message: "Missing required parameter PASSWORD",
    });
  });

  it("checks the flow's gates before its parameters", async () => {
    const srpOnly = await createClient(server, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    await expectError(
      adminAuth({ ClientId: srpOnly.clientId, AuthParameters: {} }),
      "InvalidParameterException",
      "Auth flow not enabled for this client",
    );
  });
});

describe("client secret", () => {
  let secretClient: TestClient;
  beforeAll(async () => {
    secretClient = await createClient(server, poolId, { GenerateSecret: true });
  });

  it("requires SECRET_HASH, after the required parameters", async () => {
    await expectError(
      adminAuth({ ClientId: secretClient.clientId }),
      "NotAuthorizedException",
      `Client ${secretClient.clientId} is configured with secret but SECRET_HASH was not received`,
    );
    await expectError(
      adminAuth({ ClientId: secretClient.clientId, AuthParameters: { USERNAME: "alice" } }),
      "InvalidParameterException",
      "Missing required parameter PASSWORD",
    );
  });

  it("refuses a wrong SECRET_HASH, before looking at the user", async () => {
    await expectError(
      adminAuth({
        ClientId: secretClient.clientId,
        AuthParameters: { USERNAME: "nobody", PASSWORD, SECRET_HASH: secretHash(secretClient, "alice") },
      }),
      "NotAuthorizedException",
      `Unable to verify secret hash for client ${secretClient.clientId}`,
    );
  });

  it("accepts the hash over the name sent, an alias included", async () => {
    expectTokens(
      await adminAuth({
        ClientId: secretClient.clientId,
        AuthParameters: { USERNAME: "alice", PASSWORD, SECRET_HASH: secretHash(secretClient, "alice") },
      }),
    );
    expectTokens(
      await publicAuth({
        ClientId: secretClient.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: {
          USERNAME: "alice@example.com",
          PASSWORD,
          SECRET_HASH: secretHash(secretClient, "alice@example.com"),
        },
      }),
    );
  });

  it("ignores a SECRET_HASH sent to a client without a secret", async () => {
    expectTokens(await adminAuth({ AuthParameters: { USERNAME: "alice", PASSWORD, SECRET_HASH: "bogus" } }));
  });
});

describe("finding the user", () => {
  it("by username, verified email alias or sub", async () => {
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "alice" }));
    const sub = user.UserAttributes?.find((a) => a.Name === "sub")?.Value as string;
    for (const name of ["alice", "alice@example.com", sub]) {
      const out = await adminAuth({ AuthParameters: { USERNAME: name, PASSWORD } });
      expect(claims(out.AuthenticationResult?.AccessToken).username).toBe("alice");
    }
  });

  it("by verified phone number alias", async () => {
    const pool = await createPool(server, { AliasAttributes: ["phone_number"] });
    const client = await createClient(server, pool);
    await createUser(server, pool, "carol", {
      attributes: [
        { Name: "phone_number", Value: "+15555550100" },
        { Name: "phone_number_verified", Value: "true" },
      ],
    });
    const out = await adminAuth({
      UserPoolId: pool,
      ClientId: client.clientId,
      AuthParameters: { USERNAME: "+15555550100", PASSWORD },
    });
    expect(claims(out.AuthenticationResult?.AccessToken).username).toBe("carol");
  });

  it("by email in a pool that uses the email as username, whose real username is the sub", async () => {
    const pool = await createPool(server, { UsernameAttributes: ["email"] });
    const client = await createClient(server, pool);
    await createUser(server, pool, "dave@example.com", { temporary: true });
    const started = await adminAuth({
      UserPoolId: pool,
      ClientId: client.clientId,
      AuthParameters: { USERNAME: "dave@example.com", PASSWORD: TEMPORARY_PASSWORD },
    });
    const user = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: pool, Username: "dave@example.com" }),
    );
    expect(user.Username).toMatch(/^[0-9a-f-]{36}$/);
    expect(started.ChallengeParameters?.USER_ID_FOR_SRP).toBe(user.Username);
  });

  it("with the pool's case rule", async () => {
    const sensitive = await createPool(server, { UsernameConfiguration: { CaseSensitive: true } });
    const sensitiveClient = await createClient(server, sensitive);
    await createUser(server, sensitive, "Bob");
    const insensitive = await createPool(server, { UsernameConfiguration: { CaseSensitive: false } });
    const insensitiveClient = await createClient(server, insensitive);
    await createUser(server, insensitive, "Bob");
    const signIn = (pool: string, client: TestClient, username: string) =>
      adminAuth({
        UserPoolId: pool,
        ClientId: client.clientId,
        AuthParameters: { USERNAME: username, PASSWORD },
      });

    expectTokens(await signIn(sensitive, sensitiveClient, "Bob"));
    await expectError(
      signIn(sensitive, sensitiveClient, "bob"),
      "UserNotFoundException",
      "User does not exist.",
    );
    const out = await signIn(insensitive, insensitiveClient, "BOB");
    expect(claims(out.AuthenticationResult?.AccessToken).username).toBe("Bob");
  });
});

describe("unknown users and PreventUserExistenceErrors", () => {
  let hiding: TestClient;
  beforeAll(async () => {
    hiding = await createClient(server, poolId, { PreventUserExistenceErrors: "ENABLED" });
  });

  it("LEGACY reveals that the user does not exist", async () => {
    await expectError(
      adminAuth({ AuthParameters: { USERNAME: "nobody", PASSWORD } }),
      "UserNotFoundException",
      "User does not exist.",
    );
    await expectError(
      publicAuth({ AuthParameters: { USERNAME: "nobody", PASSWORD } }),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  it("ENABLED answers as for a wrong password", async () => {
    await expectError(
      adminAuth({ ClientId: hiding.clientId, AuthParameters: { USERNAME: "nobody", PASSWORD } }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await expectError(
      publicAuth({ ClientId: hiding.clientId, AuthParameters: { USERNAME: "x".repeat(300), PASSWORD } }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await expectError(
      adminAuth({
        ClientId: hiding.clientId,
        AuthParameters: { USERNAME: "alice", PASSWORD: "Wrong-passw0rd" },
      }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });
});

describe("passwords", () => {
  it("a wrong password is refused", async () => {
    await expectError(
      adminAuth({ AuthParameters: { USERNAME: "alice", PASSWORD: "Wrong-passw0rd" } }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("a password over 256 characters fails as incorrect, not as a validation error", async () => {
    await expectError(
      adminAuth({ AuthParameters: { USERNAME: "alice", PASSWORD: `${PASSWORD}${"x".repeat(300)}` } }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });
});

describe("account state", () => {
  it("a disabled user is refused, even with a wrong password", async () => {
    await createUser(server, poolId, "disabled");
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "disabled" }));
    await expectError(
      adminAuth({ AuthParameters: { USERNAME: "disabled", PASSWORD } }),
      "NotAuthorizedException",
      "User is disabled.",
    );
    await expectError(
      publicAuth({ AuthParameters: { USERNAME: "disabled", PASSWORD: "Wrong-passw0rd" } }),
      "NotAuthorizedException",
      "User is disabled.",
    );
  });

  it("an unconfirmed user is told so, even with a wrong password", async () => {
    await server.client.send(
      new SignUpCommand({
        ClientId: app.clientId,
        Username: "signedup",
        Password: PASSWORD,
      }),
    );
    for (const password of [PASSWORD, "Wrong-passw0rd"]) {
      await expectError(
        adminAuth({ AuthParameters: { USERNAME: "signedup", PASSWORD: password } }),
        "UserNotConfirmedException",
        "User is not confirmed.",
      );
    }
  });

  it("a user whose password was reset must reset it", async () => {
    await createUser(server, poolId, "reset", {
      attributes: [
        { Name: "email", Value: "reset@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: "reset" }));
    await expectError(
      adminAuth({ AuthParameters: { USERNAME: "reset", PASSWORD } }),
      "PasswordResetRequiredException",
      "Password reset required for the user",
    );
  });

  it("a temporary password works until TemporaryPasswordValidityDays have passed", async () => {
    const pool = await createPool(server, {
      Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 2 } },
    });
    const client = await createClient(server, pool);
    await createUser(server, pool, "temp", { temporary: true });
    const signIn = () =>
      adminAuth({
        UserPoolId: pool,
        ClientId: client.clientId,
        AuthParameters: { USERNAME: "temp", PASSWORD: "Temp0rary-pass!" },
      });
    expect((await signIn()).ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const realClock = server.services.clock;
    try {
      server.services.clock = () => new Date(realClock().getTime() + 2 * 24 * 3600 * 1000 - 60_000);
      expect((await signIn()).ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
      server.services.clock = () => new Date(realClock().getTime() + 2 * 24 * 3600 * 1000 + 60_000);
      await expectError(
        signIn(),
        "NotAuthorizedException",
        "Temporary password has expired and must be reset by an administrator.",
      );
    } finally {
      server.services.clock = realClock;
    }
  });
});
