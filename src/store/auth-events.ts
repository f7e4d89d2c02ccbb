/** The auth event history (threat protection): one row per sign-in, sign-up or password change. */
import { sql } from "kysely";
import type {
  AnalyticsConfigurationType,
  ChallengeResponseType,
  EventResponseType,
  EventType,
  FeedbackValueType,
  RiskDecisionType,
  RiskLevelType,
} from "../protocol/types.generated.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { AuthEventsTable } from "./schema.js";
import type { Db } from "./store.js";

/** Why an event got its risk, and what the server did about it (docs/RISK.md). */
export interface RiskDetail {
  /** AUDIT or ENFORCED, as the pool was when the event happened. */
  mode: string;
  /** What was done: NO_ACTION, BLOCK, MFA_IF_CONFIGURED, MFA_REQUIRED, with NOTIFY when told. */
  actions: string[];
  score: number;
  reasons: { code: string; points: number; detail: string }[];
}

export interface AuthEventRecord {
  poolId: string;
  eventId: string;
  usernameKey: string;
  /** '' for a name no user has. */
  sub: string;
  username: string;
  clientId: string | null;
  eventType: EventType;
  createdAt: Date;
  response: EventResponseType;
  riskDecision?: RiskDecisionType;
  riskLevel?: RiskLevelType;
  compromised: boolean;
  riskDetail: RiskDetail;
  challenges: ChallengeResponseType[];
  ip?: string;
  userAgent?: string;
  deviceName?: string;
  deviceKey?: string;
  fingerprint?: string;
  timezone?: string;
  analyticsEndpointId?: string;
  analyticsConfiguration?: AnalyticsConfigurationType;
  feedbackTokenHash?: string;
  feedback?: { value: FeedbackValueType; provider: string; at: Date };
}

/** Recent sign-in attempts from one IP address, all users together. */
export interface IpActivityCounts {
  failures: number;
  distinctUsers: number;
  attemptsSince: number;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toRecord(row: AuthEventsTable): AuthEventRecord {
  return {
    poolId: row.pool_id,
    eventId: row.event_id,
    usernameKey: row.username_key,
    sub: row.sub,
    username: row.username,
    clientId: row.client_id,
    eventType: row.event_type as EventType,
    createdAt: date(row.created_at),
    response: row.event_response as EventResponseType,
    riskDecision: orUndefined(row.risk_decision) as RiskDecisionType | undefined,
    riskLevel: orUndefined(row.risk_level) as RiskLevelType | undefined,
    compromised: Number(row.compromised) === 1,
    riskDetail: fromJson(row.risk_detail, { mode: "", actions: [], score: 0, reasons: [] }),
    challenges: fromJson(row.challenges, []),
    ip: orUndefined(row.ip),
    userAgent: orUndefined(row.user_agent),
    deviceName: orUndefined(row.device_name),
    deviceKey: orUndefined(row.device_key),
    fingerprint: orUndefined(row.fingerprint),
    timezone: orUndefined(row.timezone),
    analyticsEndpointId: orUndefined(row.analytics_endpoint_id),
    analyticsConfiguration:
      row.analytics_configuration === null ? undefined : fromJson(row.analytics_configuration, {}),
    feedbackTokenHash: orUndefined(row.feedback_token_hash),
    feedback:
      row.feedback_value === null
        ? undefined
        : {
            value: row.feedback_value as FeedbackValueType,
            provider: row.feedback_provider ?? "",
            at: date(row.feedback_at ?? 0),
          },
  };
}

function toRow(event: AuthEventRecord): AuthEventsTable {
  return {
    pool_id: event.poolId,
    event_id: event.eventId,
    username_key: event.usernameKey,
    sub: event.sub,
    username: event.username,
    client_id: event.clientId,
    event_type: event.eventType,
    created_at: ms(event.createdAt),
    event_response: event.response,
    risk_decision: event.riskDecision ?? null,
    risk_level: event.riskLevel ?? null,
    compromised: event.compromised ? 1 : 0,
    risk_detail: toJson(event.riskDetail),
    challenges: toJson(event.challenges),
    ip: event.ip ?? null,
    user_agent: event.userAgent ?? null,
    device_name: event.deviceName ?? null,
    device_key: event.deviceKey ?? null,
    fingerprint: event.fingerprint ?? null,
    timezone: event.timezone ?? null,
    analytics_endpoint_id: event.analyticsEndpointId ?? null,
    analytics_configuration:
      event.analyticsConfiguration === undefined ? null : toJson(event.analyticsConfiguration),
    feedback_token_hash: event.feedbackTokenHash ?? null,
    feedback_value: event.feedback?.value ?? null,
    feedback_provider: event.feedback?.provider ?? null,
    feedback_at: event.feedback ? ms(event.feedback.at) : null,
  };
}

/** Where a listing stopped: the last event shown (newest first, ties by event id). */
export interface EventCursor {
  createdAt: Date;
  eventId: string;
}

export class AuthEventRepository {
  constructor(private readonly db: Db) {}

  async insert(event: AuthEventRecord): Promise<void> {
    await this.db.insertInto("auth_events").values(toRow(event)).execute();
  }

  /** Writes the event as it is now: new, or moved on (its outcome, challenges, risk); feedback is kept. */
  async save(event: AuthEventRecord): Promise<void> {
    const row = toRow(event);
    const { pool_id, event_id, feedback_value, feedback_provider, feedback_at, ...values } = row;
    await this.db
      .insertInto("auth_events")
      .values(row)
      .onConflict((oc) => oc.columns(["pool_id", "event_id"]).doUpdateSet(values))
      .execute();
  }

  async get(poolId: string, eventId: string): Promise<AuthEventRecord | undefined> {
    const row = await this.db
      .selectFrom("auth_events")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("event_id", "=", eventId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** One user's events, newest first, after `cursor`; at most `limit`. */
  async listForUser(
    poolId: string,
    user: { usernameKey: string; sub: string },
    limit: number,
    cursor?: EventCursor,
  ): Promise<AuthEventRecord[]> {
    let query = this.db
      .selectFrom("auth_events")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("username_key", "=", user.usernameKey)
      .where("sub", "=", user.sub);
    if (cursor) {
      const at = ms(cursor.createdAt);
      query = query.where((eb) =>
        eb.or([
          eb("created_at", "<", at),
          eb.and([eb("created_at", "=", at), eb("event_id", "<", cursor.eventId)]),
        ]),
      );
    }
    const rows = await query.orderBy("created_at", "desc").orderBy("event_id", "desc").limit(limit).execute();
    return rows.map(toRecord);
  }

  /** Counts of sign-in attempts from `ip` (failures since `failuresSince`, all attempts since `attemptsSince`). */
  async ipActivity(
    poolId: string,
    ip: string,
    failuresSince: Date,
    attemptsSince: Date,
  ): Promise<IpActivityCounts> {
    const since = ms(failuresSince);
    const recent = ms(attemptsSince);
    const row = await this.db
      .selectFrom("auth_events")
      .select([
        sql<number>`sum(case when event_response = 'Fail' then 1 else 0 end)`.as("failures"),
        sql<number>`count(distinct case when event_response = 'Fail' then username_key end)`.as("users"),
        sql<number>`sum(case when created_at >= ${recent} then 1 else 0 end)`.as("attempts"),
      ])
      .where("pool_id", "=", poolId)
      .where("ip", "=", ip)
      .where("event_type", "=", "SignIn")
      .where("created_at", ">=", Math.min(since, recent))
      .executeTakeFirst();
    return {
      failures: Number(row?.failures ?? 0),
      distinctUsers: Number(row?.users ?? 0),
      attemptsSince: Number(row?.attempts ?? 0),
    };
  }

  async setFeedback(
    poolId: string,
    eventId: string,
    feedback: { value: FeedbackValueType; provider: string; at: Date },
  ): Promise<void> {
    await this.db
      .updateTable("auth_events")
      .set({
        feedback_value: feedback.value,
        feedback_provider: feedback.provider,
        feedback_at: ms(feedback.at),
      })
      .where("pool_id", "=", poolId)
      .where("event_id", "=", eventId)
      .execute();
  }

  /** Events of every user, oldest first, for export; optionally of one pool, from `since`. */
  async listAll(query: { poolId?: string; since?: Date; limit: number }): Promise<AuthEventRecord[]> {
    let q = this.db.selectFrom("auth_events").selectAll().where("sub", "!=", "");
    if (query.poolId !== undefined) q = q.where("pool_id", "=", query.poolId);
    if (query.since !== undefined) q = q.where("created_at", ">=", ms(query.since));
    const rows = await q.orderBy("created_at").orderBy("event_id").limit(query.limit).execute();
    return rows.map(toRecord);
  }

  /** A pool's latest events, newest first; optionally one user's (by their username as stored). */
  async listRecent(poolId: string, limit: number, username?: string): Promise<AuthEventRecord[]> {
    let q = this.db.selectFrom("auth_events").selectAll().where("pool_id", "=", poolId);
    if (username !== undefined) q = q.where("username", "=", username);
    const rows = await q.orderBy("created_at", "desc").orderBy("event_id", "desc").limit(limit).execute();
    return rows.map(toRecord);
  }

  /** Forgets a user's events (the user is deleted). */
  async deleteForUser(poolId: string, usernameKey: string): Promise<void> {
    await this.db
      .deleteFrom("auth_events")
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .where("sub", "!=", "")
      .execute();
  }
}
