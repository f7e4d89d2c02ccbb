/**
 * An app client's secrets (OAUTH.md §6): wherever a secret is checked — SECRET_HASH, the token and
 * revocation endpoints, RevokeToken — every active secret of the client is accepted. A client has
 * at most two, so that it can rotate without downtime; a confidential client always keeps one, and
 * a public client never gets one.
 */
import { sameText } from "../crypto/compare.js";
import { newClientSecret } from "../crypto/random.js";
import type { ClientSecretDescriptorType } from "../protocol/types.generated.js";
import type { ClientRecord, ClientSecretRecord } from "../store/records.js";
import { Errors } from "./errors.js";

/** Active secrets per client [API]. */
export const MAX_CLIENT_SECRETS = 2;

/** The client's active secrets, oldest first; empty for a public client. */
export function activeSecrets(client: ClientRecord): readonly string[] {
  return client.secrets.map((secret) => secret.value);
}

/** Whether `given` is one of the client's active secrets, compared in constant time. */
export function matchesClientSecret(client: ClientRecord, given: string): boolean {
  // Every secret is compared, so the time taken does not tell which one matched.
  let matched = false;
  for (const secret of activeSecrets(client)) matched = sameText(secret, given) || matched;
  return matched;
}

/** Whether the client has secrets: a confidential client, which must prove one. */
export function isConfidential(client: ClientRecord): boolean {
  return client.secrets.length > 0;
}

/**
 * A new secret of the client, created at `now` — or just after its newest secret, so that ids
 * (`<client id>--<epoch ms>`) stay distinct and creation times keep the secrets' order.
 */
export function newSecretRecord(
  clientId: string,
  value: string,
  now: Date,
  existing: readonly ClientSecretRecord[] = [],
): ClientSecretRecord {
  const newest = existing.at(-1)?.createdAt.getTime() ?? Number.NEGATIVE_INFINITY;
  const createdAt = new Date(Math.max(now.getTime(), newest + 1));
  return { id: `${clientId}--${createdAt.getTime()}`, value, createdAt };
}

function requireConfidential(client: ClientRecord): void {
  if (!isConfidential(client)) throw Errors.clientNotConfidential(client.id);
}

/**
 * AddUserPoolClientSecret: the client's secrets with one more, the given value or a generated one.
 * The descriptor shows the value only when it was generated [API].
 */
export function addClientSecret(
  client: ClientRecord,
  chosen: string | undefined,
  now: Date,
): { secrets: ClientSecretRecord[]; descriptor: ClientSecretDescriptorType } {
  requireConfidential(client);
  if (client.secrets.length >= MAX_CLIENT_SECRETS) throw Errors.clientSecretLimitExceeded(MAX_CLIENT_SECRETS);
  const added = newSecretRecord(client.id, chosen ?? newClientSecret(), now, client.secrets);
  return {
    secrets: [...client.secrets, added],
    descriptor: { ...describeSecret(added), ...(chosen === undefined && { ClientSecretValue: added.value }) },
  };
}

/** DeleteUserPoolClientSecret: the client's secrets without that one, which may not be the last. */
export function deleteClientSecret(client: ClientRecord, secretId: string): ClientSecretRecord[] {
  requireConfidential(client);
  if (!client.secrets.some((secret) => secret.id === secretId)) throw Errors.clientSecretNotFound(secretId);
  if (client.secrets.length === 1) throw Errors.lastClientSecret();
  return client.secrets.filter((secret) => secret.id !== secretId);
}

/** ListUserPoolClientSecrets: ids and creation dates, oldest first, never the values. */
export function listClientSecrets(client: ClientRecord): ClientSecretDescriptorType[] {
  requireConfidential(client);
  return client.secrets.map(describeSecret);
}

function describeSecret(secret: ClientSecretRecord): ClientSecretDescriptorType {
  return { ClientSecretId: secret.id, ClientSecretCreateDate: secret.createdAt };
}
