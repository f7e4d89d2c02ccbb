/**
 * The few places where SQLite and PostgreSQL differ, behind one behaviour:
 * - text compares and sorts by bytes on both (SQLite BINARY; PostgreSQL columns use COLLATE "C");
 * - LIKE is case-sensitive on both (SQLite runs with `PRAGMA case_sensitive_like = ON`) and
 *   escapes with a backslash, written out because SQLite has no default escape character;
 * - a row read with `forUpdate` is held until commit (PostgreSQL row lock; SQLite transactions
 *   take the write lock when they begin, so they already exclude each other).
 */
import { PostgresAdapter, type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import type { Db } from "./store.js";

export function isPostgres(db: Db): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** `column LIKE 'value%'` with the value's own `%`, `_` and `\` matched literally, case-sensitively. */
export function startsWith(column: string, value: string) {
  const pattern = `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

/** Inside a transaction, holds the selected rows against concurrent writers until commit. */
export function forUpdate<DB, TB extends keyof DB, O>(
  db: Db,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return isPostgres(db) ? query.forUpdate() : query;
}
