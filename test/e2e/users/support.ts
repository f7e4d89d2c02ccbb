/** Helpers for the user, sign-up and group tests: pools, clients, the outbox, and error capture. */
import {
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import type { TestServer } from "../../support/server.js";

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

/** The error a request fails with (and a test failure if it succeeds). */
export async function failure(request: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await request;
  } catch (error) {
    const e = error as Error;
    return { name: e.name, message: e.message };
  }
  throw new Error("expected the request to fail");
}

export interface OutboxEntry {
  poolId: string;
  username: string;
  channel: "EMAIL" | "SMS";
  destination: string;
  purpose: string;
  subject: string | null;
  message: string;
}

/** Messages in the developer outbox (GET /_cognate/outbox), newest first. */
export async function outbox(
  server: TestServer,
  query: { poolId?: string; username?: string; destination?: string } = {},
): Promise<OutboxEntry[]> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const res = await fetch(`${server.url}/_cognate/outbox?${params}`);
  const body = (await res.json()) as { messages: OutboxEntry[] };
  return body.messages;
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
