import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordMatches } from "../../../src/crypto/srp.js";
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
let poolId: string;
beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
});
afterAll(async () => server.stop());

async function createUser(username: string, attributes: Record<string, string> = {}, pool = poolId) {
  const res = await server.client.send(
    new AdminCreateUserCommand({
      UserPoolId: pool,
      Username: username,
      TemporaryPassword: "Temp-Pass-1",
      MessageAction: "SUPPRESS",
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  return res.User!;
}

async function getUser(username: string, pool = poolId) {
  return server.client.send(new AdminGetUserCommand({ UserPoolId: pool, Username: username }));
}

async function storedUser(username: string, pool = poolId) {
  const user = await server.services.store.users.get(pool, username);
  if (!user) throw new Error(`${username} not stored`);
  return user;
}

describe("AdminCreateUser", () => {
  it("creates a FORCE_CHANGE_PASSWORD user with a UUID v4 sub and sends the invitation", async () => {
    const res = await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "invited",
        TemporaryPassword: "Temp-Pass-1",
        UserAttributes: [{ Name: "email", Value: "invited@example.com" }],
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    expect(res.User!.Username).toBe("invited");
    expect(res.User!.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(res.User!.Enabled).toBe(true);
    expect(res.User!.UserCreateDate).toBeInstanceOf(Date);
    const attributes = attributeMap(res.User!.Attributes);
    expect(attributes.sub).toMatch(UUID_V4);
    expect(attributes.email).toBe("invited@example.com");

    const [message] = await outbox(server, { poolId, username: "invited" });
    expect(message.purpose).toBe("invitation");
    expect(message.channel).toBe("EMAIL");
    expect(message.destination).toBe("invited@example.com");
    expect(message.subject).toBe("Your temporary password");
    expect(message.message).toBe("Your username is invited and temporary password is Temp-Pass-1. ");
  });

  it("keeps the password only as an SRP salt and verifier", async () => {
    await createUser("verifier-user");
    const user = await storedUser("verifier-user");
    expect(user.password?.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(user)).not.toContain("Temp-Pass-1");
    expect(passwordMatches(poolId, "verifier-user", "Temp-Pass-1", user.password!)).toBe(true);
    expect(passwordMatches(poolId, "verifier-user", "Temp-Pass-2", user.password!)).toBe(false);
  });

  it("generates a temporary password that satisfies the policy and sends it", async () => {
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "generated",
        UserAttributes: [{ Name: "email", Value: "generated@example.com" }],
      }),
    );
    const [message] = await outbox(server, { poolId, username: "generated" });
    const password = message.message.match(/temporary password is (\S+)\. $/)?.[1] ?? "";
    expect(password.length).toBeGreaterThanOrEqual(8);
    expect(password).toMatch(/[A-Z]/);
    expect(password).toMatch(/[a-z]/);
    expect(password).toMatch(/[0-9]/);
    expect(password).toMatch(/[^A-Za-z0-9]/);
    const user = await storedUser("generated");
    expect(passwordMatches(poolId, "generated", password, user.password!)).toBe(true);
  });

  it("sends by SMS by default when the user has a phone number", async () => {
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "texted",
        TemporaryPassword: "Temp-Pass-1",
        UserAttributes: [
          { Name: "phone_number", Value: "+15555550100" },
          { Name: "email", Value: "texted@example.com" },
        ],
      }),
    );
    const messages = await outbox(server, { poolId, username: "texted" });
    expect(messages.map((m) => [m.channel, m.destination])).toEqual([["SMS", "+15555550100"]]);
  });

  it("sends nothing with MessageAction SUPPRESS", async () => {
    await createUser("quiet", { email: "quiet@example.com" });
    expect(await outbox(server, { poolId, username: "quiet" })).toEqual([]);
  });

  it("refuses an existing username", async () => {
    await createUser("taken");
    expect(await failure(createUser("taken"))).toEqual({
      name: "UsernameExistsException",
      message: "User account already exists",
    });
  });

  it("answers InvalidPasswordException with Cognito's message for a weak temporary password", async () => {
    const err = await failure(
      server.client.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: "weak2", TemporaryPassword: "short" }),
      ),
    );
    expect(err).toEqual({
      name: "InvalidPasswordException",
      message: "Password does not conform to policy: Password not long enough",
    });
  });

  it("RESEND sends a new temporary password to a FORCE_CHANGE_PASSWORD user", async () => {
    await createUser("resend-me", { email: "resend@example.com" });
    const res = await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "resend-me",
        MessageAction: "RESEND",
        TemporaryPassword: "Other-Pass-2",
        DesiredDeliveryMediums: ["EMAIL"],
      }),
    );
    expect(res.User!.Username).toBe("resend-me");
    const [message] = await outbox(server, { poolId, username: "resend-me" });
    expect(message.message).toContain("Other-Pass-2");
    const user = await storedUser("resend-me");
    expect(passwordMatches(poolId, "resend-me", "Other-Pass-2", user.password!)).toBe(true);
  });

  it("RESEND for a confirmed user is UnsupportedUserStateException", async () => {
    await createUser("confirmed-resend");
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "confirmed-resend",
        Password: GOOD_PASSWORD,
        Permanent: true,
      }),
    );
    const err = await failure(
      server.client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "confirmed-resend",
          MessageAction: "RESEND",
        }),
      ),
    );
    expect(err).toEqual({
      name: "UnsupportedUserStateException",
      message: "Resend not possible. confirmed-resend status is not FORCE_CHANGE_PASSWORD",
    });
  });

  it("RESEND for a user that does not exist is UserNotFoundException", async () => {
    const err = await failure(
      server.client.send(
        new AdminCreateUserCommand({ UserPoolId: poolId, Username: "nobody", MessageAction: "RESEND" }),
      ),
    );
    expect(err).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
  });

  it("refuses attributes outside the schema, listing each", async () => {
    const err = await failure(createUser("schema", { "custom:nope": "x", nickname2: "y" }));
    expect(err).toEqual({
      name: "InvalidParameterException",
      message:
        "Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.\n" +
        "nickname2: Attribute does not exist in the schema.\n",
    });
  });

  it("refuses setting sub", async () => {
    const err = await failure(createUser("sub-setter", { sub: "11111111-1111-4111-8111-111111111111" }));
    expect(err).toEqual({
      name: "InvalidParameterException",
      message: "Attributes did not conform to the schema: sub: Attribute cannot be updated.\n",
    });
  });

  it("checks email and phone number formats", async () => {
    expect(await failure(createUser("bad-email", { email: "not-an-email" }))).toEqual({
      name: "InvalidParameterException",
      message: "Invalid email address format.",
    });
    expect(await failure(createUser("bad-phone", { phone_number: "555-0100" }))).toEqual({
      name: "InvalidParameterException",
      message: "Invalid phone number format.",
    });
  });

  it("needs an email to mark it verified", async () => {
    expect(await failure(createUser("verified-nothing", { email_verified: "true" }))).toEqual({
      name: "InvalidParameterException",
      message: "Email is required to verify/un-verify an email",
    });
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    expect(await failure(createUser("x", {}, "us-east-1_nopool123"))).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nopool123 does not exist.",
    });
  });
});

describe("email-as-username pools", () => {
  let emailPool: string;
  beforeAll(async () => {
    emailPool = await createPool(server, { UsernameAttributes: ["email"] });
  });

  it("uses a UUID as the username and the email as an attribute", async () => {
    const user = await createUser("Person@Example.com", {}, emailPool);
    expect(user.Username).toMatch(UUID_V4);
    const attributes = attributeMap(user.Attributes);
    expect(attributes.email).toBe("Person@Example.com");
    expect(attributes.sub).toBe(user.Username);
    const found = await getUser("Person@Example.com", emailPool);
    expect(found.Username).toBe(user.Username);
  });

  it("refuses a username that is not an email", async () => {
    expect(await failure(createUser("plainname", {}, emailPool))).toEqual({
      name: "InvalidParameterException",
      message: "Username should be an email.",
    });
  });

  it("keeps the email: it cannot be removed", async () => {
    await createUser("keeper@example.com", {}, emailPool);
    const expected = { name: "InvalidParameterException", message: "user.email: The attribute is required" };
    expect(
      await failure(
        server.client.send(
          new AdminUpdateUserAttributesCommand({
            UserPoolId: emailPool,
            Username: "keeper@example.com",
            UserAttributes: [{ Name: "email", Value: "" }],
          }),
        ),
      ),
    ).toEqual(expected);
    expect(
      await failure(
        server.client.send(
          new AdminDeleteUserAttributesCommand({
            UserPoolId: emailPool,
            Username: "keeper@example.com",
            UserAttributeNames: ["email"],
          }),
        ),
      ),
    ).toEqual(expected);
    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: emailPool,
        Username: "keeper@example.com",
        UserAttributes: [{ Name: "email", Value: "moved@example.com" }],
      }),
    );
    expect(attributeMap((await getUser("moved@example.com", emailPool)).UserAttributes).email).toBe(
      "moved@example.com",
    );
    expect((await failure(getUser("keeper@example.com", emailPool))).name).toBe("UserNotFoundException");
  });

  it("refuses a second user with the same email", async () => {
    await createUser("twice@example.com", {}, emailPool);
    expect(await failure(createUser("twice@example.com", {}, emailPool))).toEqual({
      name: "UsernameExistsException",
      message: "An account with the given email already exists.",
    });
  });
});

describe("case-insensitive pools", () => {
  it("find Alice as alice, and refuse ALICE as a second user", async () => {
    const pool = await createPool(server, { UsernameConfiguration: { CaseSensitive: false } });
    await createUser("Alice", {}, pool);
    const found = await getUser("alice", pool);
    expect(found.Username).toBe("Alice");
    expect((await failure(createUser("ALICE", {}, pool))).name).toBe("UsernameExistsException");
  });

  it("keep Alice and alice apart in case-sensitive pools", async () => {
    await createUser("Bob");
    expect(await failure(getUser("bob"))).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });
});

describe("aliases", () => {
  let aliasPool: string;
  beforeAll(async () => {
    aliasPool = await createPool(server, { AliasAttributes: ["email", "preferred_username"] });
  });

  it("finds a user by a verified email and by preferred_username, not by an unverified email", async () => {
    await createUser(
      "carol",
      { email: "carol@example.com", email_verified: "true", preferred_username: "cc" },
      aliasPool,
    );
    await createUser("dave", { email: "dave@example.com" }, aliasPool);
    expect((await getUser("carol@example.com", aliasPool)).Username).toBe("carol");
    expect((await getUser("cc", aliasPool)).Username).toBe("carol");
    expect((await failure(getUser("dave@example.com", aliasPool))).name).toBe("UserNotFoundException");
  });

  it("refuses a username in email format", async () => {
    expect(await failure(createUser("eve@example.com", {}, aliasPool))).toEqual({
      name: "InvalidParameterException",
      message: "Username cannot be of email format, since user pool is configured for email alias.",
    });
  });

  it("keeps aliases unique, and moves one with ForceAliasCreation", async () => {
    await createUser("first", { email: "shared@example.com", email_verified: "true" }, aliasPool);
    const err = await failure(
      createUser("second", { email: "shared@example.com", email_verified: "true" }, aliasPool),
    );
    expect(err).toEqual({
      name: "AliasExistsException",
      message: "An account with the given email already exists.",
    });
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: aliasPool,
        Username: "second",
        MessageAction: "SUPPRESS",
        ForceAliasCreation: true,
        UserAttributes: [
          { Name: "email", Value: "shared@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    expect((await getUser("shared@example.com", aliasPool)).Username).toBe("second");
    const first = attributeMap((await getUser("first", aliasPool)).UserAttributes);
    expect(first.email_verified).toBe("false");
  });

  it("refuses a preferred_username another user has", async () => {
    await createUser("frank", { preferred_username: "franky" }, aliasPool);
    expect(await failure(createUser("grace", { preferred_username: "franky" }, aliasPool))).toEqual({
      name: "AliasExistsException",
      message: "An account with the given preferred_username already exists.",
    });
  });
});

describe("AdminGetUser", () => {
  it("shows the user as Cognito does, sub among the attributes, no MFA members", async () => {
    await createUser("shown", { email: "shown@example.com", given_name: "Shown" });
    const res = await server.call("AdminGetUser", { UserPoolId: poolId, Username: "shown" });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        "Enabled",
        "UserAttributes",
        "UserCreateDate",
        "UserLastModifiedDate",
        "UserStatus",
        "Username",
      ].sort(),
    );
    expect(typeof res.body.UserCreateDate).toBe("number");
    const attributes = attributeMap(res.body.UserAttributes as { Name: string; Value: string }[]);
    expect(attributes).toEqual({
      sub: expect.stringMatching(UUID_V4),
      email: "shown@example.com",
      given_name: "Shown",
    });
  });

  it("finds a user by sub", async () => {
    const user = await createUser("by-sub");
    const sub = attributeMap(user.Attributes).sub;
    expect((await getUser(sub)).Username).toBe("by-sub");
  });

  it("answers UserNotFoundException for an unknown user", async () => {
    expect(await failure(getUser("ghost"))).toEqual({
      name: "UserNotFoundException",
      message: "User does not exist.",
    });
  });
});

describe("AdminDeleteUser", () => {
  it("deletes the user", async () => {
    await createUser("doomed");
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: "doomed" }));
    expect((await failure(getUser("doomed"))).name).toBe("UserNotFoundException");
    expect(
      await failure(
        server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: "doomed" })),
      ),
    ).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
  });
});

describe("AdminDisableUser / AdminEnableUser", () => {
  it("flip Enabled", async () => {
    await createUser("switch");
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "switch" }));
    expect((await getUser("switch")).Enabled).toBe(false);
    await server.client.send(new AdminEnableUserCommand({ UserPoolId: poolId, Username: "switch" }));
    expect((await getUser("switch")).Enabled).toBe(true);
  });

  it("answer UserNotFoundException for an unknown user", async () => {
    expect(
      await failure(
        server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "ghost" })),
      ),
    ).toEqual({ name: "UserNotFoundException", message: "User does not exist." });
  });
});

describe("AdminSetUserPassword", () => {
  it("Permanent true → CONFIRMED, false → FORCE_CHANGE_PASSWORD, with a new verifier", async () => {
    await createUser("setpw");
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "setpw",
        Password: GOOD_PASSWORD,
        Permanent: true,
      }),
    );
    expect((await getUser("setpw")).UserStatus).toBe("CONFIRMED");
    expect(passwordMatches(poolId, "setpw", GOOD_PASSWORD, (await storedUser("setpw")).password!)).toBe(true);

    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "setpw",
        Password: "Temp-Again-3",
        Permanent: false,
      }),
    );
    expect((await getUser("setpw")).UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(passwordMatches(poolId, "setpw", "Temp-Again-3", (await storedUser("setpw")).password!)).toBe(
      true,
    );
  });

  it("confirms an UNCONFIRMED user when permanent", async () => {
    const pool = await createPool(server);
    const client = await createClient(server, pool);
    await server.client.send(
      new SignUpCommand({ ClientId: client.ClientId!, Username: "self", Password: GOOD_PASSWORD }),
    );
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool,
        Username: "self",
        Password: "Another-Pass-4",
        Permanent: true,
      }),
    );
    expect((await getUser("self", pool)).UserStatus).toBe("CONFIRMED");
  });

  it.each([
    ["short", "Password not long enough"],
    ["ALLUPPER1!", "Password must have lowercase characters"],
    ["alllower1!", "Password must have uppercase characters"],
    ["NoNumbers!", "Password must have numeric characters"],
    ["NoSymbols1", "Password must have symbol characters"],
  ])("refuses %s: %s", async (password, reason) => {
    await createUser(`policy-${password}`);
    const err = await failure(
      server.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: poolId,
          Username: `policy-${password}`,
          Password: password,
        }),
      ),
    );
    expect(err).toEqual({
      name: "InvalidPasswordException",
      message: `Password does not conform to policy: ${reason}`,
    });
  });

  it("follows a pool's own policy", async () => {
    const pool = await createPool(server, {
      Policies: {
        PasswordPolicy: {
          MinimumLength: 6,
          RequireUppercase: false,
          RequireLowercase: true,
          RequireNumbers: false,
          RequireSymbols: false,
        },
      },
    });
    await createUser("relaxed", {}, pool);
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool,
        Username: "relaxed",
        Password: "simple",
        Permanent: true,
      }),
    );
    expect((await getUser("relaxed", pool)).UserStatus).toBe("CONFIRMED");
  });

  it("refuses a recent password when the pool keeps a history", async () => {
    const pool = await createPool(server, {
      Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 2 } },
    });
    await createUser("historian", {}, pool);
    const set = (password: string) =>
      server.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: pool,
          Username: "historian",
          Password: password,
          Permanent: true,
        }),
      );
    await set("First-Pass-1");
    await set("Second-Pass-2");
    expect(await failure(set("First-Pass-1"))).toEqual({
      name: "PasswordHistoryPolicyViolationException",
      message: "Password has previously been used",
    });
    expect((await failure(set("Second-Pass-2"))).name).toBe("PasswordHistoryPolicyViolationException");
    await set("Third-Pass-3");
    await set("First-Pass-1"); // two newer passwords since: out of the history
  });
});

describe("AdminUpdateUserAttributes", () => {
  it("updates attributes and unverifies a changed email", async () => {
    await createUser("updater", { email: "old@example.com", email_verified: "true" });
    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "updater",
        UserAttributes: [
          { Name: "email", Value: "new@example.com" },
          { Name: "given_name", Value: "Up" },
        ],
      }),
    );
    const attributes = attributeMap((await getUser("updater")).UserAttributes);
    expect(attributes.email).toBe("new@example.com");
    expect(attributes.email_verified).toBe("false");
    expect(attributes.given_name).toBe("Up");
  });

  it("keeps the email verified when the request says so", async () => {
    await createUser("updater2", { email: "a@example.com" });
    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "updater2",
        UserAttributes: [
          { Name: "email", Value: "b@example.com" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    expect(attributeMap((await getUser("updater2")).UserAttributes).email_verified).toBe("true");
  });

  it("sends a verification code when the pool auto-verifies email", async () => {
    const pool = await createPool(server, { AutoVerifiedAttributes: ["email"] });
    await createUser("verify-me", { email: "before@example.com", email_verified: "true" }, pool);
    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: pool,
        Username: "verify-me",
        UserAttributes: [{ Name: "email", Value: "after@example.com" }],
      }),
    );
    const [message] = await outbox(server, { poolId: pool, destination: "after@example.com" });
    expect(message.purpose).toBe("verify:email");
    expect(message.message).toMatch(/^Your verification code is \d{6}\. $/);
  });

  it("refuses an immutable attribute and sub", async () => {
    const pool = await createPool(server, {
      Schema: [{ Name: "tenant", AttributeDataType: "String", Mutable: false }],
    });
    await createUser("fixed", { "custom:tenant": "t1" }, pool);
    const update = (name: string) =>
      server.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: pool,
          Username: "fixed",
          UserAttributes: [{ Name: name, Value: "x" }],
        }),
      );
    expect(await failure(update("custom:tenant"))).toEqual({
      name: "InvalidParameterException",
      message: "user.custom:tenant: Attribute cannot be updated.",
    });
    expect(await failure(update("sub"))).toEqual({
      name: "InvalidParameterException",
      message: "user.sub: Attribute cannot be updated.",
    });
    expect(await failure(update("custom:unknown"))).toEqual({
      name: "InvalidParameterException",
      message: "user.custom:unknown: Attribute does not exist in the schema.",
    });
  });

  it("checks custom attribute types", async () => {
    const pool = await createPool(server, {
      Schema: [
        {
          Name: "age",
          AttributeDataType: "Number",
          NumberAttributeConstraints: { MinValue: "0", MaxValue: "150" },
        },
        {
          Name: "code",
          AttributeDataType: "String",
          StringAttributeConstraints: { MinLength: "2", MaxLength: "4" },
        },
      ],
    });
    await createUser("typed", {}, pool);
    const update = (name: string, value: string) =>
      server.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: pool,
          Username: "typed",
          UserAttributes: [{ Name: name, Value: value }],
        }),
      );
    await update("custom:age", "42");
    expect((await failure(update("custom:age", "old"))).message).toBe(
      "user.custom:age: The attribute is not a valid number",
    );
    expect((await failure(update("custom:age", "200"))).message).toBe(
      "user.custom:age: Number must be no greater than 150",
    );
    expect((await failure(update("custom:code", "toolong"))).message).toBe(
      "user.custom:code: String must be no longer than 4 characters",
    );
    expect(attributeMap((await getUser("typed", pool)).UserAttributes)["custom:age"]).toBe("42");
  });
});

describe("AdminDeleteUserAttributes", () => {
  it("removes attributes, an email with its verification", async () => {
    await createUser("trimmed", { email: "t@example.com", email_verified: "true", nickname: "t" });
    await server.client.send(
      new AdminDeleteUserAttributesCommand({
        UserPoolId: poolId,
        Username: "trimmed",
        UserAttributeNames: ["email", "nickname"],
      }),
    );
    expect(Object.keys(attributeMap((await getUser("trimmed")).UserAttributes))).toEqual(["sub"]);
  });

  it("refuses a required attribute", async () => {
    const pool = await createPool(server, { Schema: [{ Name: "email", Required: true, Mutable: true }] });
    await createUser("needs-email", { email: "n@example.com" }, pool);
    const err = await failure(
      server.client.send(
        new AdminDeleteUserAttributesCommand({
          UserPoolId: pool,
          Username: "needs-email",
          UserAttributeNames: ["email"],
        }),
      ),
    );
    expect(err).toEqual({
      name: "InvalidParameterException",
      message: "user.email: The attribute is required",
    });
  });
});

describe("AdminResetUserPassword", () => {
  it("moves the user to RESET_REQUIRED and sends a code to the verified email", async () => {
    await createUser("forgetful", { email: "forgetful@example.com", email_verified: "true" });
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "forgetful",
        Password: GOOD_PASSWORD,
        Permanent: true,
      }),
    );
    await server.client.send(
      new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: "forgetful" }),
    );
    expect((await getUser("forgetful")).UserStatus).toBe("RESET_REQUIRED");
    const [message] = await outbox(server, { poolId, destination: "forgetful@example.com" });
    expect(message.purpose).toBe("forgot-password");
    expect(await latestCode(server, poolId, "forgetful@example.com")).toMatch(/^\d{6}$/);
  });

  it("needs a verified email or phone number", async () => {
    await createUser("unreachable", { email: "u@example.com" });
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "unreachable",
        Password: GOOD_PASSWORD,
        Permanent: true,
      }),
    );
    const err = await failure(
      server.client.send(new AdminResetUserPasswordCommand({ UserPoolId: poolId, Username: "unreachable" })),
    );
    expect(err).toEqual({
      name: "InvalidParameterException",
      message: "Cannot reset password for the user as there is no registered/verified email or phone_number",
    });
  });
});

describe("AdminConfirmSignUp", () => {
  it("confirms an UNCONFIRMED user, and refuses a confirmed one", async () => {
    const pool = await createPool(server);
    const client = await createClient(server, pool);
    await server.client.send(
      new SignUpCommand({ ClientId: client.ClientId!, Username: "pending", Password: GOOD_PASSWORD }),
    );
    expect((await getUser("pending", pool)).UserStatus).toBe("UNCONFIRMED");
    await server.client.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: "pending" }));
    expect((await getUser("pending", pool)).UserStatus).toBe("CONFIRMED");
    expect(
      await failure(
        server.client.send(new AdminConfirmSignUpCommand({ UserPoolId: pool, Username: "pending" })),
      ),
    ).toEqual({
      name: "NotAuthorizedException",
      message: "User cannot be confirmed. Current status is CONFIRMED",
    });
  });
});
