import type { Kysely } from "kysely";

/** Log delivery (ADMINISTRATION.md §3): each pool's LogConfigurations, as SetLogDeliveryConfiguration set them. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("log_delivery_configurations")
    .addColumn("pool_id", "text", (c) => c.primaryKey())
    // JSON: the LogConfigurations list.
    .addColumn("configurations", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("log_delivery_configurations").execute();
}
