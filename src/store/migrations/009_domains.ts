import type { Kysely } from "kysely";

/**
 * User pool domains (OAUTH.md §1): a Cognito prefix or a custom host name, each owned by one pool.
 * The name is unique across every pool of the server, as it is across a Region on AWS.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("user_pool_domains")
    // The prefix alone for a Cognito domain, the full host name for a custom one, lower-cased.
    .addColumn("domain", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    // 1 custom (CustomDomainConfig given), 0 prefix.
    .addColumn("custom", "integer", (c) => c.notNull())
    .addColumn("certificate_arn", "text")
    .addColumn("managed_login_version", "integer", (c) => c.notNull())
    .addColumn("cloudfront_distribution", "text", (c) => c.notNull())
    // yyyyMMddHHmmss of the last change, as DescribeUserPoolDomain's Version shows it.
    .addColumn("version", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("user_pool_domains_pool").on("user_pool_domains").column("pool_id").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("user_pool_domains").execute();
}
