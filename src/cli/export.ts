/**
 * `cognate export`: one pool or every pool of the configured store, in the seed format, read
 * through the API's own operations. `withSecrets` adds Cognate's password verifiers and TOTP
 * secrets, which only another Cognate can use (they are bound to the pool id and username).
 */
import { writeFileSync } from "node:fs";
import pino from "pino";
import { stringify } from "yaml";
import type { Config } from "../config/config.js";
import { requirePool } from "../domain/lookup.js";
import { registeredSoftwareTokenSecret } from "../domain/software-token.js";
import { findUser } from "../domain/users.js";
import { callOperation } from "../seed/call.js";
import { type ApiCaller, exportPool, poolIds, type UserSecrets } from "../seed/export.js";
import type { SeedInput } from "../seed/schema.js";
import { closeServices, openServices } from "../server.js";
import type { Services } from "../services.js";

export interface ExportOptions {
  poolId?: string;
  out?: string;
  format?: "json" | "yaml";
  withSecrets: boolean;
}

function localSecrets(services: Services): UserSecrets {
  return async (poolId, username) => {
    const pool = await requirePool(services.store, poolId);
    const user = await findUser(services.store, pool, username);
    if (!user) return {};
    const totpSecret = await registeredSoftwareTokenSecret(services.store, user);
    return {
      ...(user.password && { passwordHash: { salt: user.password.salt, verifier: user.password.verifier } }),
      ...(totpSecret && { totpSecret }),
    };
  };
}

/** JSON or YAML: the format asked for, else the output file's extension, else YAML. */
export function seedText(seed: SeedInput, options: { out?: string; format?: "json" | "yaml" }): string {
  const format = options.format ?? (options.out && /\.json$/i.test(options.out) ? "json" : "yaml");
  return format === "json" ? `${JSON.stringify(seed, null, 2)}\n` : stringify(seed);
}

export function writeSeed(seed: SeedInput, options: { out?: string; format?: "json" | "yaml" }): void {
  const text = seedText(seed, options);
  if (options.out) writeFileSync(options.out, text, { mode: 0o600 });
  else process.stdout.write(text);
}

export async function exportSeed(config: Config, options: ExportOptions): Promise<void> {
  const services = await openServices(config, pino({ level: "silent" }));
  try {
    const call: ApiCaller = async (operation, input) =>
      (await callOperation(services, operation as never, input)) as Record<string, unknown>;
    const ids = options.poolId ? [options.poolId] : await poolIds(call);
    const secrets = options.withSecrets ? localSecrets(services) : undefined;
    const pools = [];
    for (const id of ids) pools.push(await exportPool(call, id, secrets));
    writeSeed({ pools }, options);
  } finally {
    await closeServices(services);
  }
}
