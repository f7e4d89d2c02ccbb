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

/** A test schema's name: `t_<creation time, hex seconds>_<random hex>`. */
const TEST_SCHEMA = /^t_([0-9a-f]{8})_[0-9a-f]{8}$/;
/** Schemas a crashed or interrupted run left behind are dropped once they are this old. */
const STALE_AFTER_SECONDS = 6 * 3600;

let swept: Promise<void> | undefined;

async function dropStaleSchemas(): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl(), connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "select nspname as name from pg_namespace where nspname like 't\\_%'",
    );
    const oldest = Math.floor(Date.now() / 1000) - STALE_AFTER_SECONDS;
    for (const { name } of rows) {
      const created = TEST_SCHEMA.exec(name)?.[1];
      if (created && Number.parseInt(created, 16) < oldest)
        await client.query(`drop schema if exists ${name} cascade`);
    }
  } finally {
    await client.end();
  }
}

/** Creates an empty schema `t_<time>_<random>` and returns its name. */
export async function createTestSchema(): Promise<string> {
  await requirePostgres();
  swept ??= dropStaleSchemas().catch(() => {});
  await swept;
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, "0");
  const schema = `t_${seconds}_${randomBytes(4).toString("hex")}`;
  await query(`create schema ${schema}`);
  return schema;
}

export async function dropTestSchema(schema: string): Promise<void> {
  if (!TEST_SCHEMA.test(schema)) throw new Error(`not a test schema: ${schema}`);
  await query(`drop schema if exists ${schema} cascade`);
}

/** The test database URL with `schema` first on the search_path: a server given it uses only that schema. */
export function schemaDatabaseUrl(schema: string): string {
  const url = new URL(testDatabaseUrl());
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}
