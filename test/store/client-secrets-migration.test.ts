/**
 * Migration 010 on a store holding clients from before it: a client's single secret becomes its
 * first entry, id `<client id>--<creation time>`, on both databases.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrationProvider } from "../../src/store/migrations/index.js";
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

const CREATED = 1_700_000_000_123;
const SECRET = "s".repeat(51);

/** Brings an empty database to migration 009 and stores a confidential and a public client. */
// biome-ignore lint/suspicious/noExplicitAny: the schema before migration 010.
async function clientsBefore010(db: Kysely<any>, migrationTableSchema?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema });
  const { error } = await migrator.migrateTo("009_domains");
  if (error) throw error;
  const row = (id: string, secret: string | null) => ({
    id,
    pool_id: "us-east-1_pool1",
    name: id,
    secret,
    config: "{}",
    created_at: CREATED,
    updated_at: CREATED,
  });
  await db
    .insertInto("user_pool_clients")
    .values([row("confidential", SECRET), row("public", null)])
    .execute();
  await db.destroy();
}

async function expectMigrated(store: Store): Promise<void> {
  expect((await store.clients.get("confidential"))?.secrets).toEqual([
    { id: `confidential--${CREATED}`, value: SECRET, createdAt: new Date(CREATED) },
  ]);
  expect((await store.clients.get("public"))?.secrets).toEqual([]);
}

const postgres = await postgresReachable();

describe("migration 010: client secrets", () => {
  it("on SQLite", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cognate-migrate-"));
    try {
      await clientsBefore010(
        new Kysely({ dialect: new SqliteDialect({ database: new SQLite(join(dir, "cognate.db")) }) }),
      );
      const store = await openSqliteStore(dir);
      try {
        await expectMigrated(store);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  (postgres ? it : it.skip)(
    postgres ? "on PostgreSQL" : `on PostgreSQL: ${POSTGRES_SKIP_MESSAGE}`,
    async () => {
      const schema = await createTestSchema();
      try {
        const pool = new pg.Pool({ connectionString: schemaDatabaseUrl(schema), max: 1 });
        await clientsBefore010(new Kysely({ dialect: new PostgresDialect({ pool }) }), schema);
        const store = await openPostgresStore(testDatabaseUrl(), { schema });
        try {
          await expectMigrated(store);
        } finally {
          await store.close();
        }
      } finally {
        await dropTestSchema(schema);
      }
    },
  );
});
