/**
 * SECRET_HASH: Base64(HMAC-SHA256(key = client secret, message = username + client id)) [DG].
 * Every public operation of a client that has a secret must carry it.
 */
import { createHmac } from "node:crypto";
import { sameText } from "../crypto/compare.js";
import type { ClientRecord } from "../store/records.js";
import { activeSecrets } from "./client-secrets.js";
import { Errors } from "./errors.js";

export function computeSecretHash(clientSecret: string, username: string, clientId: string): string {
  return createHmac("sha256", clientSecret).update(`${username}${clientId}`, "utf8").digest("base64");
}

/**
 * Checks the secret hash of a request to a client with secrets (a client without one ignores it
 * [UNDOC]); a hash computed with any of its active secrets is accepted (OAUTH.md §6). `usernames`: every name the hash may have been computed over — the name sent, and after
 * SRP the canonical username [UNDOC leniency, ADMIN_INITIATE_AUTH §7].
 */
export function verifySecretHash(
  client: ClientRecord,
  usernames: string | readonly string[],
  secretHash: string | undefined,
): void {
  const secrets = activeSecrets(client);
  if (secrets.length === 0) return;
  if (secretHash === undefined || secretHash === "") throw Errors.secretHashMissing(client.id);
  const candidates = typeof usernames === "string" ? [usernames] : usernames;
  const matches = secrets.some((secret) =>
    candidates.some((name) => sameText(computeSecretHash(secret, name, client.id), secretHash)),
  );
  if (!matches) throw Errors.secretHashMismatch(client.id);
}
