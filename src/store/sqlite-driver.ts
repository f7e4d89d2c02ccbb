/**
 * The SQLite driver of the store: kysely's, with two changes. Transactions begin with the write
 * lock (`begin immediate`), so two connections never deadlock upgrading a read lock; and
 * statements are prepared once per SQL text and reused, instead of once per query (preparing is
 * a parse and plan of the SQL on every call, the largest share of a lookup's cost; see
 * docs/PERFORMANCE.md).
 */
import type { Database, Statement } from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type QueryResult,
  SelectQueryNode,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";

/** Longer SQL (a large multi-row insert) is prepared each time: its statement is large and rarely run again. */
const MAX_CACHED_SQL_LENGTH = 4096;

/**
 * Distinct SQL texts kept prepared. The store's queries are a few hundred shapes; multi-row
 * inserts of varying length add more, and the least recently used give way to them.
 */
const MAX_CACHED_STATEMENTS = 500;

/** Prepared statements by SQL text, least recently used first. */
class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  get(sql: string): Statement {
    if (sql.length > MAX_CACHED_SQL_LENGTH) return this.db.prepare(sql);
    let statement = this.statements.get(sql);
    if (statement) {
      this.statements.delete(sql);
    } else {
      statement = this.db.prepare(sql);
      if (this.statements.size >= MAX_CACHED_STATEMENTS) {
        this.statements.delete(this.statements.keys().next().value as string);
      }
    }
    this.statements.set(sql, statement);
    return statement;
  }
}

/** kysely's SqliteConnection, with its statements from the cache. */
class CachingSqliteConnection implements DatabaseConnection {
  private readonly cache: StatementCache;

  constructor(private readonly db: Database) {
    this.cache = new StatementCache(db);
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    const statement = this.cache.get(sql);
    if (statement.reader) return Promise.resolve({ rows: statement.all(parameters) as R[] });
    const { changes, lastInsertRowid } = statement.run(parameters);
    return Promise.resolve({
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId:
        lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    });
  }

  /** A statement being iterated cannot run again until it is done, so a stream prepares its own. */
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    if (!SelectQueryNode.is(query))
      throw new Error("Sqlite driver only supports streaming of select queries");
    for (const row of this.db.prepare(sql).iterate(parameters)) yield { rows: [row as R] };
  }
}

export interface SqliteStoreDriverConfig extends SqliteDialectConfig {
  database: Database;
}

/**
 * kysely's driver (its single-connection mutex, its transactions) with the caching connection in
 * place of its own: the mutex is still taken and released through the parent.
 */
export class SqliteStoreDriver extends SqliteDriver {
  private readonly connection: CachingSqliteConnection;

  constructor(config: SqliteStoreDriverConfig) {
    super(config);
    this.connection = new CachingSqliteConnection(config.database);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await super.acquireConnection();
    return this.connection;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}
