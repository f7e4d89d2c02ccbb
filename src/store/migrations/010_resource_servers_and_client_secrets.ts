import type { Kysely } from "kysely";

/**
 * Resource servers (OAUTH.md §5): a pool's APIs and the custom scopes each defines.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("resource_servers")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("identifier", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    // JSON array of {ScopeName, ScopeDescription}, in the order given.
    .addColumn("scopes", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("resource_servers_pk", ["pool_id", "identifier"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("resource_servers").execute();
}
