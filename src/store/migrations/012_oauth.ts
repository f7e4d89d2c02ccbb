import type { Kysely } from "kysely";

/**
 * The OAuth 2.0 endpoints of a pool's domain (OAUTH.md §2–3): authorization codes waiting to be
 * exchanged, the browser sessions that give single sign-on, and the scopes a refresh token was
 * granted with (tokens from the endpoints keep them through every refresh).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("authorization_codes")
    // SHA-256 (hex) of the code; the code itself is never stored.
    .addColumn("code_hash", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("redirect_uri", "text", (c) => c.notNull())
    // PKCE S256 challenge, or null when the authorization request sent none.
    .addColumn("code_challenge", "text")
    // The tokens of the grant, sealed under a key derived from the code (base64).
    .addColumn("sealed_tokens", "text", (c) => c.notNull())
    // SHA-256 (hex) of the grant's refresh token: a replayed code revokes its sign-in.
    .addColumn("refresh_token_hash", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("consumed_at", "bigint")
    .execute();
  await db.schema
    .createIndex("authorization_codes_expiry")
    .on("authorization_codes")
    .column("expires_at")
    .execute();

  await db.schema
    .createTable("browser_sessions")
    // SHA-256 (hex) of the session cookie's value.
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    // The domain whose cookie carries the session (cookies are host-only).
    .addColumn("domain", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    .addColumn("sub", "text", (c) => c.notNull())
    .addColumn("auth_time", "bigint", (c) => c.notNull())
    // The domain's ManagedLoginVersion at sign-in: switching versions ends the session.
    .addColumn("managed_login_version", "integer", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("browser_sessions_expiry")
    .on("browser_sessions")
    .column("expires_at")
    .execute();

  // Space-separated OAuth scopes; null for tokens of API sign-in (aws.cognito.signin.user.admin).
  await db.schema.alterTable("refresh_tokens").addColumn("scopes", "text").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("refresh_tokens").dropColumn("scopes").execute();
  await db.schema.dropTable("browser_sessions").execute();
  await db.schema.dropTable("authorization_codes").execute();
}
