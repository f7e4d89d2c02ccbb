import type { Kysely } from "kysely";

/**
 * Resource binding (RFC 8707; docs/OAUTH.md): the resource an authorization request bound a
 * sign-in's access tokens to, kept with its refresh tokens so that refreshed access tokens carry
 * the same `aud`. Null for every token issued before, and for sign-ins without a binding.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("refresh_tokens").addColumn("resource", "text").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("refresh_tokens").dropColumn("resource").execute();
}
