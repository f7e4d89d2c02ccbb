/**
 * PostgreSQL for the tests: the server at COGNATE_TEST_DATABASE_URL (default: the project
 * machines' 127.0.0.1:5432, trust auth, database `test`), one fresh schema per store or server.
 * Where no PostgreSQL answers, the tests that need one are skipped with SKIP_MESSAGE.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

export const DEFAULT_TEST_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

export function testDatabaseUrl(): string {
  return process.env.COGNATE_TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
}

/** `COGNATE_TEST_DATABASE=postgres`: test servers keep their data in PostgreSQL. */
export function serversUsePostgres(): boolean {
  return process.env.COGNATE_TEST_DATABASE === "postgres";
}

export const POSTGRES_SKIP_MESSAGE =
  `no PostgreSQL at ${testDatabaseUrl()}, so the PostgreSQL tests are skipped. To run them, start ` +
  "PostgreSQL on 127.0.0.1:5432 with trust authentication and a database named test " +
  "(or set COGNATE_TEST_DATABASE_URL=postgres://user@host:port/database), then run npm test again.";

async function query(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

let reachable: Promise<boolean> | undefined;

/** Whether the test PostgreSQL accepts a connection (asked once per process). */
export function postgresReachable(): Promise<boolean> {
  reachable ??= query("select 1").then(
    () => true,
    () => false,
  );
  return reachable;
}

export async function requirePostgres(): Promise<void> {
  if (!(await postgresReachable())) throw new Error(POSTGRES_SKIP_MESSAGE);
}

/** Creates an empty schema `t_<random>` and returns its name. */
export async function createTestSchema(): Promise<string> {
  await requirePostgres();
  const schema = `t_${randomBytes(8).toString("hex")}`;
  await query(`create schema ${schema}`);
  return schema;
}

export async function dropTestSchema(schema: string): Promise<void> {
  if (!/^t_[0-9a-f]{16}$/.test(schema)) throw new Error(`not a test schema: ${schema}`);
  await query(`drop schema if exists ${schema} cascade`);
}

/** The test database URL with `schema` first on the search_path: a server given it uses only that schema. */
export function schemaDatabaseUrl(schema: string): string {
  const url = new URL(testDatabaseUrl());
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}
