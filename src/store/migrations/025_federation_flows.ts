import type { Kysely } from "kysely";

/**
 * Federated sign-in (FEDERATION.md §2): the round trips to outside identity providers waiting for
 * their answer, the SAML assertions already used (a replayed one is refused), and the SAML
 * sessions behind browser sessions (single logout names them to the provider).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("federation_states")
    // SHA-256 (hex) of the handle the provider carries back (OAuth `state`, SAML `RelayState`).
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    // oauth (OIDC and social sign-in), saml (SAML sign-in) or logout (SAML single logout).
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("provider_name", "text", (c) => c.notNull())
    // SHA-256 (hex) of the browser's binding cookie; null when the round trip is not bound to one.
    .addColumn("browser_hash", "text")
    // JSON: the authorization request, nonce, PKCE verifier, request ID, return URL or logout target.
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("federation_states_expiry")
    .on("federation_states")
    .column("expires_at")
    .execute();

  await db.schema
    .createTable("saml_assertions")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("provider_name", "text", (c) => c.notNull())
    .addColumn("assertion_id", "text", (c) => c.notNull())
    // Kept while the assertion could still be accepted.
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("saml_assertions_pk", ["pool_id", "provider_name", "assertion_id"])
    .execute();
  await db.schema.createIndex("saml_assertions_expiry").on("saml_assertions").column("expires_at").execute();

  await db.schema
    .createTable("saml_sessions")
    // The browser session's id_hash (browser_sessions).
    .addColumn("session_hash", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("provider_name", "text", (c) => c.notNull())
    // JSON: NameID (value, format, qualifiers) and SessionIndex of the assertion.
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("saml_sessions_expiry").on("saml_sessions").column("expires_at").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("saml_sessions").execute();
  await db.schema.dropTable("saml_assertions").execute();
  await db.schema.dropTable("federation_states").execute();
}
