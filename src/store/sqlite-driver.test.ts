/**
 * The SQLite driver's waits for a write lock another connection holds: on timers, with the
 * connection lent to other queries meanwhile when that is safe, never by running a statement again
 * inside a transaction.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type SqliteDriver, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteStoreDriver } from "./sqlite-driver.js";

interface Tables {
  t: { id: number; v: string };
}

class TestDialect extends SqliteDialect {
  readonly driver: SqliteStoreDriver;

  constructor(database: SQLite.Database) {
    super({ database });
    this.driver = new SqliteStoreDriver({ database });
  }

  override createDriver(): SqliteDriver {
    return this.driver;
  }
}

/** Whether the promise has settled once everything already queued has run (no timers involved). */
async function settledNow(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe("the SQLite driver, while another connection holds the write lock", () => {
  let dir: string;
  let raw: SQLite.Database;
  let dialect: TestDialect;
  let db: Kysely<Tables>;
  let other: SQLite.Database;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "cognate-driver-"));
    raw = new SQLite(join(dir, "test.db"));
    raw.pragma("journal_mode = WAL");
    // As the store opens it (open.ts): SQLite itself does not wait.
    raw.pragma("busy_timeout = 0");
    raw.exec("create table t (id integer primary key, v text not null)");
    raw.exec("insert into t values (0, 'zero')");
    dialect = new TestDialect(raw);
    db = new Kysely<Tables>({ dialect });
    other = new SQLite(join(dir, "test.db"));
    other.exec("begin immediate");
  });

  afterEach(async () => {
    if (other.inTransaction) other.exec("rollback");
    other.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function untilWaiting(count: number): Promise<void> {
    while (dialect.driver.waitingForLock !== count) await sleep(1);
  }

  const values = () => db.selectFrom("t").select(["id", "v"]).orderBy("id").execute();

  it("runs an autocommit write again once the lock is free, serving reads meanwhile", async () => {
    const events: string[] = [];
    const insert = db
      .insertInto("t")
      .values({ id: 1, v: "one" })
      .execute()
      .finally(() => events.push("insert"));
    await untilWaiting(1);
    expect(await values()).toEqual([{ id: 0, v: "zero" }]);
    events.push("read");
    other.exec("rollback");
    await insert;
    expect(events).toEqual(["read", "insert"]);
    expect(dialect.driver.waitingForLock).toBe(0);
    // The same SQL text again: the cached statement that failed with SQLITE_BUSY still runs.
    await db.insertInto("t").values({ id: 2, v: "two" }).execute();
    expect(await values()).toEqual([
      { id: 0, v: "zero" },
      { id: 1, v: "one" },
      { id: 2, v: "two" },
    ]);
  });

  it("waits at a transaction's begin, then runs its statements once", async () => {
    const events: string[] = [];
    const transaction = db
      .transaction()
      .execute(async (tx) => {
        await tx.insertInto("t").values({ id: 1, v: "one" }).execute();
        await tx.updateTable("t").set({ v: "ZERO" }).where("id", "=", 0).execute();
      })
      .finally(() => events.push("transaction"));
    await untilWaiting(1);
    expect(await values()).toEqual([{ id: 0, v: "zero" }]);
    events.push("read");
    other.exec("rollback");
    await transaction;
    expect(events).toEqual(["read", "transaction"]);
    expect(await values()).toEqual([
      { id: 0, v: "ZERO" },
      { id: 1, v: "one" },
    ]);
  });

  it("does not run a statement again inside a transaction: it fails at once", async () => {
    // A deferred transaction (the store's begin with the lock, `begin immediate`; this one does
    // not) reaches the lock only at its first write.
    const failure = db.connection().execute(async (connection) => {
      await sql`begin`.execute(connection);
      try {
        await sql`select count(*) from t`.execute(connection);
        await connection.insertInto("t").values({ id: 1, v: "one" }).execute();
      } finally {
        if (raw.inTransaction) await sql`rollback`.execute(connection);
      }
    });
    const failed = expect(failure).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    expect(await settledNow(failure)).toBe(true);
    await failed;
    expect(dialect.driver.waitingForLock).toBe(0);
    other.exec("rollback");
    expect(await values()).toEqual([{ id: 0, v: "zero" }]);
  });

  it("keeps the connection while a statement of a connection block waits: its settings stay its own", async () => {
    const events: string[] = [];
    const block = db
      .connection()
      .execute(async (connection) => {
        await sql`pragma synchronous = OFF`.execute(connection);
        await connection.insertInto("t").values({ id: 1, v: "one" }).execute();
        await sql`pragma synchronous = FULL`.execute(connection);
      })
      .finally(() => events.push("block"));
    await untilWaiting(1);
    const read = values().finally(() => events.push("read"));
    // Several pauses of the waiting insert go by before the lock is free: had it lent the
    // connection in one, the read would have run there, before the block ended.
    await sleep(50);
    other.exec("rollback");
    await Promise.all([block, read]);
    expect(events).toEqual(["block", "read"]);
  });
});
