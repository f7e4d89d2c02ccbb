/** A write refused by a primary key or unique index, reported the same way on both databases. */
import { sql } from "kysely";
import { isPostgres } from "./dialect.js";
import type { Db } from "./store.js";

/** The row exists already (same key, or same unique value such as a user's sub). */
export class DuplicateKeyError extends Error {
  constructor(
    readonly table: string,
    options?: ErrorOptions,
  ) {
    super(`duplicate key in ${table}`, options);
    this.name = "DuplicateKeyError";
  }
}

function isDuplicateKey(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE";
}

/**
 * Runs one write; a key conflict becomes DuplicateKeyError. Inside a PostgreSQL transaction the
 * write runs in a savepoint, so that, as on SQLite, the transaction goes on after the refusal
 * instead of being aborted.
 */
export async function refuseDuplicate<T>(db: Db, table: string, write: () => Promise<T>): Promise<T> {
  const savepoint = db.isTransaction && isPostgres(db);
  if (savepoint) await sql`savepoint cognate_write`.execute(db);
  try {
    const result = await write();
    if (savepoint) await sql`release savepoint cognate_write`.execute(db);
    return result;
  } catch (error) {
    if (savepoint) {
      await sql`rollback to savepoint cognate_write`.execute(db);
      await sql`release savepoint cognate_write`.execute(db);
    }
    if (isDuplicateKey(error)) throw new DuplicateKeyError(table, { cause: error });
    throw error;
  }
}
