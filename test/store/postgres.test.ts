/** What only PostgreSQL needs proving: instances migrating at once, and byte-order text. */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { migrationProvider } from "../../src/store/migrations/index.js";
import { openPostgresStore } from "../../src/store/open.js";
import type { Store } from "../../src/store/store.js";
import {
  createTestSchema,
  dropTestSchema,
  POSTGRES_SKIP_MESSAGE,
  postgresReachable,
  schemaDatabaseUrl,
  testDatabaseUrl,
} from "../support/postgres.js";
import { user } from "./fixtures.js";

const available = await postgresReachable();
const suite = available ? describe : describe.skip;
if (!available) it.skip(`PostgreSQL store: ${POSTGRES_SKIP_MESSAGE}`, () => {});

async function sqlRows<T extends pg.QueryResultRow>(schema: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: schemaDatabaseUrl(schema) });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

suite("PostgreSQL store", () => {
  const opened: Store[] = [];
  const schemas: string[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    for (const schema of schemas.splice(0)) await dropTestSchema(schema);
  });

  async function freshSchema(): Promise<string> {
    const schema = await createTestSchema();
    schemas.push(schema);
    return schema;
  }

  async function open(schema: string): Promise<Store> {
    const store = await openPostgresStore(testDatabaseUrl(), { schema, poolSize: 2 });
    opened.push(store);
    return store;
  }

  it("several instances starting at once on a fresh schema all open it, and it is migrated once", async () => {
    const schema = await freshSchema();
    const stores = await Promise.all(Array.from({ length: 5 }, () => open(schema)));
    expect(stores).toHaveLength(5);
    const applied = await sqlRows<{ name: string }>(
      schema,
      "select name from kysely_migration order by name",
    );
    expect(applied.map((r) => r.name)).toEqual(Object.keys(await migrationProvider.getMigrations()).sort());
    await stores[0].users.insert(user("us-east-1_p", "alice"));
    for (const store of stores)
      expect((await store.users.get("us-east-1_p", "alice"))?.usernameKey).toBe("alice");
  });

  it("keeps its tables in its own schema, apart from other schemas' data", async () => {
    const [a, b] = [await freshSchema(), await freshSchema()];
    await (await open(a)).users.insert(user("us-east-1_p", "alice"));
    expect(await (await open(b)).users.get("us-east-1_p", "alice")).toBeUndefined();
    const tables = await sqlRows<{ n: number }>(
      a,
      "select count(*)::int as n from pg_tables where schemaname = $1 and tablename = 'users'",
      [a],
    );
    expect(tables[0].n).toBe(1);
  });

  it('gives every text column byte order (COLLATE "C"), whatever the database\'s locale', async () => {
    const schema = await freshSchema();
    await open(schema);
    const notBytes = await sqlRows<{ column: string }>(
      schema,
      `select c.relname || '.' || a.attname as column
       from pg_attribute a join pg_class c on c.oid = a.attrelid
       join pg_namespace n on n.oid = c.relnamespace join pg_collation co on co.oid = a.attcollation
       where n.nspname = $1 and a.attnum > 0 and not a.attisdropped and c.relkind = 'r'
         and c.relname not like 'kysely%' and co.collname <> 'C'`,
      [schema],
    );
    expect(notBytes).toEqual([]);
  });

  it("turns a column left in a locale collation back to byte order when it opens", async (ctx) => {
    const schema = await freshSchema();
    await (await open(schema)).close();
    opened.length = 0;
    const [locale] = await sqlRows<{ name: string }>(
      schema,
      "select collname as name from pg_collation where collname in ('en-x-icu', 'und-x-icu', 'en_US.utf8') order by collname limit 1",
    );
    if (!locale) ctx.skip("this PostgreSQL has no locale collation to compare with");
    await sqlRows(schema, `alter table users alter column username_key type text collate "${locale.name}"`);
    const store = await open(schema);
    for (const key of ["a", "B", "b", "A"]) await store.users.insert(user("us-east-1_p", key));
    const keys = (await store.users.list("us-east-1_p", 10)).map((u) => u.usernameKey);
    expect(keys).toEqual(["A", "B", "a", "b"]);
    const after = (await store.users.list("us-east-1_p", 10, "B")).map((u) => u.usernameKey);
    expect(after).toEqual(["a", "b"]);
  });
});
