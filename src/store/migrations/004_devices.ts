import type { Kysely } from "kysely";

/** SRP sign-in and remembered devices: users' tracked devices, and the spent SECRET_BLOCKs. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("devices")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("device_key", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    // The owner's sub: a user deleted and created again under the same name does not inherit devices.
    .addColumn("sub", "text", (c) => c.notNull())
    .addColumn("group_key", "text", (c) => c.notNull())
    .addColumn("name", "text")
    // The device's SRP salt and verifier (hex), set by ConfirmDevice; never the device secret.
    .addColumn("salt", "text")
    .addColumn("verifier", "text")
    .addColumn("confirmed_at", "bigint")
    .addColumn("remembered", "integer", (c) => c.notNull())
    .addColumn("last_ip", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("last_authenticated_at", "bigint")
    .addPrimaryKeyConstraint("devices_pk", ["pool_id", "device_key"])
    .execute();
  await db.schema
    .createIndex("devices_user")
    .on("devices")
    .columns(["pool_id", "username_key", "device_key"])
    .execute();

  await db.schema
    .createTable("srp_spent_blocks")
    // The random id sealed inside a SECRET_BLOCK: an answered block is refused ever after.
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("srp_spent_blocks_expiry")
    .on("srp_spent_blocks")
    .column("expires_at")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("srp_spent_blocks").execute();
  await db.schema.dropTable("devices").execute();
}
