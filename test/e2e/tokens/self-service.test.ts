/**
 * What a signed-in user does with its access token, and password recovery with a code from the
 * outbox.
 */
import {
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  ChangePasswordCommand,
  ConfirmForgotPasswordCommand,
  type ConfirmForgotPasswordCommandInput,
  DeleteUserAttributesCommand,
  DeleteUserCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import { attributeMap, latestCode, outbox } from "../users/support.js";
import {
  advanceClock,
  createClient,
  createPool,
  createUser,
  expectError,
  PASSWORD,
  resetClock,
  secretHash,
  signIn,
  type TestClient,
} from "./support.js";

const NEW_PASSWORD = "Br4nd-new-pass!";

let server: TestServer;
let poolId: string;
let app: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server, { AutoVerifiedAttributes: ["email"] });
  app = await createClient(server, poolId);
});
afterAll(async () => server.stop());
afterEach(() => resetClock(server));

let userCount = 0;
/** A fresh user with a verified email, signed in. */
async function freshUser(extra: { Name: string; Value: string }[] = []) {
  const username = `user${++userCount}`;
  const email = `${username}@example.com`;
  await createUser(server, poolId, username, {
    attributes: [
      { Name: "email", Value: email },
      { Name: "email_verified", Value: "true" },
      { Name: "name", Value: "Original" },
      ...extra,
    ],
  });
  return { username, email, tokens: await signIn(server.client, poolId, app.clientId, username) };
}

async function getUser(accessToken: string) {
  return server.client.send(new GetUserCommand({ AccessToken: accessToken }));
}

describe("GetUser", () => {
  it("returns the username and attributes, sub first", async () => {
    const { username, email, tokens } = await freshUser();
    const out = await getUser(tokens.AccessToken);
    expect(out.Username).toBe(username);
    expect(out.UserAttributes?.[0].Name).toBe("sub");
    expect(attributeMap(out.UserAttributes)).toMatchObject({
      email,
      email_verified: "true",
      name: "Original",
    });
  });

  it("shows only what the token's client may read", async () => {
    const reader = await createClient(server, poolId, { ReadAttributes: ["email"] });
    const { username } = await freshUser();
    const tokens = await signIn(server.client, poolId, reader.clientId, username);
    const out = await getUser(tokens.AccessToken);
    expect(Object.keys(attributeMap(out.UserAttributes)).sort()).toEqual(["email", "sub"]);
  });
});

describe("UpdateUserAttributes", () => {
  it("changes attributes", async () => {
    const { tokens } = await freshUser();
    const out = await server.client.send(
      new UpdateUserAttributesCommand({
        AccessToken: tokens.AccessToken,
        UserAttributes: [{ Name: "name", Value: "Changed" }],
      }),
    );
    expect(out.CodeDeliveryDetailsList).toBeUndefined();
    expect(attributeMap((await getUser(tokens.AccessToken)).UserAttributes).name).toBe("Changed");
  });

  it("sends a code for a changed auto-verified email, which VerifyUserAttribute confirms", async () => {
    const { tokens } = await freshUser();
    const out = await server.client.send(
      new UpdateUserAttributesCommand({
        AccessToken: tokens.AccessToken,
        UserAttributes: [{ Name: "email", Value: "moved@example.com" }],
      }),
    );
    expect(out.CodeDeliveryDetailsList).toEqual([
      { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "m***@e***" },
    ]);
    expect(attributeMap((await getUser(tokens.AccessToken)).UserAttributes).email_verified).toBe("false");
    await expectError(
      server.client.send(
        new VerifyUserAttributeCommand({
          AccessToken: tokens.AccessToken,
          AttributeName: "email",
          Code: "000000",
        }),
      ),
      "CodeMismatchException",
      "Invalid verification code provided, please try again.",
    );
    const code = await latestCode(server, poolId, "moved@example.com");
    await server.client.send(
      new VerifyUserAttributeCommand({ AccessToken: tokens.AccessToken, AttributeName: "email", Code: code }),
    );
    expect(attributeMap((await getUser(tokens.AccessToken)).UserAttributes)).toMatchObject({
      email: "moved@example.com",
      email_verified: "true",
    });
  });

  it("refuses attributes the client may not write", async () => {
    const limited = await createClient(server, poolId, { WriteAttributes: ["name"] });
    const { username } = await freshUser();
    const tokens = await signIn(server.client, poolId, limited.clientId, username);
    await expectError(
      server.client.send(
        new UpdateUserAttributesCommand({
          AccessToken: tokens.AccessToken,
          UserAttributes: [{ Name: "family_name", Value: "X" }],
        }),
      ),
      "NotAuthorizedException",
      "A client attempted to write unauthorized attribute",
    );
    await expectError(
      server.client.send(
        new UpdateUserAttributesCommand({
          AccessToken: tokens.AccessToken,
          UserAttributes: [{ Name: "email_verified", Value: "true" }],
        }),
      ),
      "NotAuthorizedException",
      "A client attempted to write unauthorized attribute",
    );
  });
});

describe("DeleteUserAttributes", () => {
  it("removes the named attributes", async () => {
    const { tokens } = await freshUser();
    await server.client.send(
      new DeleteUserAttributesCommand({ AccessToken: tokens.AccessToken, UserAttributeNames: ["name"] }),
    );
    expect(attributeMap((await getUser(tokens.AccessToken)).UserAttributes)).not.toHaveProperty("name");
  });

  it("refuses an attribute the schema does not have", async () => {
    const { tokens } = await freshUser();
    await expectError(
      server.client.send(
        new DeleteUserAttributesCommand({
          AccessToken: tokens.AccessToken,
          UserAttributeNames: ["custom:nope"],
        }),
      ),
      "NotAuthorizedException",
      "A client attempted to write unauthorized attribute",
    );
  });
});

describe("ChangePassword", () => {
  it("changes the password: the new one signs in, the old one no longer does", async () => {
    const { username, tokens } = await freshUser();
    await server.client.send(
      new ChangePasswordCommand({
        AccessToken: tokens.AccessToken,
        PreviousPassword: PASSWORD,
        ProposedPassword: NEW_PASSWORD,
      }),
    );
    await expect(
      signIn(server.client, poolId, app.clientId, username, { password: NEW_PASSWORD }),
    ).resolves.toBeDefined();
    await expectError(
      signIn(server.client, poolId, app.clientId, username),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("refuses a wrong previous password", async () => {
    const { tokens } = await freshUser();
    await expectError(
      server.client.send(
        new ChangePasswordCommand({
          AccessToken: tokens.AccessToken,
          PreviousPassword: "Wr0ng-password!",
          ProposedPassword: NEW_PASSWORD,
        }),
      ),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("requires the previous password of a user who has one", async () => {
    const { tokens } = await freshUser();
    await expectError(
      server.client.send(
        new ChangePasswordCommand({ AccessToken: tokens.AccessToken, ProposedPassword: NEW_PASSWORD }),
      ),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'previousPassword' failed to satisfy constraint: Member must not be null",
    );
  });

  it("holds the new password to the pool's policy", async () => {
    const { tokens } = await freshUser();
    await expectError(
      server.client.send(
        new ChangePasswordCommand({
          AccessToken: tokens.AccessToken,
          PreviousPassword: PASSWORD,
          ProposedPassword: "Sh0rt!",
        }),
      ),
      "InvalidPasswordException",
      "Password does not conform to policy: Password not long enough",
    );
  });
});

describe("DeleteUser", () => {
  it("deletes the user and ends its sessions", async () => {
    const { username, tokens } = await freshUser();
    await server.client.send(new DeleteUserCommand({ AccessToken: tokens.AccessToken }));
    await expectError(
      server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })),
      "UserNotFoundException",
      "User does not exist.",
    );
    await expectError(
      server.client.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: app.clientId, RefreshToken: tokens.RefreshToken }),
      ),
      "UserNotFoundException",
      "User does not exist.",
    );
  });
});

describe("GetUserAttributeVerificationCode", () => {
  it("sends a code to the email, which VerifyUserAttribute accepts once", async () => {
    const { email, tokens } = await freshUser();
    const out = await server.client.send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken: tokens.AccessToken,
        AttributeName: "email",
      }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: "u***@e***",
    });
    const [message] = await outbox(server, { poolId, destination: email });
    expect(message.purpose).toBe("verify:email");
    const code = await latestCode(server, poolId, email);
    const verify = () =>
      server.client.send(
        new VerifyUserAttributeCommand({
          AccessToken: tokens.AccessToken,
          AttributeName: "email",
          Code: code,
        }),
      );
    await verify();
    await expectError(
      verify(),
      "ExpiredCodeException",
      "Invalid code provided, please request a code again.",
    );
  });

  it("refuses an attribute that cannot be verified", async () => {
    const { tokens } = await freshUser();
    await expectError(
      server.client.send(
        new GetUserAttributeVerificationCodeCommand({
          AccessToken: tokens.AccessToken,
          AttributeName: "name",
        }),
      ),
      "InvalidParameterException",
      "Attribute name cannot be verified: only email and phone_number can.",
    );
  });

  it("needs the attribute to have a value", async () => {
    const { tokens } = await freshUser();
    await expectError(
      server.client.send(
        new GetUserAttributeVerificationCodeCommand({
          AccessToken: tokens.AccessToken,
          AttributeName: "phone_number",
        }),
      ),
      "InvalidParameterException",
      "Phone Number is required to verify/un-verify a phone number",
    );
  });
});

describe("ForgotPassword and ConfirmForgotPassword", () => {
  function confirm(input: Partial<ConfirmForgotPasswordCommandInput> & { Username: string }) {
    return server.client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: app.clientId,
        ConfirmationCode: "000000",
        Password: NEW_PASSWORD,
        ...input,
      }),
    );
  }

  it("sends a code to the verified email; the code sets a new password", async () => {
    const { username, email } = await freshUser();
    const out = await server.client.send(
      new ForgotPasswordCommand({ ClientId: app.clientId, Username: username }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: "u***@e***",
    });
    const code = await latestCode(server, poolId, email);
    await expectError(
      confirm({ Username: username, ConfirmationCode: code === "000000" ? "111111" : "000000" }),
      "CodeMismatchException",
      "Invalid verification code provided, please try again.",
    );
    await confirm({ Username: username, ConfirmationCode: code });
    await expect(
      signIn(server.client, poolId, app.clientId, username, { password: NEW_PASSWORD }),
    ).resolves.toBeDefined();
    await expectError(
      confirm({ Username: username, ConfirmationCode: code }),
      "ExpiredCodeException",
      "Invalid code provided, please request a code again.",
    );
  });

  it("does not use up the code on a password the policy refuses", async () => {
    const { username, email } = await freshUser();
    await server.client.send(new ForgotPasswordCommand({ ClientId: app.clientId, Username: username }));
    const code = await latestCode(server, poolId, email);
    await expectError(
      confirm({ Username: username, ConfirmationCode: code, Password: "short" }),
      "InvalidPasswordException",
      "Password does not conform to policy: Password not long enough",
    );
    await expect(confirm({ Username: username, ConfirmationCode: code })).resolves.toBeDefined();
  });

  it("lets a code expire after an hour", async () => {
    const { username, email } = await freshUser();
    await server.client.send(new ForgotPasswordCommand({ ClientId: app.clientId, Username: username }));
    const code = await latestCode(server, poolId, email);
    advanceClock(server, 3600 * 1000);
    await expectError(
      confirm({ Username: username, ConfirmationCode: code }),
      "ExpiredCodeException",
      "Invalid code provided, please request a code again.",
    );
  });

  it("completes an admin-required reset: the user is CONFIRMED and signs in", async () => {
    const { username, email } = await freshUser();
    await server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: username }));
    await expectError(
      signIn(server.client, poolId, app.clientId, username),
      "PasswordResetRequiredException",
      "Password reset required for the user",
    );
    await confirm({ Username: username, ConfirmationCode: await latestCode(server, poolId, email) });
    const user = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: username }),
    );
    expect(user.UserStatus).toBe("CONFIRMED");
    await expect(
      signIn(server.client, poolId, app.clientId, username, { password: NEW_PASSWORD }),
    ).resolves.toBeDefined();
  });

  it("reveals an unknown user only when the client does not prevent user existence errors", async () => {
    await expectError(
      server.client.send(new ForgotPasswordCommand({ ClientId: app.clientId, Username: "ghost" })),
      "UserNotFoundException",
      "Username/client id combination not found.",
    );
    await expectError(
      confirm({ Username: "ghost" }),
      "UserNotFoundException",
      "Username/client id combination not found.",
    );
    const hiding = await createClient(server, poolId, { PreventUserExistenceErrors: "ENABLED" });
    const out = await server.client.send(
      new ForgotPasswordCommand({ ClientId: hiding.clientId, Username: "ghost@example.com" }),
    );
    expect(out.CodeDeliveryDetails).toEqual({
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: "g***@e***",
    });
    await expectError(
      confirm({ ClientId: hiding.clientId, Username: "ghost@example.com" }),
      "CodeMismatchException",
      "Invalid verification code provided, please try again.",
    );
  });

  it("needs a verified email or phone number to send the code to", async () => {
    const username = `user${++userCount}`;
    await createUser(server, poolId, username, {
      attributes: [{ Name: "email", Value: "unverified@example.com" }],
    });
    await expectError(
      server.client.send(new ForgotPasswordCommand({ ClientId: app.clientId, Username: username })),
      "InvalidParameterException",
      "Cannot reset password for the user as there is no registered/verified email or phone_number",
    );
  });

  it("cannot reset a user who still has a temporary password", async () => {
    const username = `user${++userCount}`;
    await createUser(server, poolId, username, {
      temporary: true,
      attributes: [
        { Name: "email", Value: "temp@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    await expectError(
      server.client.send(new ForgotPasswordCommand({ ClientId: app.clientId, Username: username })),
      "NotAuthorizedException",
      "User password cannot be reset in the current state.",
    );
  });

  it("needs the SECRET_HASH of a client with a secret", async () => {
    const secretive = await createClient(server, poolId, { GenerateSecret: true });
    const { username } = await freshUser();
    await expectError(
      server.client.send(new ForgotPasswordCommand({ ClientId: secretive.clientId, Username: username })),
      "NotAuthorizedException",
      `Client ${secretive.clientId} is configured with secret but SECRET_HASH was not received`,
    );
    const out = await server.client.send(
      new ForgotPasswordCommand({
        ClientId: secretive.clientId,
        Username: username,
        SecretHash: secretHash(secretive, username),
      }),
    );
    expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe("EMAIL");
  });

  it("validates the IP address of UserContextData", async () => {
    const { username } = await freshUser();
    await expectError(
      server.client.send(
        new ForgotPasswordCommand({
          ClientId: app.clientId,
          Username: username,
          UserContextData: { IpAddress: "not-an-ip" },
        }),
      ),
      "InvalidParameterException",
      "1 validation error detected: Value at 'userContextData.ipAddress' failed to satisfy constraint: Member must be a valid IPv4 or IPv6 address",
    );
  });
});
