/** Which database the configuration opens, and what a wrong database URL says. */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config/config.js";
import { openStore } from "../../src/store/open.js";
import {
  createTestSchema,
  dropTestSchema,
  postgresReachable,
  schemaDatabaseUrl,
} from "../support/postgres.js";
import { pool } from "./fixtures.js";

const run = promisify(execFile);
const postgresAvailable = await postgresReachable();
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cognate-open-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("openStore", () => {
  it("opens SQLite in the data directory when no database URL is configured", async () => {
    const dataDir = tempDir();
    const store = await openStore(parseConfig({ store: { dataDir } }, "test"));
    await store.pools.insert(pool("us-east-1_p"));
    await store.close();
    const again = await openStore(parseConfig({ store: { dataDir } }, "test"));
    expect((await again.pools.get("us-east-1_p"))?.name).toBe("pool us-east-1_p");
    await again.close();
  });

  it.skipIf(!postgresAvailable)("opens PostgreSQL when a postgres:// URL is configured", async () => {
    const schema = await createTestSchema();
    try {
      const config = parseConfig({ store: { databaseUrl: schemaDatabaseUrl(schema), poolSize: 2 } }, "test");
      const store = await openStore(config);
      await store.pools.insert(pool("us-east-1_p"));
      await store.close();
      const { Client } = (await import("pg")).default;
      const client = new Client({ connectionString: schemaDatabaseUrl(schema) });
      await client.connect();
      const { rows } = await client.query("select id from user_pools");
      await client.end();
      expect(rows).toEqual([{ id: "us-east-1_p" }]);
    } finally {
      await dropTestSchema(schema);
    }
  });

  it("refuses a database URL that is not PostgreSQL's", async () => {
    const config = parseConfig({ store: { databaseUrl: "mysql://root:pw@localhost/db" } }, "test");
    const error = await openStore(config).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      "store.databaseUrl: must be a postgres:// URL, got mysql://root:***@localhost/db",
    );
  });

  it("says which database it cannot reach, without its password", async () => {
    const config = parseConfig(
      { store: { databaseUrl: "postgres://cognate:hunter2@127.0.0.1:1/cognate", poolSize: 1 } },
      "test",
    );
    const error = await openStore(config).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      /^cannot open the PostgreSQL database postgres:\/\/cognate:\*\*\*@127\.0\.0\.1:1\/cognate: .*ECONNREFUSED/,
    );
    expect(error.message).not.toContain("hunter2");
  });

  it("SQLite: processes opening one fresh data directory at once migrate it once and agree", async () => {
    const dataDir = tempDir();
    const child = join(import.meta.dirname, "children", "open-sqlite.ts");
    const startAt = String(Date.now() + 2000);
    const outputs = await Promise.all(
      ["one", "two", "three"].map((candidate) =>
        run(process.execPath, ["--import", "tsx", child, dataDir, candidate, startAt]),
      ),
    );
    const seen = outputs.map((o) => o.stdout);
    expect(new Set(seen).size).toBe(1);
    expect(["one", "two", "three"]).toContain(seen[0]);
  });
});
