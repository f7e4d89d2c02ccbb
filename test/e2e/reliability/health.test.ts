/**
 * /health says the process serves; /ready says the store answers and every migration is applied
 * (503 otherwise). On both databases: a migration's record removed makes the server not ready.
 */
import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schemaDatabaseUrl } from "../../support/postgres.js";
import type { TestServer } from "../../support/server.js";
import { bothDatabases, type ServerOn, startServerOn } from "./support.js";

describe.each(await bothDatabases())("/health and /ready on $database", ({ database, skip }) => {
  let server: TestServer;
  let schema: string | undefined;
  let running: ServerOn | undefined;

  beforeAll(async () => {
    if (skip) return;
    running = await startServerOn(database);
    ({ server, schema } = running);
  });

  afterAll(async () => running?.stop());

  /** Runs one statement on the server's database, as another connection. */
  async function execute(statement: string): Promise<void> {
    if (schema) {
      const client = new pg.Client({ connectionString: schemaDatabaseUrl(schema) });
      await client.connect();
      await client.query(statement).finally(() => client.end());
    } else {
      const db = new SQLite(join(server.dataDir, "cognate.db"));
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
    }
  }

  it.skipIf(skip)("is healthy and ready once started", async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  });

  it.skipIf(skip)("is not ready while a migration this build knows is not applied", async () => {
    const last = "026_refresh_token_resource";
    await execute(`create table saved_migration as select * from kysely_migration where name = '${last}'`);
    await execute(`delete from kysely_migration where name = '${last}'`);
    try {
      const ready = await fetch(`${server.url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "unavailable", reason: "1 migrations are not applied" });
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await execute("insert into kysely_migration select * from saved_migration");
      await execute("drop table saved_migration");
    }
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  });
});
