/**
 * Opens the configured database and brings its schema up to date: SQLite in the data directory
 * by default, PostgreSQL when a database URL is configured (several instances share one).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteAdapter, SqliteDialect, type SqliteDriver } from "kysely";
import { type Config, ConfigError } from "../config/config.js";
import { SecretsAtRest } from "./at-rest.js";
import { isPostgres } from "./dialect.js";
import { migrationProvider } from "./migrations/index.js";
import {
  collateTextAsBytes,
  createPool,
  createSchemaIfAbsent,
  currentSchema,
  type PostgresOptions,
  redactUrl,
  withoutTimeouts,
} from "./postgres.js";
import type { Database } from "./schema.js";
import { LOCK_WAIT_MS, SqliteStoreDriver, type SqliteStoreDriverConfig } from "./sqlite-driver.js";
import { Store } from "./store.js";

/**
 * Applies the pending migrations. On PostgreSQL the migrator holds an advisory lock, so instances
 * starting together against a fresh database migrate it once; its bookkeeping table lives in the
 * store's own schema.
 */
export async function migrate(db: Kysely<Database>): Promise<void> {
  const schema = isPostgres(db) ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error;
  if (schema) await collateTextAsBytes(db, schema);
}

/** SQLite does run DDL in transactions: migrations then apply whole or not at all, one at a time. */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * Several connections to one SQLite file (a second process, or a second store in the tests)
 * behave as PostgreSQL's instances do: transactions exclude each other and migrate once. Within
 * the process, queries take turns at the one connection (the driver's); one waiting for another
 * connection's write lock lets the others run meanwhile.
 */
class SerializedSqliteDialect extends SqliteDialect {
  readonly driver: SqliteStoreDriver;

  constructor(settings: SqliteStoreDriverConfig) {
    super(settings);
    this.driver = new SqliteStoreDriver(settings);
  }

  override createDriver(): SqliteDriver {
    return this.driver;
  }

  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

/** SQLite in `dataDir/cognate.db`, in WAL mode with synchronous=FULL: a commit survives a crash. */
export async function openSqliteStore(dataDir: string, secrets?: SecretsAtRest): Promise<Store> {
  mkdirSync(dataDir, { recursive: true });
  // Opening waits inside SQLite (up to 5 s) for a lock another process holds: nothing else runs yet.
  const sqlite = new SQLite(join(dataDir, "cognate.db"), { timeout: LOCK_WAIT_MS });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  // LIKE matches case as PostgreSQL's does (see dialect.ts).
  sqlite.pragma("case_sensitive_like = ON");
  // From here a statement that finds the write lock held fails at once with SQLITE_BUSY, and the
  // driver runs it again on timers (sqlite-driver.ts): SQLite's own wait would sleep in the thread
  // and stall every other request of the process meanwhile.
  sqlite.pragma("busy_timeout = 0");
  const dialect = new SerializedSqliteDialect({ database: sqlite });
  const db = new Kysely<Database>({ dialect });
  await migrate(db);
  const store = new Store(db, () => db.destroy(), secrets);
  store.lockWaiting = () => dialect.driver.waitingForLock;
  return store;
}

/** PostgreSQL at `databaseUrl`, in `options.schema` if given, else the connection's search_path. */
export async function openPostgresStore(
  databaseUrl: string,
  options: PostgresOptions & { secrets?: SecretsAtRest } = {},
): Promise<Store> {
  const pool = await createPool(databaseUrl, options);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await withoutTimeouts(db, async (connection) => {
      if (options.schema) await createSchemaIfAbsent(connection, options.schema);
      await migrate(connection);
    });
  } catch (error) {
    await db.destroy();
    throw new ConfigError(
      `cannot open the PostgreSQL database ${redactUrl(databaseUrl)}: ${(error as Error).message}`,
    );
  }
  const store = new Store(db, () => db.destroy(), options.secrets);
  store.connectionStats = () => ({
    total: pool.totalCount,
    idle: pool.idleCount,
    waiting: pool.waitingCount,
  });
  return store;
}

/** How the configuration says secrets are kept at rest. */
export function secretsAtRest(config: Config): SecretsAtRest {
  const key = (text: string) => Buffer.from(text, "base64");
  const { encryptionKey, previousKeys } = config.secrets;
  return new SecretsAtRest(encryptionKey === null ? undefined : key(encryptionKey), previousKeys.map(key));
}

function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** The store the configuration names: PostgreSQL when `store.databaseUrl` is set, else SQLite. */
export async function openStore(config: Config): Promise<Store> {
  const { databaseUrl, dataDir, poolSize, statementTimeoutMs, idleInTransactionTimeoutMs } = config.store;
  const secrets = secretsAtRest(config);
  if (databaseUrl === null) return openSqliteStore(dataDir, secrets);
  if (!isPostgresUrl(databaseUrl)) {
    throw new ConfigError(`store.databaseUrl: must be a postgres:// URL, got ${redactUrl(databaseUrl)}`);
  }
  return openPostgresStore(databaseUrl, {
    poolSize,
    statementTimeoutMs,
    idleInTransactionTimeoutMs,
    secrets,
  });
}

/** Where the data is, for people (no password). */
export function describeStore(config: Config): string {
  const { databaseUrl, dataDir } = config.store;
  return databaseUrl === null ? `data in ${dataDir}` : `data in ${redactUrl(databaseUrl)}`;
}
