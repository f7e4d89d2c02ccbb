/** The databases the store conformance suite runs on, each opened fresh for every test. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { openPostgresStore, openSqliteStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/store.js";
import {
  createTestSchema,
  dropTestSchema,
  POSTGRES_SKIP_MESSAGE,
  postgresReachable,
  schemaDatabaseUrl,
  testDatabaseUrl,
} from "../support/postgres.js";

export interface TestDatabase {
  store: Store;
  /**
   * A second handle on the same data, as another instance has: its own PostgreSQL pool. SQLite
   * is one instance's database: the peer shares the one connection, which serialises.
   */
  peer: Store;
  /** PostgreSQL: the schema the tables are in. */
  schema?: string;
  /** Empties every table (migrations stay applied): a fresh database, quicker than a new one. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface Dialect {
  name: "sqlite" | "postgres";
  /** Why the dialect's tests are skipped, when they are. */
  skipReason?: string;
  open(): Promise<TestDatabase>;
}

async function openSqlite(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "cognate-store-"));
  const store = await openSqliteStore(dir);
  return {
    store,
    peer: store,
    async reset() {
      const sqlite = new SQLite(join(dir, "cognate.db"));
      try {
        const tables = sqlite
          .prepare(
            "select name from sqlite_master where type = 'table' and name not like 'kysely%' and name not like 'sqlite%'",
          )
          .pluck()
          .all() as string[];
        for (const table of tables) sqlite.exec(`delete from "${table}"`);
      } finally {
        sqlite.close();
      }
    },
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<TestDatabase> {
  const schema = await createTestSchema();
  const store = await openPostgresStore(testDatabaseUrl(), { schema, poolSize: 4 });
  const peer = await openPostgresStore(testDatabaseUrl(), { schema, poolSize: 4 });
  return {
    store,
    peer,
    schema,
    async reset() {
      const client = new pg.Client({ connectionString: schemaDatabaseUrl(schema) });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>(
          "select tablename as name from pg_tables where schemaname = $1 and tablename not like 'kysely%'",
          [schema],
        );
        // DELETE: much quicker than TRUNCATE on tables this small.
        await client.query(rows.map((r) => `delete from "${r.name}";`).join(" "));
      } finally {
        await client.end();
      }
    },
    async close() {
      await store.close();
      await peer.close();
      await dropTestSchema(schema);
    },
  };
}

export async function dialects(): Promise<Dialect[]> {
  const postgres = await postgresReachable();
  return [
    { name: "sqlite", open: openSqlite },
    { name: "postgres", open: openPostgres, skipReason: postgres ? undefined : POSTGRES_SKIP_MESSAGE },
  ];
}
