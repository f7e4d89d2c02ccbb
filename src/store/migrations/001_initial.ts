import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("user_pools")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("config", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("user_pool_clients")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("secret", "text")
    .addColumn("config", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("user_pool_clients_pool")
    .on("user_pool_clients")
    .columns(["pool_id", "id"])
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    .addColumn("sub", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("attributes", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("phone_number", "text")
    .addColumn("name", "text")
    .addColumn("given_name", "text")
    .addColumn("family_name", "text")
    .addColumn("preferred_username", "text")
    .addColumn("password_salt", "text")
    .addColumn("password_verifier", "text")
    .addColumn("password_set_at", "bigint")
    .addColumn("password_history", "text", (c) => c.notNull())
    .addColumn("extra", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("users_pk", ["pool_id", "username_key"])
    .execute();
  await db.schema.createIndex("users_sub").on("users").columns(["pool_id", "sub"]).unique().execute();
  for (const column of ["email", "phone_number", "name", "given_name", "family_name", "preferred_username"]) {
    await db.schema.createIndex(`users_${column}`).on("users").columns(["pool_id", column]).execute();
  }

  await db.schema
    .createTable("user_aliases")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("alias_key", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_aliases_pk", ["pool_id", "alias_key"])
    .execute();
  await db.schema
    .createIndex("user_aliases_user")
    .on("user_aliases")
    .columns(["pool_id", "username_key"])
    .execute();

  await db.schema
    .createTable("groups")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("role_arn", "text")
    .addColumn("precedence", "bigint")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("groups_pk", ["pool_id", "name"])
    .execute();

  await db.schema
    .createTable("group_members")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("group_name", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("group_members_pk", ["pool_id", "group_name", "username_key"])
    .execute();
  await db.schema
    .createIndex("group_members_user")
    .on("group_members")
    .columns(["pool_id", "username_key"])
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("destination", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("subject", "text")
    .addColumn("message", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("outbox_pool").on("outbox").columns(["pool_id", "id"]).execute();

  await db.schema
    .createTable("codes")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull())
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("codes_pk", ["pool_id", "username_key", "purpose"])
    .execute();

  await db.schema
    .createTable("server_secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "server_secrets",
    "codes",
    "outbox",
    "group_members",
    "groups",
    "user_aliases",
    "users",
    "user_pool_clients",
    "user_pools",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
