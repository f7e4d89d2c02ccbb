/**
 * `cognate reset`: removes one pool (or every pool) and all it holds from the configured store,
 * then applies the configured seed again. For test suites between runs; a running server on the
 * same data sees the change at once (its cached signing keys are reread within minutes: prefer the
 * endpoint, POST /_cognate/reset, against a running server).
 */
import pino from "pino";
import type { Config } from "../config/config.js";
import { resetPools } from "../domain/reset.js";
import { applySeed } from "../seed/apply.js";
import { loadSeed } from "../seed/load.js";
import { closeServices, openServices } from "../server.js";

export async function reset(config: Config, poolId: string | undefined): Promise<void> {
  const seed = config.seed.file === null ? { pools: [] } : await loadSeed(config.seed.file);
  const services = await openServices(config, pino({ level: "silent" }));
  try {
    const removed = await resetPools(services, poolId);
    const { created } = await applySeed(services, seed, pino({ level: "silent" }));
    process.stdout.write(`removed ${removed.length} pool(s); the seed created ${created.length} item(s)\n`);
  } finally {
    await closeServices(services);
  }
}
