import type { Kysely } from "kysely";

/**
 * Resource servers (OAUTH.md §5): a pool's APIs and the custom scopes each defines.
 * Client secrets (OAUTH.md §6): a client has up to two, each with an id; the single `secret` of
 * a client becomes its first entry, created with the client.
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

  // JSON array of {id, value, createdAt (epoch ms)}, oldest first; kept on the client's row so
  // that reading a client (every sign-in does) reads its secrets with it.
  await db.schema
    .alterTable("user_pool_clients")
    .addColumn("secrets", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  const confidential = await db
    .selectFrom("user_pool_clients")
    .select(["id", "secret", "created_at"])
    .where("secret", "is not", null)
    .execute();
  for (const row of confidential) {
    const createdAt = Number(row.created_at);
    const secrets = [{ id: `${row.id}--${createdAt}`, value: row.secret, createdAt }];
    await db
      .updateTable("user_pool_clients")
      .set({ secrets: JSON.stringify(secrets) })
      .where("id", "=", row.id)
      .execute();
  }
  await db.schema.alterTable("user_pool_clients").dropColumn("secret").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("user_pool_clients").addColumn("secret", "text").execute();
  const clients = await db.selectFrom("user_pool_clients").select(["id", "secrets"]).execute();
  for (const row of clients) {
    const [oldest] = JSON.parse(row.secrets) as { value: string }[];
    if (!oldest) continue;
    await db
      .updateTable("user_pool_clients")
      .set({ secret: oldest.value })
      .where("id", "=", row.id)
      .execute();
  }
  await db.schema.alterTable("user_pool_clients").dropColumn("secrets").execute();
  await db.schema.dropTable("resource_servers").execute();
}
