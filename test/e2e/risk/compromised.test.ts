/** Compromised credentials: a breached password refused at sign-up, sign-in and password changes. */
import {
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  ChangePasswordCommand,
  type CreateUserPoolCommandInput,
  SetRiskConfigurationCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, expectError, expectTokens, PASSWORD } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { events, protectedPool, signIn } from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

/** On the breached-password list (any case), yet within this pool's policy. */
const BREACHED = "Password123";
const REFUSED = [
  "InvalidPasswordException",
  "Provided password cannot be used for security reasons.",
] as const;
const RELAXED: Partial<CreateUserPoolCommandInput> = {
  Policies: {
    PasswordPolicy: {
      MinimumLength: 8,
      RequireUppercase: false,
      RequireSymbols: false,
      RequireNumbers: false,
    },
  },
};

async function poolBlocking(
  mode: "AUDIT" | "ENFORCED",
  filter?: ("SIGN_IN" | "SIGN_UP" | "PASSWORD_CHANGE")[],
) {
  const pool = await protectedPool(server, mode, RELAXED);
  await server.client.send(
    new SetRiskConfigurationCommand({
      UserPoolId: pool.poolId,
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "BLOCK" }, EventFilter: filter },
    }),
  );
  return pool;
}

function signUp(clientId: string, username: string, password: string) {
  return server.client.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: password,
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
    }),
  );
}

describe("ENFORCED with BLOCK", () => {
  it("refuses a breached password at sign-up, after the policy, and accepts another", async () => {
    const pool = await poolBlocking("ENFORCED");
    await expectError(signUp(pool.client.clientId, "alice", BREACHED), ...REFUSED);
    await expectError(
      signUp(pool.client.clientId, "alice", "short"),
      "InvalidPasswordException",
      "Password did not conform with policy: Password not long enough",
    );
    const out = await signUp(pool.client.clientId, "alice", "a-long-unusual-passphrase");
    expect(out.UserSub).toBeDefined();
  });

  it("blocks a sign-in with a breached password and puts the user in RESET_REQUIRED", async () => {
    const pool = await poolBlocking("ENFORCED");
    await createUser(server, pool.poolId, "bob", { password: BREACHED });
    await expectError(
      signIn(server, pool, "bob", { password: BREACHED }),
      "PasswordResetRequiredException",
      "Password reset required for the user",
    );
    const user = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: "bob" }),
    );
    expect(user.UserStatus).toBe("RESET_REQUIRED");
    const [event] = await events(server, pool.poolId, "bob");
    expect(event).toMatchObject({
      EventType: "SignIn",
      EventResponse: "Fail",
      EventRisk: { CompromisedCredentialsDetected: true },
    });
    // A new password ends the reset.
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool.poolId,
        Username: "bob",
        Password: "a-long-unusual-passphrase",
        Permanent: true,
      }),
    );
    expectTokens(await signIn(server, pool, "bob", { password: "a-long-unusual-passphrase" }));
  });

  it("refuses a breached password at ChangePassword", async () => {
    const pool = await poolBlocking("ENFORCED");
    await createUser(server, pool.poolId, "carol");
    const tokens = await signIn(server, pool, "carol");
    const change = (proposed: string) =>
      server.client.send(
        new ChangePasswordCommand({
          AccessToken: tokens.AuthenticationResult?.AccessToken,
          PreviousPassword: PASSWORD,
          ProposedPassword: proposed,
        }),
      );
    await expectError(change(BREACHED.toLowerCase()), ...REFUSED);
    await change("another-long-passphrase");
    const [event] = await events(server, pool.poolId, "carol");
    expect(event).toMatchObject({
      EventType: "PasswordChange",
      EventResponse: "Pass",
      EventRisk: { CompromisedCredentialsDetected: false },
    });
  });

  it("checks only the events of the filter", async () => {
    const pool = await poolBlocking("ENFORCED", ["SIGN_UP"]);
    await createUser(server, pool.poolId, "dave", { password: BREACHED });
    expectTokens(await signIn(server, pool, "dave", { password: BREACHED }));
    expect((await events(server, pool.poolId, "dave"))[0].EventRisk?.CompromisedCredentialsDetected).toBe(
      true,
    );
    await expectError(signUp(pool.client.clientId, "erin", BREACHED), ...REFUSED);
  });
});

describe("AUDIT", () => {
  it("lets breached passwords through and records that they were", async () => {
    const pool = await poolBlocking("AUDIT");
    await signUp(pool.client.clientId, "alice", BREACHED);
    const [signUpEvent] = await events(server, pool.poolId, "alice");
    expect(signUpEvent).toMatchObject({
      EventType: "SignUp",
      EventResponse: "Pass",
      EventRisk: { CompromisedCredentialsDetected: true },
    });
    await createUser(server, pool.poolId, "bob", { password: BREACHED });
    expectTokens(await signIn(server, pool, "bob", { password: BREACHED }));
    expect((await events(server, pool.poolId, "bob"))[0].EventRisk?.CompromisedCredentialsDetected).toBe(
      true,
    );
  });
});
