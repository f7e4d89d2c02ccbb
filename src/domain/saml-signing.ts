/**
 * Each pool's SAML signing key and certificate (FEDERATION.md §1.7): it signs the pool's
 * AuthnRequests (where a provider asks for signed requests) and logout requests. Made on first
 * need — the first SAML provider or GetSigningCertificate — and kept as the pool's JWT signing
 * keys are, in the store.
 */
import { newCertifiedKey } from "../crypto/certificates.js";
import type { CertifiedKey } from "../store/identity-providers.js";
import type { Store } from "../store/store.js";

export async function poolSamlSigningKey(store: Store, poolId: string, now: Date): Promise<CertifiedKey> {
  const existing = await store.samlSigningKeys.get(poolId);
  if (existing) return existing;
  // Another request may be making the pool's key too: the first stored wins, both return it.
  await store.samlSigningKeys.insertFirst(poolId, await newCertifiedKey(poolId, "signing", now), now);
  return (await store.samlSigningKeys.get(poolId)) as CertifiedKey;
}
