/**
 * Behaviour the first release lacked: boolean attribute values in any letter case.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, PASSWORD } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

function attributesOf(user: { UserAttributes?: { Name?: string; Value?: string }[] }) {
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
}

describe("boolean attribute values", () => {
  it("are accepted in any letter case and kept as true / false", async () => {
    const poolId = await createPool(server, {
      AliasAttributes: ["email"],
      Schema: [{ Name: "vip", AttributeDataType: "Boolean", Mutable: true }],
    });
    const { clientId } = await createClient(server, poolId);
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "casey",
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: "casey@example.com" },
          { Name: "email_verified", Value: "True" },
          { Name: "phone_number", Value: "+15555550100" },
          { Name: "phone_number_verified", Value: "FALSE" },
          { Name: "custom:vip", Value: "tRuE" },
        ],
      }),
    );
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "casey" }));
    expect(attributesOf(user)).toMatchObject({
      email_verified: "true",
      phone_number_verified: "false",
      "custom:vip": "true",
    });

    // A verified email is a sign-in alias: "True" verified it.
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "casey",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    const signedIn = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "casey@example.com", PASSWORD },
      }),
    );
    expect(signedIn.AuthenticationResult?.AccessToken).toBeTruthy();

    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: "casey",
        UserAttributes: [{ Name: "phone_number_verified", Value: "TRUE" }],
      }),
    );
    const updated = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: "casey" }),
    );
    expect(attributesOf(updated).phone_number_verified).toBe("true");
  });

  it("that are no boolean in any case are still refused", async () => {
    const poolId = await createPool(server);
    await expect(
      server.client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "dana",
          MessageAction: "SUPPRESS",
          UserAttributes: [
            { Name: "email", Value: "dana@example.com" },
            { Name: "email_verified", Value: "yes" },
          ],
        }),
      ),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message:
        "Attributes did not conform to the schema: email_verified: The attribute is not a valid boolean\n",
    });
  });
});
