/** Helpers for the user, sign-up and group tests: pools, clients, the outbox, and error capture. */
import {
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { outbox } from "../../support/fixtures.js";
import type { TestServer } from "../../support/server.js";

export { failure, type OutboxEntry, outbox } from "../../support/fixtures.js";

export async function createPool(server: TestServer, input: Partial<CreateUserPoolCommandInput> = {}) {
  const res = await server.client.send(new CreateUserPoolCommand({ PoolName: "users", ...input }));
  return res.UserPool!.Id!;
}

export async function createClient(
  server: TestServer,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
) {
  const res = await server.client.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app", ...input }),
  );
  return res.UserPoolClient!;
}

/** The 6-digit code of the newest message to a destination. */
export async function latestCode(server: TestServer, poolId: string, destination: string): Promise<string> {
  const [message] = await outbox(server, { poolId, destination });
  const code = message?.message.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code sent to ${destination}`);
  return code;
}

/** Attribute list → name/value map. */
export function attributeMap(
  attributes: { Name?: string; Value?: string }[] | undefined,
): Record<string, string> {
  return Object.fromEntries((attributes ?? []).map((a) => [a.Name as string, a.Value as string]));
}

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A password that satisfies the default policy. */
export const GOOD_PASSWORD = "Correct-Horse-9";
