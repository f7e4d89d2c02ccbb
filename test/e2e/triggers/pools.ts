/** Pools, clients and users for the trigger tests, made through the official SDK. */
import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  type LambdaConfigType,
} from "@aws-sdk/client-cognito-identity-provider";
import { expect } from "vitest";
import type { TestServer } from "../../support/server.js";

export const PASSWORD = "Corr3ct-horse!";

export async function createPool(
  server: TestServer,
  lambdaConfig: LambdaConfigType,
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  const out = await server.client.send(
    new CreateUserPoolCommand({ PoolName: "triggers", LambdaConfig: lambdaConfig, ...input }),
  );
  return out.UserPool?.Id as string;
}

export async function createClient(
  server: TestServer,
  userPoolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<string> {
  const out = await server.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "app",
      ExplicitAuthFlows: [
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ],
      ...input,
    }),
  );
  return out.UserPoolClient?.ClientId as string;
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

/** Expects the call to fail with exactly this Cognito error type and message. */
export async function expectError(call: Promise<unknown>, name: string, message: string): Promise<void> {
  await expect(call).rejects.toMatchObject({ name, message });
}

export interface OutboxMessage {
  username: string;
  channel: "EMAIL" | "SMS";
  destination: string;
  purpose: string;
  subject: string | null;
  message: string;
}

/** The pool's messages in the developer outbox, newest first. */
export async function outbox(server: TestServer, poolId: string): Promise<OutboxMessage[]> {
  const res = await fetch(`${server.url}/_cognate/outbox?poolId=${encodeURIComponent(poolId)}`);
  return ((await res.json()) as { messages: OutboxMessage[] }).messages;
}

/** The payload of a JWT, unverified. */
export function claims(jwt: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(jwt).split(".")[1], "base64url").toString("utf8"));
}
