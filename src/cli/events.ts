/**
 * `cognate events`: the auth event history for an analytics pipeline, one JSON object a line
 * (oldest first): the event as AdminListUserAuthEvents shows it, plus whose it is, the app client,
 * the risk's reasons and actions, and the AnalyticsMetadata endpoint and the client's
 * AnalyticsConfiguration recorded with it. Never a password, token or ClientMetadata.
 */
import type { Config } from "../config/config.js";
import { authEventOf } from "../domain/auth-events.js";
import type { AuthEventRecord } from "../store/auth-events.js";
import { openStore } from "../store/open.js";

export interface EventsQuery {
  poolId?: string;
  since?: Date;
  limit: number;
  json: boolean;
}

/** One exported event: plain JSON, dates as ISO strings. */
export function exportedEvent(event: AuthEventRecord): Record<string, unknown> {
  const shown = authEventOf(event);
  return {
    userPoolId: event.poolId,
    username: event.username,
    sub: event.sub,
    clientId: event.clientId,
    ...shown,
    CreationDate: event.createdAt.toISOString(),
    EventFeedback: shown.EventFeedback && {
      ...shown.EventFeedback,
      FeedbackDate: event.feedback?.at.toISOString(),
    },
    risk: event.riskDetail,
    userAgent: event.userAgent,
    deviceKey: event.deviceKey,
    analyticsEndpointId: event.analyticsEndpointId,
    analyticsConfiguration: event.analyticsConfiguration,
  };
}

function line(event: AuthEventRecord): string {
  const risk = [event.riskDecision, event.riskLevel].filter(Boolean).join(" ");
  return `${event.createdAt.toISOString()} ${event.poolId} ${event.username} ${event.eventType} ${event.response} ${risk}${event.compromised ? " compromised" : ""} ${event.ip ?? "-"} [${event.riskDetail.actions.join(",")}]\n`;
}

export async function printEvents(config: Config, query: EventsQuery): Promise<void> {
  const store = await openStore(config);
  try {
    const events = await store.authEvents.listAll(query);
    for (const event of events) {
      process.stdout.write(query.json ? `${JSON.stringify(exportedEvent(event))}\n` : line(event));
    }
  } finally {
    await store.close();
  }
}
