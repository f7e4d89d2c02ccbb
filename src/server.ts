/** Composition root: config → store → services → protocol → HTTP. */
import { isIP } from "node:net";
import pino, { type Logger } from "pino";
import { type Config, ConfigError } from "./config/config.js";
import { KeyRing } from "./crypto/keys.js";
import { logNotificationError } from "./domain/log-delivery.js";
import { RequestRates } from "./domain/request-rates.js";
import { listPoolIds, resetPools } from "./domain/reset.js";
import { UserImportRunner } from "./domain/user-import-runner.js";
import { buildApp } from "./http/app.js";
import type { TestingHooks } from "./http/testing.js";
import { messageSender, ReportingSender } from "./messaging/delivery.js";
import { ConfiguredLogSinks } from "./messaging/log-sinks.js";
import { handlers } from "./operations/index.js";
import { createDispatcher } from "./protocol/dispatch.js";
import { createIamAuthorizer } from "./protocol/sigv4.js";
import { applySeed, migrationSources } from "./seed/apply.js";
import { loadSeed } from "./seed/load.js";
import type { Seed } from "./seed/schema.js";
import type { Services } from "./services.js";
import { openStore } from "./store/open.js";
import type { Store } from "./store/store.js";
import { ConfiguredInvoker } from "./triggers/invoke.js";

export interface RunningServer {
  url: string;
  port: number;
  services: Services;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

/** A server bound beyond loopback must not serve admin operations unauthenticated. */
export function assertSafeBinding(config: Config): void {
  if (!isLoopback(config.server.host) && config.iam.credentials.length === 0) {
    throw new ConfigError(
      `refusing to listen on ${config.server.host} without IAM credentials: admin operations would be open to the network. ` +
        "Configure iam.credentials, or bind to 127.0.0.1.",
    );
  }
}

/**
 * Brings every secret at rest to what the configuration says: sealed under its key (a first key
 * seals what was kept in clear; a new one reseals what older ones sealed), or in clear without one
 * (opened with `previousKeys`), which the server then says.
 */
async function prepareSecretsAtRest(store: Store, log: Logger): Promise<void> {
  let resealed: number;
  try {
    resealed = await store.transaction((tx) => tx.resealing.reseal());
  } catch (error) {
    throw new ConfigError(`cannot read the secrets at rest: ${(error as Error).message}`);
  }
  const keyId = store.secretsAtRest.currentKeyId;
  if (resealed > 0) log.info({ resealed, keyId: keyId ?? null }, "secrets at rest resealed");
  if (keyId === undefined) {
    log.warn(
      "secrets at rest (signing keys, client secrets, the server's keys) are stored unencrypted: " +
        "set secrets.encryptionKey or COGNATE_ENCRYPTION_KEY to encrypt them (docs/DEPLOYMENT.md)",
    );
  }
}

/**
 * The services operations run with, on the configured store (secrets at rest prepared), without
 * HTTP: what the server runs on, and what the command line's tools (export, reset) call the
 * operations with.
 */
export async function openServices(
  config: Config,
  log: Logger,
  migrations: Services["migrationSources"] = new Map(),
): Promise<Services> {
  const store = await openStore(config);
  try {
    await prepareSecretsAtRest(store, log);
  } catch (error) {
    await store.close();
    throw error;
  }
  const services: Services = {
    config,
    store,
    // A message that fails is the pools' user-notification error log (log delivery).
    messages: new ReportingSender(messageSender(config.messages, store), (message, error, now) =>
      logNotificationError(services, message.poolId, error.message, now),
    ),
    clock: () => new Date(),
    keys: new KeyRing(store),
    baseUrl: "",
    lambda: new ConfiguredInvoker(config.lambda, config.server.region),
    imports: new UserImportRunner(log),
    logSinks: new ConfiguredLogSinks(config.logDelivery, log),
    requestRates: new RequestRates(config.limits.requestRates),
    migrationSources: migrations,
  };
  return services;
}

/** Closes what openServices opened. */
export async function closeServices(services: Services): Promise<void> {
  await services.imports.close();
  await services.logSinks.close();
  await services.lambda.close();
  await services.store.close();
}

export async function startServer(config: Config, logger?: Logger): Promise<RunningServer> {
  assertSafeBinding(config);
  const log = logger ?? pino({ level: config.log.level });
  // Read before anything opens: a bad seed stops the server at once, naming the key.
  const seed: Seed = config.seed.file === null ? { pools: [] } : await loadSeed(config.seed.file);
  const services = await openServices(config, log, migrationSources(seed));
  try {
    await applySeed(services, seed, log);
  } catch (error) {
    await closeServices(services);
    throw error;
  }
  const dispatch = createDispatcher({
    handlers,
    services,
    authorizeIam: createIamAuthorizer(config.iam.credentials),
    defaultRegion: config.server.region,
    logger: log,
  });
  const testing: TestingHooks = {
    async reset(poolId) {
      const removed = await resetPools(services, poolId);
      await applySeed(services, seed, log);
      return removed;
    },
    async forgetPools() {
      for (const id of await listPoolIds(services)) services.keys.forget(id);
    },
  };
  const app = buildApp({ dispatch, services, logger: log, testing });
  await app.listen({ host: config.server.host, port: config.server.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.server.port;
  const host = config.server.host.includes(":") ? `[${config.server.host}]` : config.server.host;
  services.baseUrl = `http://${host}:${port}`;
  await services.imports.start(services);
  return {
    url: services.baseUrl,
    port,
    services,
    async close() {
      await app.close();
      await closeServices(services);
    },
  };
}
