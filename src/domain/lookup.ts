/** Finding the pool, client and user a request names, with Cognito's errors when they are absent. */
import type { ClientRecord, PoolRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";

export async function requirePool(store: Store, poolId: string): Promise<PoolRecord> {
  const pool = await store.pools.get(poolId);
  if (!pool) throw Errors.poolNotFound(poolId);
  return pool;
}

function clientOfPool(client: ClientRecord | undefined, poolId: string, clientId: string): ClientRecord {
  if (!client || client.poolId !== poolId) throw Errors.clientNotFound(clientId);
  return client;
}

/** The client must exist and belong to the pool. */
export async function requireClient(store: Store, poolId: string, clientId: string): Promise<ClientRecord> {
  return clientOfPool(await store.clients.get(clientId), poolId, clientId);
}

/** The client, as requireClient, held until the transaction ends (for a change of its secrets). */
export async function requireClientForUpdate(
  store: Store,
  poolId: string,
  clientId: string,
): Promise<ClientRecord> {
  return clientOfPool(await store.clients.getForUpdate(clientId), poolId, clientId);
}

/** For public operations, which name only the client: the client and its pool. */
export async function requireClientAndPool(
  store: Store,
  clientId: string,
): Promise<{ client: ClientRecord; pool: PoolRecord }> {
  const client = await store.clients.get(clientId);
  if (!client) throw Errors.clientNotFound(clientId);
  const pool = await requirePool(store, client.poolId);
  return { client, pool };
}

/** The pool, held until the transaction ends (for a quota check and the write it guards). */
export async function requirePoolForUpdate(store: Store, poolId: string): Promise<PoolRecord> {
  const pool = await store.pools.getForUpdate(poolId);
  if (!pool) throw Errors.poolNotFound(poolId);
  return pool;
}
