/** Pools, clients and users for the trigger tests: the shared fixtures, with the pool's triggers. */
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type LambdaConfigType,
} from "@aws-sdk/client-cognito-identity-provider";
import * as fixtures from "../../support/fixtures.js";
import { PASSWORD } from "../../support/fixtures.js";
import type { TestServer } from "../../support/server.js";

export async function createPool(
  server: TestServer,
  lambdaConfig: LambdaConfigType,
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  return fixtures.createPool(server, { PoolName: "triggers", LambdaConfig: lambdaConfig, ...input });
}

/** A client with every flow the triggers take part in; its id. */
export async function createClient(
  server: TestServer,
  userPoolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<string> {
  const client = await fixtures.createClient(server, userPoolId, {
    ExplicitAuthFlows: [
      "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_USER_SRP_AUTH",
      "ALLOW_CUSTOM_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    ],
    ...input,
  });
  return client.clientId;
}
/** A CONFIRMED user with PASSWORD (created while the pool's triggers are not in the way). */
export async function createUser(
  server: TestServer,
  userPoolId: string,
  username: string,
  attributes: AttributeType[] = [],
): Promise<void> {
  await server.client.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: username,
      MessageAction: "SUPPRESS",
      UserAttributes: attributes,
    }),
  );
  await server.client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: username,
      Password: PASSWORD,
      Permanent: true,
    }),
  );
}
