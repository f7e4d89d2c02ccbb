import type { Kysely } from "kysely";

/**
 * How a pool's sign-in pages look (OAUTH.md §7): the classic hosted UI's CSS and logo for the pool
 * and its clients, the managed-login branding styles of clients with their image assets, and the
 * terms documents their sign-up pages link.
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

  await db.schema
    .createTable("managed_login_brandings")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("use_cognito_provided_values", "integer", (c) => c.notNull())
    // JSON: the Settings document as given, merged over the earlier ones; null when none.
    .addColumn("settings", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("managed_login_brandings_pk", ["pool_id", "id"])
    .execute();
  // One style per client.
  await db.schema
    .createIndex("managed_login_brandings_client")
    .on("managed_login_brandings")
    .columns(["pool_id", "client_id"])
    .unique()
    .execute();

  await db.schema
    .createTable("managed_login_branding_assets")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("branding_id", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("color_mode", "text", (c) => c.notNull())
    .addColumn("extension", "text", (c) => c.notNull())
    .addColumn("resource_id", "text")
    // base64.
    .addColumn("bytes", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("managed_login_branding_assets_pk", [
      "pool_id",
      "branding_id",
      "category",
      "color_mode",
    ])
    .execute();

  await db.schema
    .createTable("terms")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    // terms-of-use or privacy-policy.
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("enforcement", "text", (c) => c.notNull())
    // JSON object: language id (cognito:default, cognito:english, …) → URL.
    .addColumn("links", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("terms_pk", ["pool_id", "id"])
    .execute();
  // One document of each name per client.
  await db.schema
    .createIndex("terms_client_name")
    .on("terms")
    .columns(["pool_id", "client_id", "name"])
    .unique()
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("terms").execute();
  await db.schema.dropTable("managed_login_branding_assets").execute();
  await db.schema.dropTable("managed_login_brandings").execute();
  await db.schema.dropTable("ui_customizations").execute();
}
