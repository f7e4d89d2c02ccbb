/**
 * Resource servers (OAUTH.md §5): a pool's APIs, each defining custom scopes, in full
 * `<Identifier>/<ScopeName>`. A scope deleted from its server stays on the clients that allow it,
 * but is inactive until it is defined again: what is active is what `customScopesOf` returns now.
 */
import type {
  CreateResourceServerRequest,
  ResourceServerType,
  UpdateResourceServerRequest,
} from "../protocol/types.generated.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import type { ResourceServerRecord } from "../store/resource-servers.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";
import { requirePool, requirePoolForUpdate } from "./lookup.js";

/** Resource servers per pool [DG quotas]. (100 scopes per server is the model's list bound.) */
export const MAX_RESOURCE_SERVERS_PER_POOL = 25;

/** Every custom scope the pool's resource servers define now, as full `<identifier>/<scope>` names. */
export async function customScopesOf(store: Store, poolId: string): Promise<ReadonlySet<string>> {
  const servers = await store.resourceServers.list(poolId, MAX_RESOURCE_SERVERS_PER_POOL);
  return new Set(
    servers.flatMap((server) => server.scopes.map((s) => `${server.identifier}/${s.ScopeName}`)),
  );
}

export async function requireResourceServer(
  store: Store,
  poolId: string,
  identifier: string,
): Promise<ResourceServerRecord> {
  const server = await store.resourceServers.get(poolId, identifier);
  if (!server) throw Errors.resourceServerNotFound(identifier);
  return server;
}

/**
 * The resource server that Create or Update describes: Update replaces it whole, so no Scopes
 * means none [UNDOC]. A scope name given twice is refused: its full name would be ambiguous.
 */
function resourceServerRecord(
  input: CreateResourceServerRequest | UpdateResourceServerRequest,
): ResourceServerRecord {
  const scopes = input.Scopes ?? [];
  const seen = new Set<string>();
  for (const scope of scopes) {
    if (seen.has(scope.ScopeName)) throw Errors.duplicateScopeName(scope.ScopeName);
    seen.add(scope.ScopeName);
  }
  return {
    poolId: input.UserPoolId,
    identifier: input.Identifier,
    name: input.Name,
    scopes: scopes.map(({ ScopeName, ScopeDescription }) => ({ ScopeName, ScopeDescription })),
  };
}

export function describeResourceServer(server: ResourceServerRecord): ResourceServerType {
  return {
    UserPoolId: server.poolId,
    Identifier: server.identifier,
    Name: server.name,
    Scopes: server.scopes,
  };
}

/**
 * CreateResourceServer: a new identifier within the pool's quota. The pool is held while its
 * servers are counted, so that two creations at once cannot both take the last place.
 */
export async function createResourceServer(
  store: Store,
  input: CreateResourceServerRequest,
): Promise<ResourceServerRecord> {
  return store.transaction(async (tx) => {
    const pool = await requirePoolForUpdate(tx, input.UserPoolId);
    const server = resourceServerRecord(input);
    if (await tx.resourceServers.get(pool.id, server.identifier)) {
      throw Errors.resourceServerExists(server.identifier);
    }
    if ((await tx.resourceServers.count(pool.id)) >= MAX_RESOURCE_SERVERS_PER_POOL) {
      throw Errors.resourceServerLimitExceeded(MAX_RESOURCE_SERVERS_PER_POOL);
    }
    try {
      await tx.resourceServers.insert(server);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw Errors.resourceServerExists(server.identifier);
      throw error;
    }
    return server;
  });
}

/** UpdateResourceServer: name and scopes replaced whole. */
export async function updateResourceServer(
  store: Store,
  input: UpdateResourceServerRequest,
): Promise<ResourceServerRecord> {
  const pool = await requirePool(store, input.UserPoolId);
  await requireResourceServer(store, pool.id, input.Identifier);
  const server = resourceServerRecord(input);
  await store.resourceServers.update(server);
  return server;
}
