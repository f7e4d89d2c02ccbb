/** Composition root: config → store → services → protocol → HTTP. */
import cluster from "node:cluster";
import { isIP } from "node:net";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { type Config, ConfigError, workerCount } from "./config/config.js";
import { KeyRing } from "./crypto/keys.js";
import { logNotificationError } from "./domain/log-delivery.js";
import { RequestRates } from "./domain/request-rates.js";
import { listPoolIds, resetPools } from "./domain/reset.js";
import { UserImportRunner } from "./domain/user-import-runner.js";
import { buildApp } from "./http/app.js";
import type { TestingHooks } from "./http/testing.js";
import { tlsMaterial } from "./http/tls.js";
import { messageSender, ReportingSender } from "./messaging/delivery.js";
import { ConfiguredLogSinks } from "./messaging/log-sinks.js";
import { Metrics } from "./metrics/metrics.js";
import { handlers } from "./operations/index.js";
import { createDispatcher, createOperationCaller } from "./protocol/dispatch.js";
import { createIamAuthorizer } from "./protocol/sigv4.js";
import { applySeed, migrationSources } from "./seed/apply.js";
import { loadSeed } from "./seed/load.js";
import type { Seed } from "./seed/schema.js";
import type { Services } from "./services.js";
import { openStore } from "./store/open.js";
import type { Store } from "./store/store.js";
import { ConfiguredInvoker } from "./triggers/invoke.js";
import { RecentInvocations } from "./triggers/recent.js";

export interface RunningServer {
  url: string;
  port: number;
  /** The HTTPS listener's URL, where one is configured. */
  httpsUrl?: string;
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
  // Said once per start: with several workers, by the primary.
  if (keyId === undefined && !cluster.isWorker) {
    log.warn(
      "secrets at rest (signing keys, client secrets, the server's keys) are stored unencrypted: " +
        "set secrets.encryptionKey or COGNATE_ENCRYPTION_KEY to encrypt them (docs/DEPLOYMENT.md)",
    );
  }
}

/** Listens and says on which port (the configured one, or the one given for port 0). */
async function listen(app: FastifyInstance, host: string, port: number): Promise<number> {
  await app.listen({ host, port });
  const address = app.server.address();
  return typeof address === "object" && address ? address.port : port;
}

/**
 * The store, migrated and with its secrets at rest as configured: the start work that runs once
 * per start. With several workers the primary runs it before forking them, so that they find
 * nothing left to do (src/cli/workers.ts).
 */
export async function openPreparedStore(config: Config, log: Logger): Promise<Store> {
  const store = await openStore(config);
  try {
    await prepareSecretsAtRest(store, log);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
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
  const store = await openPreparedStore(config, log);
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
    // Each of N workers allows 1/N of the rates: the port as a whole allows the configured ones.
    requestRates: new RequestRates(
      config.limits.requestRates,
      undefined,
      cluster.isWorker ? workerCount(config) : 1,
    ),
    metrics: new Metrics({ storeConnections: store.connectionStats, storeLockWaiting: store.lockWaiting }),
    recentInvocations: new RecentInvocations(),
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
  const call = createOperationCaller({ handlers, services, defaultRegion: config.server.region });
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
  const routes = { dispatch, call, services, logger: log, testing };
  const app = buildApp(routes);
  const port = await listen(app, config.server.host, config.server.port);
  const host = config.server.host.includes(":") ? `[${config.server.host}]` : config.server.host;
  services.baseUrl = `http://${host}:${port}`;
  const secureApp =
    config.tls.port === null
      ? undefined
      : buildApp({ ...routes, https: await tlsMaterial(config, services.clock()) });
  const securePort = secureApp && (await listen(secureApp, config.server.host, config.tls.port ?? 0));
  await services.imports.start(services);
  return {
    url: services.baseUrl,
    port,
    ...(securePort !== undefined && { httpsUrl: `https://${host}:${securePort}` }),
    services,
    async close() {
      await secureApp?.close();
      await app.close();
      await closeServices(services);
    },
  };
}
