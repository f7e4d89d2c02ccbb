/** PostgreSQL specifics: the connection pool, number parsing, and byte-order text. */
import { type Kysely, sql } from "kysely";
import type pg from "pg";
import type { Database } from "./schema.js";

const INT8_OID = 20;
/** Any constant: serialises the collation fix across instances starting at once. */
const COLLATION_LOCK_ID = 4_230_917_551;

/** Times are epoch milliseconds in bigint columns; pg would hand them over as strings. */
function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new RangeError(`bigint ${text} is beyond JavaScript's safe integers`);
  return value;
}

function numberTypes(types: typeof pg.types): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === INT8_OID
        ? parseInt8
        : types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
  };
}

/**
 * How long opening a connection, or waiting for a free one of the pool, may take before the
 * request that needs it fails.
 */
const CONNECT_TIMEOUT_MS = 5000;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresOptions {
  /** Tables live in this schema (created if absent) instead of the connection's search_path. */
  schema?: string;
  /** Connections per instance (default 10). */
  poolSize?: number;
  /** `statement_timeout` of every connection, in ms; absent or 0: the database's own setting. */
  statementTimeoutMs?: number;
  /** `idle_in_transaction_session_timeout` of every connection, in ms; absent or 0: the database's own. */
  idleInTransactionTimeoutMs?: number;
}

/** The driver is loaded by the first PostgreSQL store: a server on SQLite never needs its memory. */
export async function createPool(databaseUrl: string, options: PostgresOptions): Promise<pg.Pool> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`PostgreSQL schema name must match ${SCHEMA_NAME}: ${options.schema}`);
  }
  const { default: driver } = await import("pg");
  const pool = new driver.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    types: numberTypes(driver.types),
    // A database that does not answer fails the request instead of holding it forever.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A peer gone without a word (a network partition) is noticed, not waited on for hours.
    keepAlive: true,
    // Sent with each connection's startup: a statement that never ends (a lock another session
    // holds, a stuck backend) is cancelled — its request answers InternalErrorException and the
    // connection serves the next one — and a transaction left open is ended, its locks freed.
    // The pg driver leaves out a 0, which keeps the database's own setting.
    statement_timeout: options.statementTimeoutMs ?? 0,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 0,
    ...(options.schema && { options: `-c search_path=${options.schema}` }),
  });
  // A connection the database drops (a restart, pg_terminate_backend, a network cut) emits
  // 'error' on its client: the pool listens while the client is idle, but not while a request
  // holds it, and an 'error' event nobody listens to ends the process. The query running on it
  // fails on its own (the request answers InternalErrorException), and the pool discards the
  // broken client when it is released and opens a fresh one on next use.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

/**
 * Runs `work` on one connection with the timeouts lifted, then restores them: creating the schema
 * and migrating may wait behind another instance's migrations (an advisory lock) and may rewrite a
 * large table, neither of which a request's bound should cut short.
 */
export async function withoutTimeouts(
  db: Kysely<Database>,
  work: (connection: Kysely<Database>) => Promise<void>,
): Promise<void> {
  await db.connection().execute(async (connection) => {
    await sql`set statement_timeout = 0`.execute(connection);
    await sql`set idle_in_transaction_session_timeout = 0`.execute(connection);
    try {
      await work(connection);
    } finally {
      // Back to the values the connection started with.
      await sql`reset statement_timeout`.execute(connection);
      await sql`reset idle_in_transaction_session_timeout`.execute(connection);
    }
  });
}

/** The URL without its password, for messages. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(unparseable URL)";
  }
}

export async function createSchemaIfAbsent(db: Kysely<Database>, schema: string): Promise<void> {
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    // Two instances creating it at once: the loser sees a duplicate, which is what it wanted.
    const code = (error as { code?: string }).code;
    if (code !== "23505" && code !== "42P06") throw error;
  }
}

/** The schema unqualified names resolve to; an error if the search_path names none that exists. */
export async function currentSchema(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (!schema) throw new Error("PostgreSQL: the connection's search_path names no existing schema");
  return schema;
}

/**
 * Makes every text column of the schema compare and sort by bytes (COLLATE "C"), as SQLite's
 * BINARY does, so uniqueness, `>` pagination and ORDER BY agree on both databases whatever the
 * database's default locale. Runs after the migrations, so columns a later migration adds are
 * covered too; after the first run it finds nothing to change.
 */
export async function collateTextAsBytes(db: Kysely<Database>, schema: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${COLLATION_LOCK_ID})`.execute(trx);
    const { rows } = await sql<{ table: string; column: string; type: string }>`
      select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_collation co on co.oid = a.attcollation
      where n.nspname = ${schema} and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
        and a.atttypid in ('text'::regtype, 'varchar'::regtype) and co.collname <> 'C'
        and c.relname not like 'kysely\\_%'
      order by c.relname, a.attnum`.execute(trx);
    const byTable = new Map<string, { column: string; type: string }[]>();
    for (const row of rows) byTable.set(row.table, [...(byTable.get(row.table) ?? []), row]);
    for (const [table, columns] of byTable) {
      const changes = columns.map(
        (c) => sql`alter column ${sql.id(c.column)} type ${sql.raw(c.type)} collate "C"`,
      );
      await sql`alter table ${sql.id(schema, table)} ${sql.join(changes)}`.execute(trx);
    }
  });
}
