import type { Kysely } from "kysely";

/**
 * How a pool's sign-in pages look (OAUTH.md §7): the classic hosted UI's CSS and logo for the pool
 * and its clients.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("ui_customizations")
    .addColumn("pool_id", "text", (c) => c.notNull())
    // '' for the pool's default (ClientId ALL); a client's own replaces it for that client.
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("css", "text")
    // The logo, base64, and its media type.
    .addColumn("image", "text")
    .addColumn("image_type", "text")
    // yyyyMMddHHmmss of the last SetUICustomization, as CSSVersion shows it.
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("ui_customizations_pk", ["pool_id", "client_id"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("ui_customizations").execute();
}
