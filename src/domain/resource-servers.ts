/**
 * Resource servers (OAUTH.md §5): a pool's custom scopes, each `<Identifier>/<ScopeName>`.
 */
import type { Store } from "../store/store.js";

/** Every custom scope the pool's resource servers define now, as full `<identifier>/<scope>` names. */
export async function customScopesOf(_store: Store, _poolId: string): Promise<ReadonlySet<string>> {
  return new Set();
}
