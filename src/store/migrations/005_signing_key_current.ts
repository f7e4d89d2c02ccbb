import { type Kysely, sql } from "kysely";

/**
 * At most one current signing key per pool and token use: instances that create a pool's first
 * keys at the same moment agree on one (the loser's insert is ignored).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("signing_keys_one_current")
    .on("signing_keys")
    .columns(["pool_id", "token_use"])
    .unique()
    .where(sql.ref("status"), "=", sql.lit("current"))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("signing_keys_one_current").execute();
}
