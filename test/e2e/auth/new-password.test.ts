import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type AdminRespondToAuthChallengeCommandInput,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claims,
  createClient,
  createPool,
  createUser,
  expectError,
  expectTokens,
  secretHash,
  TEMPORARY_PASSWORD,
  type TestClient,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const NEW_PASSWORD = "Brand-new-passw0rd";

let server: TestServer;
let poolId: string;
let app: TestClient;
let userCount = 0;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server, {
    AliasAttributes: ["email"],
    Schema: [{ Name: "name", AttributeDataType: "String", Required: true, Mutable: true }],
  });
  app = await createClient(server, poolId);
});
afterAll(async () => server.stop());

/** A new FORCE_CHANGE_PASSWORD user with an email but without the required `name`. */
async function invitedUser(): Promise<string> {
  const username = `invited${++userCount}`;
  await createUser(server, poolId, username, {
    temporary: true,
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
    ],
  });
  return username;
}

async function challenge(username: string, clientId = app.clientId) {
  return server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: TEMPORARY_PASSWORD },
    }),
  );
}

function answer(input: Partial<AdminRespondToAuthChallengeCommandInput>) {
  return server.client.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId,
      ClientId: app.clientId,
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      ...input,
    }),
  );
}

/** A complete, valid answer for the user. */
function responses(username: string, extra: Record<string, string> = {}) {
  return { USERNAME: username, NEW_PASSWORD, "userAttributes.name": "Ada", ...extra };
}

describe("issuing NEW_PASSWORD_REQUIRED", () => {
  it("after the correct temporary password, with Cognito's parameters and a session", async () => {
    const username = await invitedUser();
    const out = await challenge(username);
    expect(out.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    expect(out.AuthenticationResult).toBeUndefined();
    expect(out.Session?.length).toBeGreaterThanOrEqual(20);
    expect(out.Session?.length).toBeLessThanOrEqual(2048);
    expect(Object.keys(out.ChallengeParameters ?? {}).sort()).toEqual([
      "USER_ID_FOR_SRP",
      "requiredAttributes",
      "userAttributes",
    ]);
    expect(out.ChallengeParameters?.USER_ID_FOR_SRP).toBe(username);
    expect(JSON.parse(out.ChallengeParameters?.requiredAttributes as string)).toEqual([
      "userAttributes.name",
    ]);
    expect(JSON.parse(out.ChallengeParameters?.userAttributes as string)).toEqual({
      email: `${username}@example.com`,
      email_verified: "true",
    });
  });

  it("names the real username in USER_ID_FOR_SRP when the user signs in with an alias", async () => {
    const username = await invitedUser();
    const out = await challenge(`${username}@example.com`);
    expect(out.ChallengeParameters?.USER_ID_FOR_SRP).toBe(username);
  });

  it("lists no required attribute the user already has", async () => {
    const username = `named${++userCount}`;
    await createUser(server, poolId, username, {
      temporary: true,
      attributes: [{ Name: "name", Value: "Ada" }],
    });
    const out = await challenge(username);
    expect(out.ChallengeParameters?.requiredAttributes).toBe("[]");
    expect(JSON.parse(out.ChallengeParameters?.userAttributes as string)).toEqual({ name: "Ada" });
  });

  it("refuses a wrong temporary password", async () => {
    const username = await invitedUser();
    await expectError(
      server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: app.clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD: "Wrong-passw0rd" },
        }),
      ),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });
});

describe("answering NEW_PASSWORD_REQUIRED", () => {
  it("sets the password and attributes, confirms the user and returns tokens", async () => {
    const username = await invitedUser();
    const { Session } = await challenge(username);
    const out = await answer({ Session, ChallengeResponses: responses(username) });
    expectTokens(out);
    expect(out.AuthenticationResult?.RefreshToken).toBeTruthy();
    expect(claims(out.AuthenticationResult?.IdToken)["cognito:username"]).toBe(username);

    const user = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: username }),
    );
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(user.UserAttributes?.find((a) => a.Name === "name")?.Value).toBe("Ada");

    expectTokens(
      await server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: app.clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD: NEW_PASSWORD },
        }),
      ),
    );
    await expectError(challenge(username), "NotAuthorizedException", "Incorrect username or password.");
  });

  it("works on the public operations too, with the alias as USERNAME", async () => {
    const username = await invitedUser();
    const started = await server.client.send(
      new InitiateAuthCommand({
        ClientId: app.clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: TEMPORARY_PASSWORD },
      }),
    );
    expect(started.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const out = await server.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: app.clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: started.Session,
        ChallengeResponses: responses(`${username}@example.com`),
      }),
    );
    expectTokens(out);
  });

  it("requires the Session, USERNAME and NEW_PASSWORD", async () => {
    const username = await invitedUser();
    const { Session } = await challenge(username);
    await expectError(
      answer({ ChallengeResponses: responses(username) }),
      "InvalidParameterException",
      "Missing required parameter Session",
    );
    await expectError(
      answer({ Session, ChallengeResponses: { NEW_PASSWORD } }),
      "InvalidParameterException",
      "Missing required parameter USERNAME",
    );
    await expectError(
      answer({ Session, ChallengeResponses: { USERNAME: username } }),
      "InvalidParameterException",
      "Missing required parameter NEW_PASSWORD",
    );
    expectTokens(await answer({ Session, ChallengeResponses: responses(username) }));
  });

  it("refuses a USERNAME of another user", async () => {
    const username = await invitedUser();
    const other = await invitedUser();
    const { Session } = await challenge(username);
    await expectError(
      answer({ Session, ChallengeResponses: responses(other) }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await expectError(
      answer({ Session, ChallengeResponses: responses("nobody") }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("refuses an answer for another challenge than the session waits for", async () => {
    const username = await invitedUser();
    const { Session } = await challenge(username);
    await expectError(
      answer({
        ChallengeName: "SMS_MFA",
        Session,
        ChallengeResponses: { USERNAME: username, SMS_MFA_CODE: "123456" },
      }),
      "InvalidParameterException",
      "Invalid challenge name for the current session: expected NEW_PASSWORD_REQUIRED.",
    );
    // The session was not spent by the refusal.
    expectTokens(await answer({ Session, ChallengeResponses: responses(username) }));
  });

  it("needs the Session of a challenge issued with one, and refuses ones that are never answered", async () => {
    await expectError(
      answer({ ChallengeName: "SOFTWARE_TOKEN_MFA", ChallengeResponses: { USERNAME: "x" } }),
      "InvalidParameterException",
      "Missing required parameter Session",
    );
    await expectError(
      answer({ ChallengeName: "ADMIN_NO_SRP_AUTH", ChallengeResponses: { USERNAME: "x" } }),
      "InvalidParameterException",
      "ADMIN_NO_SRP_AUTH is not a challenge that can be answered.",
    );
  });

  it("checks the new password against the policy and leaves the session usable", async () => {
    const username = await invitedUser();
    const { Session } = await challenge(username);
    await expectError(
      answer({ Session, ChallengeResponses: responses(username, { NEW_PASSWORD: "short" }) }),
      "InvalidPasswordException",
      "Password does not conform to policy: Password not long enough",
    );
    await expectError(
      answer({ Session, ChallengeResponses: responses(username, { NEW_PASSWORD: "nouppercase-1!" }) }),
      "InvalidPasswordException",
      "Password does not conform to policy: Password must have uppercase characters",
    );
    expectTokens(await answer({ Session, ChallengeResponses: responses(username) }));
  });

  it("requires the required attributes the user lacks", async () => {
    const username = await invitedUser();
    const { Session } = await challenge(username);
    await expectError(
      answer({ Session, ChallengeResponses: { USERNAME: username, NEW_PASSWORD } }),
      "InvalidParameterException",
      "Invalid attributes given, name is missing",
    );
    await expectError(
      answer({ Session, ChallengeResponses: responses(username, { "userAttributes.name": "" }) }),
      "InvalidParameterException",
      "Invalid attributes given, name is missing",
    );
  });

  it("refuses to re-send a required attribute that already has a value", async () => {
    const username = `named${++userCount}`;
    await createUser(server, poolId, username, {
      temporary: true,
      attributes: [{ Name: "name", Value: "Ada" }],
    });
    const { Session } = await challenge(username);
    await expectError(
      answer({ Session, ChallengeResponses: responses(username, { "userAttributes.name": "Ada" }) }),
      "NotAuthorizedException",
      "Cannot modify an already provided name",
    );
  });

  it("refuses attributes the client may not write", async () => {
    const username = await invitedUser();
    const { Session } = await challenge(username);
    await expectError(
      answer({
        Session,
        ChallengeResponses: responses(username, { "userAttributes.email_verified": "true" }),
      }),
      "NotAuthorizedException",
      "A client attempted to write unauthorized attribute",
    );
  });

  it("keeps the password history of the pool", async () => {
    const pool = await createPool(server, {
      Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 2 } },
    });
    const client = await createClient(server, pool);
    await createUser(server, pool, "history", { temporary: true });
    const started = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool,
        ClientId: client.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "history", PASSWORD: TEMPORARY_PASSWORD },
      }),
    );
    await expect(
      server.client.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: pool,
          ClientId: client.clientId,
          ChallengeName: "NEW_PASSWORD_REQUIRED",
          Session: started.Session,
          ChallengeResponses: { USERNAME: "history", NEW_PASSWORD: TEMPORARY_PASSWORD },
        }),
      ),
    ).rejects.toMatchObject({ name: "PasswordHistoryPolicyViolationException" });
  });

  it("requires SECRET_HASH over USERNAME or the real username for a client with a secret", async () => {
    const secretClient = await createClient(server, poolId, { GenerateSecret: true });
    const username = await invitedUser();
    const started = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: secretClient.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: {
          USERNAME: `${username}@example.com`,
          PASSWORD: TEMPORARY_PASSWORD,
          SECRET_HASH: secretHash(secretClient, `${username}@example.com`),
        },
      }),
    );
    const respond = (extra: Record<string, string>) =>
      answer({
        ClientId: secretClient.clientId,
        Session: started.Session,
        ChallengeResponses: responses(`${username}@example.com`, extra),
      });
    await expectError(
      respond({}),
      "NotAuthorizedException",
      `Client ${secretClient.clientId} is configured with secret but SECRET_HASH was not received`,
    );
    await expectError(
      respond({ SECRET_HASH: secretHash(secretClient, "someone-else") }),
      "NotAuthorizedException",
      `Unable to verify secret hash for client ${secretClient.clientId}`,
    );
    expectTokens(await respond({ SECRET_HASH: secretHash(secretClient, username) }));
  });

  it("re-checks the user: deleted or disabled since the challenge", async () => {
    const deleted = await invitedUser();
    const first = await challenge(deleted);
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: deleted }));
    await expectError(
      answer({ Session: first.Session, ChallengeResponses: responses(deleted) }),
      "UserNotFoundException",
      "User does not exist.",
    );

    const disabled = await invitedUser();
    const second = await challenge(disabled);
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: disabled }));
    await expectError(
      answer({ Session: second.Session, ChallengeResponses: responses(disabled) }),
      "NotAuthorizedException",
      "User is disabled.",
    );
  });
});

describe("sessions", () => {
  it("are single-use", async () => {
    const username = await invitedUser();
    const { Session } = await challenge(username);
    expectTokens(await answer({ Session, ChallengeResponses: responses(username) }));
    await expectError(
      answer({ Session, ChallengeResponses: responses(username) }),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("are new for every challenge", async () => {
    const username = await invitedUser();
    const first = await challenge(username);
    const second = await challenge(username);
    expect(second.Session).not.toBe(first.Session);
    expectTokens(await answer({ Session: first.Session, ChallengeResponses: responses(username) }));
  });

  it("refuse garbage, and sessions of another client", async () => {
    const username = await invitedUser();
    await expectError(
      answer({ Session: "x".repeat(40), ChallengeResponses: responses(username) }),
      "NotAuthorizedException",
      "Invalid session for the user.",
    );
    const other = await createClient(server, poolId);
    const { Session } = await challenge(username, other.clientId);
    await expectError(
      answer({ Session, ChallengeResponses: responses(username) }),
      "NotAuthorizedException",
      "Invalid session for the user.",
    );
    const otherPool = await createPool(server);
    const otherPoolClient = await createClient(server, otherPool);
    await expectError(
      answer({
        UserPoolId: otherPool,
        ClientId: otherPoolClient.clientId,
        Session,
        ChallengeResponses: responses(username),
      }),
      "NotAuthorizedException",
      "Invalid session for the user.",
    );
  });

  it("expire after the client's AuthSessionValidity", async () => {
    const fiveMinutes = await createClient(server, poolId, { AuthSessionValidity: 5 });
    const username = await invitedUser();
    const { Session } = await challenge(username, fiveMinutes.clientId);
    const realClock = server.services.clock;
    try {
      server.services.clock = () => new Date(realClock().getTime() + 5 * 60 * 1000 + 1000);
      await expectError(
        answer({ ClientId: fiveMinutes.clientId, Session, ChallengeResponses: responses(username) }),
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
      );
      server.services.clock = () => new Date(realClock().getTime() + 5 * 60 * 1000 - 5000);
      expectTokens(
        await answer({ ClientId: fiveMinutes.clientId, Session, ChallengeResponses: responses(username) }),
      );
    } finally {
      server.services.clock = realClock;
    }
  });

  it("end with their user, or when its password was set by an administrator in the meantime", async () => {
    const recreated = await invitedUser();
    const first = await challenge(recreated);
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: recreated }));
    await createUser(server, poolId, recreated, { temporary: true });
    await expectError(
      answer({ Session: first.Session, ChallengeResponses: responses(recreated) }),
      "UserNotFoundException",
      "User does not exist.",
    );

    const username = await invitedUser();
    const { Session } = await challenge(username);
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: username,
        Password: NEW_PASSWORD,
        Permanent: true,
      }),
    );
    await expectError(
      answer({ Session, ChallengeResponses: responses(username) }),
      "NotAuthorizedException",
      "Invalid session for the user.",
    );
  });
});
