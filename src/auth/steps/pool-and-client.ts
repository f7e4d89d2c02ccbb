/**
 * Steps 2–3: the pool and the app client. The admin operations name the pool and the client must
 * belong to it; the public ones name only the client, whose pool it is.
 */
import { requireClient, requireClientAndPool, requirePool } from "../../domain/lookup.js";
import type { Services } from "../../services.js";
import type { ClientRecord, PoolRecord } from "../../store/records.js";
import type { SignInRequest } from "../sign-in.js";

export async function resolvePoolAndClient(
  services: Services,
  request: SignInRequest,
): Promise<{ pool: PoolRecord; client: ClientRecord }> {
  if (request.userPoolId === undefined) return requireClientAndPool(services.store, request.clientId);
  const pool = await requirePool(services.store, request.userPoolId);
  const client = await requireClient(services.store, pool.id, request.clientId);
  return { pool, client };
}
