/**
 * An app client's secrets (OAUTH.md §6): wherever a secret is checked — SECRET_HASH, the token and
 * revocation endpoints, RevokeToken — every active secret of the client is accepted.
 */
import { sameText } from "../crypto/compare.js";
import type { ClientRecord } from "../store/records.js";

/** The client's active secrets, oldest first; empty for a public client. */
export function activeSecrets(client: ClientRecord): readonly string[] {
  return client.secret === null ? [] : [client.secret];
}

/** Whether `given` is one of the client's active secrets, compared in constant time. */
export function matchesClientSecret(client: ClientRecord, given: string): boolean {
  return activeSecrets(client).some((secret) => sameText(secret, given));
}
