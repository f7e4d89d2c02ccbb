/**
 * What the end-to-end tests share: pools, clients and users made through the official SDK, the
 * errors and tokens they expect, the server's clock, and the developer outbox.
 */

import { createHmac } from "node:crypto";
import {
  AdminCreateUserCommand,
  type AdminInitiateAuthCommandOutput,
  AdminSetUserPasswordCommand,
  type AttributeType,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { expect } from "vitest";
import type { TestServer } from "./server.js";

export const PASSWORD = "Corr3ct-horse!";
export const TEMPORARY_PASSWORD = "Temp0rary-pass!";

export async function createPool(
  server: TestServer,
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<string> {
  const out = await server.client.send(new CreateUserPoolCommand({ PoolName: "sign-in", ...input }));
  return out.UserPool?.Id as string;
}

export interface TestClient {
  clientId: string;
  secret?: string;
}

export async function createClient(
  server: TestServer,
  userPoolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<TestClient> {
  const out = await server.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: "app",
      ExplicitAuthFlows: [
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
      ],
      ...input,
    }),
  );
  return { clientId: out.UserPoolClient?.ClientId as string, secret: out.UserPoolClient?.ClientSecret };
}

/** A user with a permanent password (CONFIRMED), or with a temporary one (FORCE_CHANGE_PASSWORD). */
export async function createUser(
  server: TestServer,
  userPoolId: string,
  username: string,
  options: { attributes?: AttributeType[]; temporary?: boolean; password?: string } = {},
): Promise<void> {
  await server.client.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: username,
      TemporaryPassword: TEMPORARY_PASSWORD,
      MessageAction: "SUPPRESS",
      UserAttributes: options.attributes,
    }),
  );
  if (options.temporary) return;
  await server.client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: userPoolId,
      Username: username,
      Password: options.password ?? PASSWORD,
      Permanent: true,
    }),
  );
}

export function secretHash(client: TestClient, username: string): string {
  return createHmac("sha256", client.secret as string)
    .update(`${username}${client.clientId}`)
    .digest("base64");
}

/** Expects the call to fail with exactly this Cognito error type and message. */
export async function expectError(call: Promise<unknown>, name: string, message: string): Promise<void> {
  await expect(call).rejects.toMatchObject({ name, message });
}

/** Expects the call not to be refused by the client's ExplicitAuthFlows (it may still fail later, or succeed). */
export async function expectPastClientGate(call: Promise<unknown>, gateMessage: string): Promise<void> {
  const error = await call.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error?.message).not.toBe(gateMessage);
}

export function expectTokens(
  out: Pick<
    AdminInitiateAuthCommandOutput,
    "AuthenticationResult" | "ChallengeParameters" | "ChallengeName" | "Session"
  >,
): void {
  expect(out.ChallengeName).toBeUndefined();
  expect(out.Session).toBeUndefined();
  expect(out.ChallengeParameters).toEqual({});
  expect(out.AuthenticationResult?.TokenType).toBe("Bearer");
  expect(out.AuthenticationResult?.ExpiresIn).toBe(3600);
  expect(out.AuthenticationResult?.AccessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(out.AuthenticationResult?.IdToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
}

/** The payload of a JWT, unverified (the tokens' own tests verify them). */
export function claims(jwt: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(jwt).split(".")[1], "base64url").toString("utf8"));
}

/** Moves the server's clock: every later request sees `now + ms`. */
export function advanceClock(server: TestServer, ms: number): void {
  const previous = server.services.clock;
  server.services.clock = () => new Date(previous().getTime() + ms);
}

export function resetClock(server: TestServer): void {
  server.services.clock = () => new Date();
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

export interface OutboxQuery {
  poolId?: string;
  username?: string;
  destination?: string;
}

/** Messages in the developer outbox (GET /_cognate/outbox) of a pool, or matching a query; newest first. */
export async function outbox(server: TestServer, query: string | OutboxQuery = {}): Promise<OutboxEntry[]> {
  const filters = typeof query === "string" ? { poolId: query } : query;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== undefined) params.set(key, value);
  const res = await fetch(`${server.url}/_cognate/outbox?${params}`);
  return ((await res.json()) as { messages: OutboxEntry[] }).messages;
}
