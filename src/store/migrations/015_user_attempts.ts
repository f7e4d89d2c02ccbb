import type { Kysely } from "kysely";

/**
 * The per-user hourly limits (ADMINISTRATION.md §4.3): when each user made each kind of attempt
 * (a code requested or checked, a password changed), for a sliding hour.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("user_attempts")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    // What the attempt counts toward: the operation whose limit applies.
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("user_attempts_user")
    .on("user_attempts")
    .columns(["pool_id", "username_key", "action", "at"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("user_attempts").execute();
}
