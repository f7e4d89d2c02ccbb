import type { Kysely } from "kysely";

/** Token state: per-pool JWT signing keys and refresh tokens (kept as hashes). */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("signing_keys")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("kid", "text", (c) => c.notNull())
    .addColumn("token_use", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("private_key", "text", (c) => c.notNull())
    .addColumn("public_jwk", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("signing_keys_pk", ["pool_id", "kid"])
    .execute();

  await db.schema
    .createTable("refresh_tokens")
    // SHA-256 of the token: the token itself is a bearer secret and is never stored.
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("sub", "text", (c) => c.notNull())
    .addColumn("device_key", "text")
    .addColumn("origin_jti", "text", (c) => c.notNull())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("auth_time", "bigint", (c) => c.notNull())
    .addColumn("issued_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("revoked_at", "bigint")
    .addColumn("rotated_at", "bigint")
    .execute();
  await db.schema.createIndex("refresh_tokens_origin").on("refresh_tokens").column("origin_jti").execute();
  await db.schema.createIndex("refresh_tokens_event").on("refresh_tokens").column("event_id").execute();
  await db.schema
    .createIndex("refresh_tokens_user")
    .on("refresh_tokens")
    .columns(["pool_id", "username_key"])
    .execute();
  await db.schema.createIndex("refresh_tokens_expiry").on("refresh_tokens").column("expires_at").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("refresh_tokens").execute();
  await db.schema.dropTable("signing_keys").execute();
}
