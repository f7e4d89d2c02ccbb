/**
 * `cognate keys`: a pool's JWT signing keys, and their rotation (docs/DEPLOYMENT.md). Rotating
 * makes a new key current for each token use; the old one stays in the JWKS, verifying the tokens
 * it signed, until it is retired. Running servers sign with the new key and publish it within
 * a minute (their cached keys are reread that often); a token with a kid they lack makes them
 * reread at once.
 */
import pino from "pino";
import type { Config } from "../config/config.js";
import { Errors } from "../domain/errors.js";
import { closeServices, openServices } from "../server.js";
import type { Services } from "../services.js";
import type { TokenUse } from "../store/signing-keys.js";

export type KeysAction =
  | { kind: "list"; poolId: string }
  | { kind: "rotate"; poolId: string; uses: TokenUse[] }
  | { kind: "retire"; poolId: string; kid: string };

/** Runs one action against the configured store; a line of output per key. */
export async function manageKeys(config: Config, action: KeysAction): Promise<void> {
  const services = await openServices(config, pino({ level: "silent" }));
  try {
    if (!(await services.store.pools.get(action.poolId))) throw Errors.poolNotFound(action.poolId);
    process.stdout.write(await run(services, action));
  } finally {
    await closeServices(services);
  }
}

async function run(services: Services, action: KeysAction): Promise<string> {
  const now = services.clock();
  switch (action.kind) {
    case "list":
      return listKeys(services, action.poolId, now);
    case "rotate": {
      const kids = [];
      for (const use of action.uses)
        kids.push(`${use} ${await services.keys.rotate(action.poolId, use, now)}`);
      return `new current keys: ${kids.join(", ")}\n`;
    }
    case "retire": {
      if (await services.keys.retire(action.poolId, action.kid, now)) return `retired ${action.kid}\n`;
      throw new Error(
        `${action.kid} is not a previous key of ${action.poolId}: only a key rotation replaced can be retired`,
      );
    }
  }
}

/** The keys that verify (created on first use, as a sign-in would), oldest first. */
async function listKeys(services: Services, poolId: string, now: Date): Promise<string> {
  await services.keys.forPool(poolId, now);
  const records = await services.store.signingKeys.listLive(poolId);
  return records
    .map((key) => `${key.kid} ${key.use} ${key.status} created ${key.createdAt.toISOString()}\n`)
    .join("");
}
