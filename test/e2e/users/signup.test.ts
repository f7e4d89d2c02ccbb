import {
  AdminGetUserCommand,
  ConfirmSignUpCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  type SignUpCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { computeSecretHash } from "../../../src/domain/secret-hash.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  attributeMap,
  createClient,
  createPool,
  failure,
  GOOD_PASSWORD,
  latestCode,
  outbox,
  UUID_V4,
} from "./support.js";

let server: TestServer;
/** A pool that auto-verifies email, and a public client of it. */
let poolId: string;
let clientId: string;
beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server, { AutoVerifiedAttributes: ["email"] });
  clientId = (await createClient(server, poolId)).ClientId!;
});
afterAll(async () => server.stop());
afterEach(() => {
  server.services.clock = () => new Date();
});

function signUp(username: string, email?: string, input: Partial<SignUpCommandInput> = {}) {
  return server.client.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: GOOD_PASSWORD,
      UserAttributes: email ? [{ Name: "email", Value: email }] : undefined,
      ...input,
    }),
  );
}

function confirm(username: string, code: string, input: { ClientId?: string; SecretHash?: string } = {}) {
  return server.client.send(
    new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: code, ...input }),
  );
}

async function getUser(username: string, pool = poolId) {
  return server.client.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }));
}

describe("SignUp", () => {
  it("creates an UNCONFIRMED user and sends a confirmation code to the auto-verified email", async () => {
    const res = await signUp("newbie", "newbie@example.com");
    expect(res.UserConfirmed).toBe(false);
    expect(res.UserSub).toMatch(UUID_V4);
    expect(res.CodeDeliveryDetails).toEqual({
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: "n***@e***",
    });
    const user = await getUser("newbie");
    expect(user.UserStatus).toBe("UNCONFIRMED");
    expect(attributeMap(user.UserAttributes).sub).toBe(res.UserSub);

    const [message] = await outbox(server, { poolId, username: "newbie" });
    expect(message).toMatchObject({
      channel: "EMAIL",
      destination: "newbie@example.com",
      purpose: "signup",
      subject: "Your verification code",
    });
    expect(message.message).toMatch(/^Your verification code is \d{6}\. $/);
  });

  it("sends no code and no CodeDeliveryDetails when the pool verifies nothing", async () => {
    const pool = await createPool(server);
    const client = await createClient(server, pool);
    const res = await server.client.send(
      new SignUpCommand({ ClientId: client.ClientId!, Username: "silent", Password: GOOD_PASSWORD }),
    );
    expect(res.UserConfirmed).toBe(false);
    expect(res.CodeDeliveryDetails).toBeUndefined();
    expect(await outbox(server, { poolId: pool })).toEqual([]);
  });

  it("refuses an existing username", async () => {
    await signUp("twice", "twice@example.com");
    expect(await failure(signUp("twice", "twice@example.com"))).toEqual({
      name: "UsernameExistsException",
      message: "User already exists",
    });
  });

  it("words the password policy as SignUp does", async () => {
    expect(await failure(signUp("weak", "weak@example.com", { Password: "password" }))).toEqual({
      name: "InvalidPasswordException",
      message: "Password did not conform with policy: Password must have uppercase characters",
    });
  });

  it("needs a password", async () => {
    expect(await failure(signUp("nopass", "nopass@example.com", { Password: undefined }))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null",
    });
  });

  it("reports every missing required attribute, in schema order", async () => {
    const pool = await createPool(server, {
      Schema: [
        { Name: "email", Required: true, Mutable: true },
        { Name: "family_name", Required: true, Mutable: true },
      ],
    });
    const client = await createClient(server, pool);
    const err = await failure(
      server.client.send(
        new SignUpCommand({ ClientId: client.ClientId!, Username: "partial", Password: GOOD_PASSWORD }),
      ),
    );
    expect(err).toEqual({
      name: "InvalidParameterException",
      message:
        "Attributes did not conform to the schema: family_name: The attribute is required\nemail: The attribute is required\n",
    });
  });

  it("refuses attributes the client may not write, and the verification flags", async () => {
    const client = await createClient(server, poolId, { WriteAttributes: ["email", "given_name"] });
    const send = (name: string) =>
      server.client.send(
        new SignUpCommand({
          ClientId: client.ClientId!,
          Username: `writer-${name}`,
          Password: GOOD_PASSWORD,
          UserAttributes: [{ Name: name, Value: name === "email_verified" ? "true" : "x" }],
        }),
      );
    const unauthorized = {
      name: "NotAuthorizedException",
      message: "A client attempted to write unauthorized attribute",
    };
    expect(await failure(send("family_name"))).toEqual(unauthorized);
    expect(await failure(send("email_verified"))).toEqual(unauthorized);
    await send("given_name");
  });

  it("answers ResourceNotFoundException for an unknown client", async () => {
    expect(await failure(signUp("x", undefined, { ClientId: "nosuchclient123" }))).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool client nosuchclient123 does not exist.",
    });
  });

  it("is refused in pools that let only administrators create users", async () => {
    const adminOnly = await createPool(server, { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } });
    const adminOnlyClient = (await createClient(server, adminOnly)).ClientId!;
    expect(await failure(signUp("walk-in", undefined, { ClientId: adminOnlyClient }))).toEqual({
      name: "NotAuthorizedException",
      message: "SignUp is not permitted for this user pool",
    });
  });

  it("in email-as-username pools takes the email as username and refuses another name", async () => {
    const pool = await createPool(server, {
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
    });
    const client = await createClient(server, pool);
    const send = (username: string) =>
      server.client.send(
        new SignUpCommand({ ClientId: client.ClientId!, Username: username, Password: GOOD_PASSWORD }),
      );
    const res = await send("mail@example.com");
    const user = await getUser("mail@example.com", pool);
    expect(user.Username).toBe(res.UserSub);
    expect(attributeMap(user.UserAttributes).email).toBe("mail@example.com");
    expect(res.CodeDeliveryDetails?.Destination).toBe("m***@e***");
    expect(await failure(send("plain"))).toEqual({
      name: "InvalidParameterException",
      message: "Username should be an email.",
    });
    expect(await failure(send("mail@example.com"))).toEqual({
      name: "UsernameExistsException",
      message: "An account with the given email already exists.",
    });
  });

  it("sends the code by SMS when the phone number is auto-verified", async () => {
    const pool = await createPool(server, { AutoVerifiedAttributes: ["phone_number", "email"] });
    const client = await createClient(server, pool);
    const res = await server.client.send(
      new SignUpCommand({
        ClientId: client.ClientId!,
        Username: "phoney",
        Password: GOOD_PASSWORD,
        UserAttributes: [
          { Name: "phone_number", Value: "+15555550123" },
          { Name: "email", Value: "phoney@example.com" },
        ],
      }),
    );
    expect(res.CodeDeliveryDetails).toEqual({
      AttributeName: "phone_number",
      DeliveryMedium: "SMS",
      Destination: "+*******0123",
    });
    const [message] = await outbox(server, { poolId: pool, username: "phoney" });
    expect(message.channel).toBe("SMS");
    expect(message.destination).toBe("+15555550123");
  });
});

describe("ConfirmSignUp", () => {
  it("confirms with the code from the outbox and marks the email verified", async () => {
    await signUp("confirmer", "confirmer@example.com");
    const code = await latestCode(server, poolId, "confirmer@example.com");
    await confirm("confirmer", code);
    const user = await getUser("confirmer");
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(attributeMap(user.UserAttributes).email_verified).toBe("true");
  });

  it("refuses a wrong code, then accepts the right one", async () => {
    await signUp("typo", "typo@example.com");
    const code = await latestCode(server, poolId, "typo@example.com");
    const wrong = code === "000000" ? "111111" : "000000";
    expect(await failure(confirm("typo", wrong))).toEqual({
      name: "CodeMismatchException",
      message: "Invalid verification code provided, please try again.",
    });
    await confirm("typo", code);
    expect((await getUser("typo")).UserStatus).toBe("CONFIRMED");
  });

  it("voids a code after ten wrong guesses", async () => {
    await signUp("guesser", "guesser@example.com");
    const code = await latestCode(server, poolId, "guesser@example.com");
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 10; i++)
      expect((await failure(confirm("guesser", wrong))).name).toBe("CodeMismatchException");
    expect(await failure(confirm("guesser", code))).toEqual({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("confirms once when the same code arrives twice at the same time", async () => {
    await signUp("racer", "racer@example.com");
    const code = await latestCode(server, poolId, "racer@example.com");
    const results = await Promise.allSettled([confirm("racer", code), confirm("racer", code)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((await getUser("racer")).UserStatus).toBe("CONFIRMED");
  });

  it("refuses an expired code", async () => {
    await signUp("late", "late@example.com");
    const code = await latestCode(server, poolId, "late@example.com");
    server.services.clock = () => new Date(Date.now() + 25 * 60 * 60 * 1000);
    expect(await failure(confirm("late", code))).toEqual({
      name: "ExpiredCodeException",
      message: "Invalid code provided, please request a code again.",
    });
  });

  it("refuses a code for a user already confirmed", async () => {
    await signUp("done", "done@example.com");
    const code = await latestCode(server, poolId, "done@example.com");
    await confirm("done", code);
    expect(await failure(confirm("done", code))).toEqual({
      name: "NotAuthorizedException",
      message: "User cannot be confirmed. Current status is CONFIRMED",
    });
  });

  it("answers UserNotFoundException for an unknown user", async () => {
    expect(await failure(confirm("nobody", "123456"))).toEqual({
      name: "UserNotFoundException",
      message: "Username/client id combination not found.",
    });
  });

  it("refuses an email alias another user verified, unless ForceAliasCreation", async () => {
    const pool = await createPool(server, { AliasAttributes: ["email"], AutoVerifiedAttributes: ["email"] });
    const client = await createClient(server, pool);
    const up = (username: string) =>
      server.client.send(
        new SignUpCommand({
          ClientId: client.ClientId!,
          Username: username,
          Password: GOOD_PASSWORD,
          UserAttributes: [{ Name: "email", Value: "same@example.com" }],
        }),
      );
    const confirmAs = (username: string, code: string, force?: boolean) =>
      server.client.send(
        new ConfirmSignUpCommand({
          ClientId: client.ClientId!,
          Username: username,
          ConfirmationCode: code,
          ForceAliasCreation: force,
        }),
      );
    await up("owner");
    await confirmAs("owner", await latestCode(server, pool, "same@example.com"));
    await up("claimer");
    const code = await latestCode(server, pool, "same@example.com");
    expect(await failure(confirmAs("claimer", code))).toEqual({
      name: "AliasExistsException",
      message: "An account with the given email already exists.",
    });
    await confirmAs("claimer", code, true);
    expect((await getUser("same@example.com", pool)).Username).toBe("claimer");
  });
});

describe("ResendConfirmationCode", () => {
  it("sends a new code; the old one no longer works", async () => {
    await signUp("resender", "resender@example.com");
    const first = await latestCode(server, poolId, "resender@example.com");
    const res = await server.client.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "resender" }),
    );
    expect(res.CodeDeliveryDetails).toEqual({
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: "r***@e***",
    });
    const second = await latestCode(server, poolId, "resender@example.com");
    if (first !== second)
      expect((await failure(confirm("resender", first))).name).toBe("CodeMismatchException");
    await confirm("resender", second);
    expect((await getUser("resender")).UserStatus).toBe("CONFIRMED");
  });

  it("refuses a confirmed user", async () => {
    await signUp("confirmed-already", "ca@example.com");
    await confirm("confirmed-already", await latestCode(server, poolId, "ca@example.com"));
    expect(
      await failure(
        server.client.send(
          new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "confirmed-already" }),
        ),
      ),
    ).toEqual({ name: "InvalidParameterException", message: "User is already confirmed." });
  });

  it("refuses when the pool verifies nothing", async () => {
    const pool = await createPool(server);
    const client = await createClient(server, pool);
    await server.client.send(
      new SignUpCommand({ ClientId: client.ClientId!, Username: "unverifiable", Password: GOOD_PASSWORD }),
    );
    expect(
      await failure(
        server.client.send(
          new ResendConfirmationCodeCommand({ ClientId: client.ClientId!, Username: "unverifiable" }),
        ),
      ),
    ).toEqual({
      name: "InvalidParameterException",
      message: "Cannot resend codes. Auto verification not turned on.",
    });
  });

  it("answers UserNotFoundException for an unknown user", async () => {
    expect(
      await failure(
        server.client.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: "ghost" })),
      ),
    ).toEqual({ name: "UserNotFoundException", message: "Username/client id combination not found." });
  });
});

describe("SECRET_HASH", () => {
  let secretClient: { id: string; secret: string };
  beforeAll(async () => {
    const client = await createClient(server, poolId, { GenerateSecret: true });
    secretClient = { id: client.ClientId!, secret: client.ClientSecret! };
  });

  it("is required by a client with a secret", async () => {
    expect(await failure(signUp("hashless", "h@example.com", { ClientId: secretClient.id }))).toEqual({
      name: "NotAuthorizedException",
      message: `Client ${secretClient.id} is configured with secret but SECRET_HASH was not received`,
    });
  });

  it("must match", async () => {
    const wrong = computeSecretHash(secretClient.secret, "someone-else", secretClient.id);
    expect(
      await failure(signUp("hashed", "h@example.com", { ClientId: secretClient.id, SecretHash: wrong })),
    ).toEqual({
      name: "NotAuthorizedException",
      message: `Unable to verify secret hash for client ${secretClient.id}`,
    });
  });

  it("lets the sign-up and confirmation through when right", async () => {
    const hash = computeSecretHash(secretClient.secret, "hashed-ok", secretClient.id);
    await signUp("hashed-ok", "hashed-ok@example.com", { ClientId: secretClient.id, SecretHash: hash });
    const code = await latestCode(server, poolId, "hashed-ok@example.com");
    expect((await failure(confirm("hashed-ok", code, { ClientId: secretClient.id }))).name).toBe(
      "NotAuthorizedException",
    );
    await confirm("hashed-ok", code, { ClientId: secretClient.id, SecretHash: hash });
    expect((await getUser("hashed-ok")).UserStatus).toBe("CONFIRMED");
  });

  it("matches the developer guide's worked value", () => {
    expect(computeSecretHash("clientsecret0123456789abcdef0123", "testuser", "1example23456789")).toBe(
      "bkRQ3eZJVcoZlwhPsNHBulG0YQMQ5ptNd3QQCVrOuU8=",
    );
  });
});
