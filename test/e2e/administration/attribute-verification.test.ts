/**
 * `UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate` (ADMINISTRATION.md §5):
 * a new email waits for verification while the user keeps the verified one.
 */
import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolCommand,
  DeleteUserAttributesCommand,
  DescribeUserPoolCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  UpdateUserAttributesCommand,
  UpdateUserPoolCommand,
  VerifyUserAttributeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClient,
  createPool,
  createUser,
  expectError,
  outbox,
  PASSWORD,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const HOLD_EMAIL = {
  AutoVerifiedAttributes: ["email" as const],
  AliasAttributes: ["email" as const],
  UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email" as const] },
};

async function poolWithUser(username: string) {
  const poolId = await createPool(server, HOLD_EMAIL);
  const { clientId } = await createClient(server, poolId);
  await createUser(server, poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@old.example` },
      { Name: "email_verified", Value: "true" },
    ],
  });
  return { poolId, clientId };
}

function signIn(poolId: string, clientId: string, name: string) {
  return server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: name, PASSWORD },
    }),
  );
}

async function attributes(poolId: string, username: string) {
  const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
}

/** The code of the newest message to the address. */
async function codeSentTo(poolId: string, destination: string): Promise<string> {
  const [message] = await outbox(server, { poolId, destination });
  return message?.message.match(/\d{6}/)?.[0] as string;
}

describe("the pool setting", () => {
  it("defaults to no attribute and names only auto-verified ones", async () => {
    const poolId = await createPool(server);
    const described = await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(described.UserPool?.UserAttributeUpdateSettings).toEqual({
      AttributesRequireVerificationBeforeUpdate: [],
    });
    const message =
      "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes";
    await expectError(
      server.client.send(
        new CreateUserPoolCommand({
          PoolName: "x",
          UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["email"] },
        }),
      ),
      "InvalidParameterException",
      message,
    );
    await expectError(
      server.client.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          AutoVerifiedAttributes: ["email"],
          UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ["phone_number"] },
        }),
      ),
      "InvalidParameterException",
      message,
    );
  });
});

describe("a change of a verified email", () => {
  it("waits for verification: the user keeps the old one until the code sent to the new one is verified", async () => {
    const { poolId, clientId } = await poolWithUser("ada");
    const token = (await signIn(poolId, clientId, "ada")).AuthenticationResult?.AccessToken as string;
    const update = await server.client.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [
          { Name: "email", Value: "ada@new.example" },
          { Name: "name", Value: "Ada" },
        ],
      }),
    );
    expect(update.CodeDeliveryDetailsList).toEqual([
      { AttributeName: "email", DeliveryMedium: "EMAIL", Destination: "a***@n***" },
    ]);
    // The other attribute changed at once; the email did not.
    const before = await server.client.send(new GetUserCommand({ AccessToken: token }));
    expect(Object.fromEntries((before.UserAttributes ?? []).map((a) => [a.Name, a.Value]))).toMatchObject({
      email: "ada@old.example",
      email_verified: "true",
      name: "Ada",
    });
    expect((await signIn(poolId, clientId, "ada@old.example")).AuthenticationResult).toBeDefined();

    await server.client.send(
      new VerifyUserAttributeCommand({
        AccessToken: token,
        AttributeName: "email",
        Code: await codeSentTo(poolId, "ada@new.example"),
      }),
    );
    expect(await attributes(poolId, "ada")).toMatchObject({
      email: "ada@new.example",
      email_verified: "true",
    });
    expect((await signIn(poolId, clientId, "ada@new.example")).AuthenticationResult).toBeDefined();
    await expectError(
      signIn(poolId, clientId, "ada@old.example"),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  it("keeps the newest value pending, and GetUserAttributeVerificationCode sends to it", async () => {
    const { poolId, clientId } = await poolWithUser("bea");
    const token = (await signIn(poolId, clientId, "bea")).AuthenticationResult?.AccessToken as string;
    for (const email of ["bea@typo.example", "bea@right.example"]) {
      await server.client.send(
        new UpdateUserAttributesCommand({
          AccessToken: token,
          UserAttributes: [{ Name: "email", Value: email }],
        }),
      );
    }
    const resent = await server.client.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: token, AttributeName: "email" }),
    );
    expect(resent.CodeDeliveryDetails?.Destination).toBe("b***@r***");
    await server.client.send(
      new VerifyUserAttributeCommand({
        AccessToken: token,
        AttributeName: "email",
        Code: await codeSentTo(poolId, "bea@right.example"),
      }),
    );
    expect((await attributes(poolId, "bea")).email).toBe("bea@right.example");
  });

  it("is refused at once when another user has the new email", async () => {
    const { poolId, clientId } = await poolWithUser("cal");
    await createUser(server, poolId, "dee", {
      attributes: [
        { Name: "email", Value: "dee@old.example" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    const token = (await signIn(poolId, clientId, "cal")).AuthenticationResult?.AccessToken as string;
    await expectError(
      server.client.send(
        new UpdateUserAttributesCommand({
          AccessToken: token,
          UserAttributes: [{ Name: "email", Value: "dee@old.example" }],
        }),
      ),
      "AliasExistsException",
      "An account with the given email already exists.",
    );
  });

  it("by an admin waits too, unless the same request marks it verified", async () => {
    const { poolId } = await poolWithUser("eve");
    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "eve",
        UserAttributes: [{ Name: "email", Value: "eve@pending.example" }],
      }),
    );
    expect((await attributes(poolId, "eve")).email).toBe("eve@old.example");
    expect(await codeSentTo(poolId, "eve@pending.example")).toMatch(/^\d{6}$/);

    const sent = (await outbox(server, poolId)).length;
    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "eve",
        UserAttributes: [
          { Name: "email", Value: "eve@direct.example" },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    expect(await attributes(poolId, "eve")).toMatchObject({
      email: "eve@direct.example",
      email_verified: "true",
    });
    expect(await outbox(server, poolId)).toHaveLength(sent);
  });

  it("is forgotten when the user deletes the email", async () => {
    const { poolId, clientId } = await poolWithUser("fay");
    const token = (await signIn(poolId, clientId, "fay")).AuthenticationResult?.AccessToken as string;
    await server.client.send(
      new UpdateUserAttributesCommand({
        AccessToken: token,
        UserAttributes: [{ Name: "email", Value: "fay@new.example" }],
      }),
    );
    const code = await codeSentTo(poolId, "fay@new.example");
    await server.client.send(
      new DeleteUserAttributesCommand({ AccessToken: token, UserAttributeNames: ["email"] }),
    );
    await expectError(
      server.client.send(
        new VerifyUserAttributeCommand({ AccessToken: token, AttributeName: "email", Code: code }),
      ),
      "InvalidParameterException",
      "Email is required to verify/un-verify an email",
    );
  });

  it("applies at once in pools that do not hold the attribute, unverified", async () => {
    const poolId = await createPool(server, { AutoVerifiedAttributes: ["email"] });
    await createUser(server, poolId, "gus", {
      attributes: [
        { Name: "email", Value: "gus@old.example" },
        { Name: "email_verified", Value: "true" },
      ],
    });
    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "gus",
        UserAttributes: [{ Name: "email", Value: "gus@new.example" }],
      }),
    );
    expect(await attributes(poolId, "gus")).toMatchObject({
      email: "gus@new.example",
      email_verified: "false",
    });
  });
});
