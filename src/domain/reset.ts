/**
 * Reset for test suites (docs/OPERATIONS.md): a pool, or every pool, and all it holds are removed
 * at once, whatever the deletion protection or domain (DeleteUserPool would refuse). The seed, if
 * any, is applied again by the caller, which brings the seeded pools back to their declared state.
 */
import type { Services } from "../services.js";

async function removePool(services: Services, poolId: string): Promise<void> {
  await services.store.transaction(async (tx) => {
    for (const domain of await tx.domains.listForPool(poolId)) await tx.domains.delete(domain.domain);
    await tx.pools.delete(poolId);
  });
  services.keys.forget(poolId);
}

/** Removes one pool (or every pool); returns the ids removed. */
export async function resetPools(services: Services, poolId?: string): Promise<string[]> {
  const ids = poolId !== undefined ? [poolId] : await listPoolIds(services);
  for (const id of ids) await removePool(services, id);
  return ids;
}

export async function listPoolIds(services: Services): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await services.store.pools.list(100, after);
    ids.push(...page.map((p) => p.id));
    if (page.length < 100) return ids;
    after = page[page.length - 1].id;
  }
}
