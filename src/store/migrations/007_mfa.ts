import type { Kysely } from "kysely";

/**
 * Multi-factor authentication: each pool's MFA factors (as SetUserPoolMfaConfig set them), and the
 * TOTP time steps each user has spent, so that every instance refuses a code used once.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("pool_mfa_configs")
    .addColumn("pool_id", "text", (c) => c.primaryKey())
    // JSON: which factors SetUserPoolMfaConfig configured, with their settings.
    .addColumn("factors", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("totp_spent_steps")
    .addColumn("pool_id", "text", (c) => c.notNull())
    // The user's sub: a user created again under the same name starts afresh.
    .addColumn("sub", "text", (c) => c.notNull())
    .addColumn("time_step", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("totp_spent_steps_pk", ["pool_id", "sub", "time_step"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("totp_spent_steps").execute();
  await db.schema.dropTable("pool_mfa_configs").execute();
}
