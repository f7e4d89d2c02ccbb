import type { Kysely } from "kysely";

/**
 * Passkeys: each pool's WebAuthn configuration, users' registered credentials, and the one
 * registration each user may have in progress.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("webauthn_configs")
    .addColumn("pool_id", "text", (c) => c.primaryKey())
    .addColumn("relying_party_id", "text")
    .addColumn("user_verification", "text", (c) => c.notNull())
    .addColumn("factor_configuration", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("webauthn_credentials")
    .addColumn("pool_id", "text", (c) => c.notNull())
    // base64url, as the authenticator reported it.
    .addColumn("credential_id", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    // The owner's sub: a user created again under the same name does not inherit passkeys.
    .addColumn("sub", "text", (c) => c.notNull())
    // The COSE public key (base64url); the private key never leaves the authenticator.
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("sign_count", "bigint", (c) => c.notNull())
    .addColumn("transports", "text", (c) => c.notNull())
    .addColumn("attachment", "text")
    .addColumn("friendly_name", "text", (c) => c.notNull())
    .addColumn("relying_party_id", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("webauthn_credentials_pk", ["pool_id", "credential_id"])
    .execute();
  await db.schema
    .createIndex("webauthn_credentials_user")
    .on("webauthn_credentials")
    .columns(["pool_id", "sub", "credential_id"])
    .execute();

  await db.schema
    .createTable("webauthn_registrations")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("sub", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("challenge", "text", (c) => c.notNull())
    .addColumn("relying_party_id", "text", (c) => c.notNull())
    .addColumn("user_verification", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("webauthn_registrations_pk", ["pool_id", "sub"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("webauthn_registrations").execute();
  await db.schema.dropTable("webauthn_credentials").execute();
  await db.schema.dropTable("webauthn_configs").execute();
}
