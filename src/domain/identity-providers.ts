/**
 * Identity providers a pool's clients may name in SupportedIdentityProviders: `COGNITO`, the pool's
 * own users, always; the pool's external identity providers once federation defines them.
 */
import type { Store } from "../store/store.js";

/** The pseudo-provider of the pool's own users (FEDERATION.md §1.2). */
export const COGNITO_PROVIDER = "COGNITO";

/** Every provider name that exists for the pool now: the one list SupportedIdentityProviders is checked against. */
export async function identityProviderNames(_store: Store, _poolId: string): Promise<ReadonlySet<string>> {
  return new Set([COGNITO_PROVIDER]);
}
