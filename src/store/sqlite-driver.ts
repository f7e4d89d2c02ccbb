/**
 * The SQLite driver of the store: kysely's, with three changes. Transactions begin with the write
 * lock (`begin immediate`), so two connections never deadlock upgrading a read lock; statements
 * are prepared once per SQL text and reused, instead of once per query (preparing is a parse and
 * plan of the SQL on every call, the largest share of a lookup's cost; see docs/PERFORMANCE.md);
 * and a statement that finds the write lock held by another connection waits for it on timers
 * instead of inside SQLite (see `waitForLock` below).
 */
import { setTimeout as sleep } from "node:timers/promises";
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

/**
 * How long in all a statement waits for another connection's write lock before it fails, as
 * `busy_timeout = 5000` did when SQLite waited itself.
 */
export const LOCK_WAIT_MS = 5000;

/**
 * The pauses between attempts: 1 ms, doubling up to 20 ms. A lock held for a commit (a few
 * milliseconds) is taken within a millisecond or two of its release; one held longer costs at most
 * an attempt every 20 ms, each a failed lock try of microseconds.
 */
const FIRST_PAUSE_MS = 1;
const MAX_PAUSE_MS = 20;

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_RECOVERY, …): another connection has the lock. */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_"));
}

/**
 * Turns at the one connection, first come first served, in place of kysely's mutex (private to its
 * driver): a statement waiting for the write lock can give its turn back meanwhile.
 */
class Turns {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  take(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the connection to the next in line, or leaves it free. */
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

/** kysely's SqliteConnection, with its statements from the cache and waits for the lock on timers. */
class CachingSqliteConnection implements DatabaseConnection {
  private readonly cache: StatementCache;
  /** Whether whoever has the connection now has run nothing on it yet (see `waitForLock`). */
  fresh = true;
  /** Statements waiting for the write lock now, for metrics. */
  waiting = 0;

  constructor(
    private readonly db: Database,
    private readonly turns: Turns,
  ) {
    this.cache = new StatementCache(db);
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const outsideTransaction = !this.db.inTransaction;
    const untouched = this.fresh;
    this.fresh = false;
    try {
      return Promise.resolve(this.run<R>(compiledQuery));
    } catch (error) {
      if (!outsideTransaction || !isBusy(error)) return Promise.reject(error);
      return this.waitForLock<R>(compiledQuery, untouched, error);
    }
  }

  private run<R>(compiledQuery: CompiledQuery): QueryResult<R> {
    const { sql, parameters } = compiledQuery;
    // A statement that failed (SQLITE_BUSY included) has been reset by better-sqlite3 and runs
    // again as it is: the cache keeps it for the next attempt.
    const statement = this.cache.get(sql);
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId:
        lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    };
  }

  /**
   * Runs again, after short pauses on timers, a statement that found the database locked by
   * another connection (another worker process, the CLI, a backup), until it succeeds or
   * LOCK_WAIT_MS have passed; then its last SQLITE_BUSY fails the request as before. SQLite's own
   * busy handler would sleep in the thread instead (better-sqlite3 is synchronous), holding up
   * every other request of the process; the connection's busy_timeout is therefore 0.
   *
   * Only a statement run outside a transaction gets here: a failed `begin immediate` or
   * autocommit statement did nothing and may simply run again (sqlite3_step: "If the statement is
   * a COMMIT or occurs outside of an explicit transaction, then you can retry the statement. If
   * the statement is not a COMMIT and occurs within an explicit transaction then you should
   * rollback the transaction before continuing"). Within a transaction nothing is run again: on
   * SQLITE_BUSY SQLite may have rolled the whole transaction back by itself (lang_transaction.html,
   * "Response To Errors Within A Transaction"), and a statement run again would then commit alone,
   * outside the transaction its caller thinks it is in. Hence the test is made before the
   * statement runs, not after. It does not arise here anyway: every transaction begins with
   * `begin immediate`, which holds the write lock from the start, and in WAL mode "if it succeeds,
   * then SQLite guarantees that no subsequent operations on the same database through the next
   * COMMIT will return SQLITE_BUSY" (rescode.html#busy).
   *
   * While it pauses, the statement gives the connection back to the process's other queries
   * (reads, which WAL serves despite the other connection's lock) if its holder had run nothing
   * else on it: the connection is then as the previous holder left it, outside a transaction.
   * A holder that has already run statements (a `db.connection()` block, which may have changed
   * the connection's settings: `DeviceRepository.spend` lowers `synchronous` around one insert)
   * keeps the connection while it pauses, so that nothing else runs with those settings.
   */
  private async waitForLock<R>(
    compiledQuery: CompiledQuery,
    giveBack: boolean,
    firstError: unknown,
  ): Promise<QueryResult<R>> {
    const deadline = performance.now() + LOCK_WAIT_MS;
    let error = firstError;
    let pause = FIRST_PAUSE_MS;
    this.waiting++;
    try {
      for (;;) {
        const left = deadline - performance.now();
        if (left <= 0) throw error;
        if (giveBack) {
          this.turns.give();
          try {
            await sleep(Math.min(pause, left));
          } finally {
            await this.turns.take();
            this.fresh = false;
          }
          // Whoever had the connection meanwhile ended what it began; should it not have, the
          // statement must not run inside someone else's transaction.
          if (this.db.inTransaction) throw error;
        } else {
          await sleep(Math.min(pause, left));
        }
        pause = Math.min(pause * 2, MAX_PAUSE_MS);
        try {
          return this.run<R>(compiledQuery);
        } catch (next) {
          if (!isBusy(next)) throw next;
          error = next;
        }
      }
    } finally {
      this.waiting--;
    }
  }

  /** A statement being iterated cannot run again until it is done, so a stream prepares its own. */
  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    this.fresh = false;
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
 * kysely's driver (its transactions) with the caching connection in place of its own, and turns
 * at it that a statement waiting for the write lock can give back.
 */
export class SqliteStoreDriver extends SqliteDriver {
  private readonly turns = new Turns();
  private readonly connection: CachingSqliteConnection;

  constructor(config: SqliteStoreDriverConfig) {
    super(config);
    this.connection = new CachingSqliteConnection(config.database, this.turns);
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    await this.turns.take();
    this.connection.fresh = true;
    return this.connection;
  }

  /** Statements waiting now for the write lock another connection holds. */
  get waitingForLock(): number {
    return this.connection.waiting;
  }

  override async releaseConnection(): Promise<void> {
    this.turns.give();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}
