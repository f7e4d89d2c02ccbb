import type { Kysely } from "kysely";

/** Sign-in state: challenge sessions and the failed-password lockout. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("auth_sessions")
    // SHA-256 of the Session string: the string itself is a bearer secret and is never stored.
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    .addColumn("challenge_name", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("used_at", "bigint")
    .execute();
  await db.schema.createIndex("auth_sessions_expiry").on("auth_sessions").column("expires_at").execute();
  await db.schema
    .createIndex("auth_sessions_user")
    .on("auth_sessions")
    .columns(["pool_id", "username_key"])
    .execute();

  await db.schema
    .createTable("lockouts")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("locked_until", "bigint")
    .addColumn("last_failure_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("lockouts_pk", ["pool_id", "username_key"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("lockouts").execute();
  await db.schema.dropTable("auth_sessions").execute();
}
