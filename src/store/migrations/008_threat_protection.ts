import type { Kysely } from "kysely";

/** Threat protection: the pools' and clients' risk configurations, and the auth event history. */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("risk_configurations")
    .addColumn("pool_id", "text", (c) => c.notNull())
    // '' for the pool's own configuration; a client's overrides it for that client.
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("config", "text", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("risk_configurations_pk", ["pool_id", "client_id"])
    .execute();

  await db.schema
    .createTable("auth_events")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    // The owner's sub: '' for a name no user has (kept for the IP address's statistics only).
    .addColumn("sub", "text", (c) => c.notNull())
    .addColumn("username", "text", (c) => c.notNull())
    .addColumn("client_id", "text")
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("event_response", "text", (c) => c.notNull())
    .addColumn("risk_decision", "text")
    .addColumn("risk_level", "text")
    .addColumn("compromised", "integer", (c) => c.notNull())
    // JSON: the scoring reasons, the mode and the action taken.
    .addColumn("risk_detail", "text", (c) => c.notNull())
    // JSON: [{ChallengeName, ChallengeResponse}].
    .addColumn("challenges", "text", (c) => c.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("device_name", "text")
    .addColumn("device_key", "text")
    .addColumn("fingerprint", "text")
    .addColumn("timezone", "text")
    .addColumn("analytics_endpoint_id", "text")
    // JSON: the client's AnalyticsConfiguration when the event happened.
    .addColumn("analytics_configuration", "text")
    // SHA-256 (hex) of the feedback token sent in notification messages; never the token.
    .addColumn("feedback_token_hash", "text")
    .addColumn("feedback_value", "text")
    .addColumn("feedback_provider", "text")
    .addColumn("feedback_at", "bigint")
    .addPrimaryKeyConstraint("auth_events_pk", ["pool_id", "event_id"])
    .execute();
  await db.schema
    .createIndex("auth_events_user")
    .on("auth_events")
    .columns(["pool_id", "username_key", "created_at"])
    .execute();
  await db.schema
    .createIndex("auth_events_ip")
    .on("auth_events")
    .columns(["pool_id", "ip", "created_at"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("auth_events").execute();
  await db.schema.dropTable("risk_configurations").execute();
}
