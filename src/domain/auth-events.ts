/**
 * The auth event history: events as AdminListUserAuthEvents shows them, paging through a user's
 * events, feedback on an event (the admin's, or the user's through the token of a notification
 * message), and the notification messages themselves. ClientMetadata is never kept.
 */
import { createHash } from "node:crypto";
import { sameBytes } from "../crypto/compare.js";
import { randomToken } from "../crypto/random.js";
import type { MessageSender } from "../messaging/sender.js";
import type {
  AccountTakeoverEventActionType,
  AuthEventType,
  EventContextDataType,
  FeedbackValueType,
  NotifyConfigurationType,
  NotifyEmailType,
} from "../protocol/types.generated.js";
import type { AuthEventRecord, EventCursor } from "../store/auth-events.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";
import { requirePool } from "./lookup.js";
import { decodeNextToken, encodeNextToken } from "./pagination.js";
import { assertAddOnsEnabled } from "./threat-protection.js";
import { requireUser } from "./users.js";

/** AdminListUserAuthEvents' page size when MaxResults is 0 or absent [API]. */
export const DEFAULT_MAX_EVENTS = 60;

/** Who gave feedback, as EventFeedback.Provider shows it [UNDOC beyond "Admin" for the console]. */
export const FEEDBACK_PROVIDER = { admin: "Admin", user: "User" } as const;

function contextData(event: AuthEventRecord): EventContextDataType | undefined {
  const data: EventContextDataType = {
    ...(event.ip !== undefined && { IpAddress: event.ip }),
    ...(event.deviceName !== undefined && { DeviceName: event.deviceName }),
    ...(event.timezone !== undefined && { Timezone: event.timezone }),
  };
  return Object.keys(data).length ? data : undefined;
}

/** One event as AdminListUserAuthEvents returns it. */
export function authEventOf(event: AuthEventRecord): AuthEventType {
  return {
    EventId: event.eventId,
    EventType: event.eventType,
    CreationDate: event.createdAt,
    EventResponse: event.response,
    EventRisk: {
      ...(event.riskDecision !== undefined && { RiskDecision: event.riskDecision }),
      ...(event.riskLevel !== undefined && { RiskLevel: event.riskLevel }),
      CompromisedCredentialsDetected: event.compromised,
    },
    ChallengeResponses: event.challenges,
    EventContextData: contextData(event),
    EventFeedback: event.feedback && {
      FeedbackValue: event.feedback.value,
      Provider: event.feedback.provider,
      FeedbackDate: event.feedback.at,
    },
  };
}

function cursorKey(event: AuthEventRecord): string {
  return `${event.createdAt.getTime()}.${event.eventId}`;
}

function cursorOf(token: string | undefined): EventCursor | undefined {
  const key = decodeNextToken(token);
  if (key === undefined) return undefined;
  const match = /^(\d+)\.([\w+-]+)$/.exec(key);
  if (!match) throw Errors.invalidPaginationToken();
  return { createdAt: new Date(Number(match[1])), eventId: match[2] };
}

/** One page of the user's events, newest first. */
export async function listUserAuthEvents(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  maxResults: number | undefined,
  nextToken: string | undefined,
): Promise<{ AuthEvents: AuthEventType[]; NextToken?: string }> {
  const limit = maxResults || DEFAULT_MAX_EVENTS;
  const events = await store.authEvents.listForUser(pool.id, user, limit + 1, cursorOf(nextToken));
  const shown = events.slice(0, limit);
  return {
    AuthEvents: shown.map(authEventOf),
    ...(events.length > limit && { NextToken: encodeNextToken(cursorKey(shown[shown.length - 1])) }),
  };
}

/** The user's event, or Cognito's not-found error. */
export async function requireUserEvent(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  eventId: string,
): Promise<AuthEventRecord> {
  const event = await store.authEvents.get(pool.id, eventId);
  if (!event || event.usernameKey !== user.usernameKey || event.sub !== user.sub) {
    throw Errors.authEventNotFound();
  }
  return event;
}

function hashToken(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** A new feedback token, and the hash that is kept of it. */
export function newFeedbackToken(): { token: string; hash: string } {
  const token = randomToken(32);
  return { token, hash: hashToken(token).toString("hex") };
}

/** The token must be the one issued with the event (compared in constant time). */
export function checkFeedbackToken(event: AuthEventRecord, token: string): void {
  const expected = event.feedbackTokenHash ? Buffer.from(event.feedbackTokenHash, "hex") : undefined;
  const given = hashToken(token);
  if (!expected || !sameBytes(expected, given)) {
    throw Errors.feedbackTokenInvalid();
  }
}

export async function recordFeedback(
  store: Store,
  event: AuthEventRecord,
  value: FeedbackValueType,
  provider: string,
  now: Date,
): Promise<void> {
  await store.authEvents.setFeedback(event.poolId, event.eventId, { value, provider, at: now });
}

export interface UserFeedback {
  poolId: string;
  username: string;
  eventId: string;
  feedbackToken: string;
  value: FeedbackValueType;
  now: Date;
}

/**
 * The user's own feedback (UpdateAuthEventFeedback, or the one-click link of a notification): the
 * pool must have threat protection on, the event must be the user's, the token the event's.
 */
export async function giveUserFeedback(store: Store, feedback: UserFeedback): Promise<void> {
  const pool = await requirePool(store, feedback.poolId);
  assertAddOnsEnabled(pool);
  const user = await requireUser(store, pool, feedback.username);
  const event = await requireUserEvent(store, pool, user, feedback.eventId);
  checkFeedbackToken(event, feedback.feedbackToken);
  await recordFeedback(store, event, feedback.value, FEEDBACK_PROVIDER.user, feedback.now);
}

// ---------------------------------------------------------------------------------------------
// Notification messages (AccountTakeoverRiskConfiguration.NotifyConfiguration)

/** Texts used when the configuration gives none [UNDOC: Cognito's own defaults are not published]. */
const DEFAULT_NOTIFY: Record<"block" | "mfa" | "noAction", Required<NotifyEmailType>> = {
  block: {
    Subject: "Blocked sign-in attempt",
    TextBody:
      "We blocked an unrecognized sign-in to your account {username} at {login-time} from {device-name} ({ip-address}). If this was you, confirm it: {one-click-link-valid}. If it was not, tell us: {one-click-link-invalid}.",
    HtmlBody:
      '<p>We blocked an unrecognized sign-in to your account {username} at {login-time} from {device-name} ({ip-address}).</p><p><a href="{one-click-link-valid}">This was me</a> · <a href="{one-click-link-invalid}">This was not me</a></p>',
  },
  mfa: {
    Subject: "New sign-in attempt",
    TextBody:
      "We asked for a second factor at an unrecognized sign-in to your account {username} at {login-time} from {device-name} ({ip-address}). If this was you: {one-click-link-valid}. If it was not: {one-click-link-invalid}.",
    HtmlBody:
      '<p>We asked for a second factor at an unrecognized sign-in to your account {username} at {login-time} from {device-name} ({ip-address}).</p><p><a href="{one-click-link-valid}">This was me</a> · <a href="{one-click-link-invalid}">This was not me</a></p>',
  },
  noAction: {
    Subject: "New sign-in attempt",
    TextBody:
      "There was a sign-in to your account {username} at {login-time} from {device-name} ({ip-address}). If this was you: {one-click-link-valid}. If it was not: {one-click-link-invalid}.",
    HtmlBody:
      '<p>There was a sign-in to your account {username} at {login-time} from {device-name} ({ip-address}).</p><p><a href="{one-click-link-valid}">This was me</a> · <a href="{one-click-link-invalid}">This was not me</a></p>',
  },
};

function templateFor(
  notify: NotifyConfigurationType | undefined,
  action: AccountTakeoverEventActionType,
): NotifyEmailType {
  if (action === "BLOCK") return notify?.BlockEmail ?? DEFAULT_NOTIFY.block;
  if (action === "NO_ACTION") return notify?.NoActionEmail ?? DEFAULT_NOTIFY.noAction;
  return notify?.MfaEmail ?? DEFAULT_NOTIFY.mfa;
}

/** What a notification message tells of the event. */
export type NotifiedEvent = Pick<
  AuthEventRecord,
  "poolId" | "eventId" | "username" | "createdAt" | "ip" | "deviceName"
>;

/** The one-click link of a notification: the server's feedback page for this event and answer. */
export function feedbackLink(
  baseUrl: string,
  event: NotifiedEvent,
  token: string,
  value: FeedbackValueType,
): string {
  const query = new URLSearchParams({
    userPoolId: event.poolId,
    username: event.username,
    eventId: event.eventId,
    feedbackToken: token,
    feedbackValue: value,
  });
  return `${baseUrl}/_cognate/auth-event-feedback?${query.toString()}`;
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z-]+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * Tells the user about a risky sign-in by email (the outbox by default), with the links that give
 * feedback on it. A user without an email address is not told.
 */
export async function notifyUser(
  messages: MessageSender,
  args: {
    baseUrl: string;
    user: UserRecord;
    event: NotifiedEvent;
    feedbackToken: string;
    action: AccountTakeoverEventActionType;
    notify: NotifyConfigurationType | undefined;
    now: Date;
  },
): Promise<boolean> {
  const email = args.user.attributes.email;
  if (!email) return false;
  const { event } = args;
  const template = templateFor(args.notify, args.action);
  const values = {
    username: args.user.username,
    "ip-address": event.ip ?? "an unknown address",
    "device-name": event.deviceName ?? "an unknown device",
    city: "",
    country: "",
    "login-time": event.createdAt.toISOString(),
    "one-click-link-valid": feedbackLink(args.baseUrl, event, args.feedbackToken, "Valid"),
    "one-click-link-invalid": feedbackLink(args.baseUrl, event, args.feedbackToken, "Invalid"),
  };
  await messages.send(
    {
      poolId: event.poolId,
      username: args.user.username,
      channel: "EMAIL",
      destination: email,
      purpose: "risk-notification",
      subject: fill(template.Subject, values),
      message: fill(template.TextBody ?? template.HtmlBody ?? "", values),
    },
    args.now,
  );
  return true;
}
