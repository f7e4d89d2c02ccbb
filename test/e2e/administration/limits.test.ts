/**
 * Cognito's limits, configured (ADMINISTRATION.md §4): per-user hourly limits on code and password
 * operations (LimitExceededException), and request-rate quotas per category and per pool operation
 * (TooManyRequestsException). Small limits here, so that a few calls reach them.
 */
import {
  AdminInitiateAuthCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DescribeUserPoolCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  advanceClock,
  createClient,
  createPool,
  createUser,
  expectError,
  outbox,
  PASSWORD,
  resetClock,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const LIMIT = ["LimitExceededException", "Attempt limit exceeded, please try after some time."] as const;
const RATE = ["TooManyRequestsException", "Rate exceeded"] as const;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    limits: {
      userHourly: {
        ForgotPassword: 2,
        ChangePassword: 1,
        ResendConfirmationCode: 1,
        ConfirmSignUp: 1,
        GetUserAttributeVerificationCode: 1,
        VerifyUserAttribute: 1,
      },
      requestRates: { UserPoolRead: 1, perPoolOperation: 1 },
    },
  });
});
afterAll(async () => server.stop());

/** A pool with a confirmed user (verified email) and a client that signs in with a password. */
async function poolWithUser(username: string) {
  const poolId = await createPool(server, { AutoVerifiedAttributes: ["email"] });
  const { clientId } = await createClient(server, poolId, {
    ExplicitAuthFlows: [
      "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    ],
  });
  await createUser(server, poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
    ],
  });
  return { poolId, clientId };
}

async function accessToken(poolId: string, clientId: string, username: string): Promise<string> {
  const out = await server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD },
    }),
  );
  return out.AuthenticationResult?.AccessToken as string;
}

describe("per-user hourly limits", () => {
  it("refuse a user's third password reset of the hour, sending nothing; the confirmation shares the limit", async () => {
    const { poolId, clientId } = await poolWithUser("reset");
    const forgot = () =>
      server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "reset" }));
    await forgot();
    await forgot();
    await expectError(forgot(), ...LIMIT);
    expect(await outbox(server, poolId)).toHaveLength(2);
    await expectError(
      server.client.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: "reset",
          ConfirmationCode: "123456",
          Password: "New-Passw0rd!",
        }),
      ),
      ...LIMIT,
    );
    // Names no user has are not counted: they keep their own answer.
    for (let i = 0; i < 3; i++) {
      await expectError(
        server.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "nobody" })),
        "UserNotFoundException",
        "Username/client id combination not found.",
      );
    }
  });

  it("count attempts in a sliding hour, failed ones too", async () => {
    const { poolId, clientId } = await poolWithUser("changer");
    const token = await accessToken(poolId, clientId, "changer");
    const change = (previous: string) =>
      server.client.send(
        new ChangePasswordCommand({
          AccessToken: token,
          PreviousPassword: previous,
          ProposedPassword: "Other-Passw0rd!",
        }),
      );
    await expectError(change("Wrong-Passw0rd!"), "NotAuthorizedException", "Incorrect username or password.");
    await expectError(change(PASSWORD), ...LIMIT);
    advanceClock(server, 3_600_001);
    try {
      const fresh = await accessToken(poolId, clientId, "changer");
      await server.client.send(
        new ChangePasswordCommand({
          AccessToken: fresh,
          PreviousPassword: PASSWORD,
          ProposedPassword: "Other-Passw0rd!",
        }),
      );
    } finally {
      resetClock(server);
    }
  });

  it("limit resending and confirming sign-up codes", async () => {
    const poolId = await createPool(server, { AutoVerifiedAttributes: ["email"] });
    const { clientId } = await createClient(server, poolId);
    await server.client.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: "newbie",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "newbie@example.com" }],
      }),
    );
    const resend = () =>
      server.client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "newbie" }));
    await resend();
    await expectError(resend(), ...LIMIT);
    const confirm = () =>
      server.client.send(
        new ConfirmSignUpCommand({ ClientId: clientId, Username: "newbie", ConfirmationCode: "000000" }),
      );
    await expectError(
      confirm(),
      "CodeMismatchException",
      "Invalid verification code provided, please try again.",
    );
    await expectError(confirm(), ...LIMIT);
  });

  it("limit attribute verification codes and their checks", async () => {
    const { poolId, clientId } = await poolWithUser("verifier");
    const token = await accessToken(poolId, clientId, "verifier");
    const request = () =>
      server.client.send(
        new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: "email" }),
      );
    await request();
    await expectError(request(), ...LIMIT);
    const verify = () =>
      server.client.send(
        new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: "000000" }),
      );
    await expectError(
      verify(),
      "CodeMismatchException",
      "Invalid verification code provided, please try again.",
    );
    await expectError(verify(), ...LIMIT);
  });

  it('are Cognito\'s with "cognito": five password resets an hour', async () => {
    const cognito = await startTestServer({ limits: { userHourly: "cognito" } });
    try {
      const poolId = await createPool(cognito);
      const { clientId } = await createClient(cognito, poolId);
      await createUser(cognito, poolId, "five", {
        attributes: [
          { Name: "email", Value: "five@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      });
      const forgot = () =>
        cognito.client.send(new ForgotPasswordCommand({ ClientId: clientId, Username: "five" }));
      for (let i = 0; i < 5; i++) await forgot();
      await expectError(forgot(), ...LIMIT);
    } finally {
      await cognito.stop();
    }
  });
});

describe("request-rate quotas", () => {
  it("refuse a category's requests beyond its rate, and nothing of other categories", async () => {
    const poolId = await createPool(server);
    await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    await expectError(server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId })), ...RATE);
    for (let i = 0; i < 3; i++) await server.client.send(new ListUsersCommand({ UserPoolId: poolId }));
  });

  it("cap each pool-resource operation per pool", async () => {
    const [first, second] = [await createPool(server), await createPool(server)];
    await server.client.send(new ListGroupsCommand({ UserPoolId: first }));
    await expectError(server.client.send(new ListGroupsCommand({ UserPoolId: first })), ...RATE);
    await server.client.send(new ListGroupsCommand({ UserPoolId: second }));
  });

  it("answer HTTP 400 with the error in body and header", async () => {
    const poolId = await createPool(server);
    await server.call("DescribeUserPool", { UserPoolId: poolId });
    const throttled = await server.call("DescribeUserPool", { UserPoolId: poolId });
    expect(throttled.status).toBe(400);
    expect(throttled.body).toEqual({ __type: "TooManyRequestsException", message: "Rate exceeded" });
    expect(throttled.headers.get("x-amzn-errortype")).toBe("TooManyRequestsException:");
  });
});
