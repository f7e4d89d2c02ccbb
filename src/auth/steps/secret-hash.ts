/**
 * Step 7: SECRET_HASH, for clients with a secret, on every flow and every challenge answer. The
 * hash may be computed over any name the user is known by in this request: the USERNAME sent, and
 * the real username (SDKs use it after SRP, and for refresh) [UNDOC leniency].
 */
import { verifySecretHash } from "../../domain/secret-hash.js";
import type { ClientRecord } from "../../store/records.js";
import type { SignIn, Step } from "../sign-in.js";

export function checkSecretHash(
  client: ClientRecord,
  usernames: readonly (string | undefined)[],
  secretHash: string | undefined,
): void {
  verifySecretHash(
    client,
    usernames.filter((u): u is string => u !== undefined),
    secretHash,
  );
}

/** SECRET_HASH over the USERNAME as sent (an alias is fine), checked before the user is looked up. */
export const checkInitiateSecretHash: Step = (signIn: SignIn) => {
  const { USERNAME, SECRET_HASH } = signIn.request.parameters;
  checkSecretHash(signIn.client, [USERNAME], SECRET_HASH);
  return undefined;
};
