/**
 * Log delivery (ADMINISTRATION.md §3): which configurations SetLogDeliveryConfiguration accepts,
 * and the records Cognito exports — user-notification errors (a message that could not be sent)
 * and user auth events (threat protection's sign-ins, sign-ups, password changes) — in its shapes,
 * handed to the local sink the configured destination ARN maps to (messaging/log-sinks.ts).
 */
import type { LogRecord, LogSinks } from "../messaging/log-sinks.js";
import type {
  EventSourceName,
  LogConfigurationType,
  LogDeliveryConfigurationType,
} from "../protocol/types.generated.js";
import type { AuthEventRecord } from "../store/auth-events.js";
import type { PoolRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";

/** What delivering needs: the pool's configuration, and the sinks. */
export interface LogServices {
  store: Store;
  logSinks: LogSinks;
}

type Destination = "CloudWatchLogsConfiguration" | "S3Configuration" | "FirehoseConfiguration";

const DESTINATIONS: readonly Destination[] = [
  "CloudWatchLogsConfiguration",
  "S3Configuration",
  "FirehoseConfiguration",
];

/** Each event source's level and destinations [DG][API]. */
const RULES: Record<EventSourceName, { level: "ERROR" | "INFO"; destinations: readonly Destination[] }> = {
  userNotification: { level: "ERROR", destinations: ["CloudWatchLogsConfiguration"] },
  userAuthEvents: { level: "INFO", destinations: DESTINATIONS },
};

/** The ARN each destination names, with the service (and resource) it must be of. */
const ARNS: Record<
  Destination,
  { arn: (c: LogConfigurationType) => string | undefined; shape: RegExp; what: string }
> = {
  CloudWatchLogsConfiguration: {
    arn: (c) => c.CloudWatchLogsConfiguration?.LogGroupArn,
    shape: /^arn:[^:]+:logs:[^:]+:\d+:log-group:[^:]+(:\*)?$/,
    what: "a CloudWatch Logs log group",
  },
  S3Configuration: {
    arn: (c) => c.S3Configuration?.BucketArn,
    shape: /^arn:[^:]+:s3:::[^:/]+$/,
    what: "an S3 bucket",
  },
  FirehoseConfiguration: {
    arn: (c) => c.FirehoseConfiguration?.StreamArn,
    shape: /^arn:[^:]+:firehose:[^:]+:\d+:deliverystream\/[^:]+$/,
    what: "a Firehose stream",
  },
};

function destinationsOf(configuration: LogConfigurationType): Destination[] {
  return DESTINATIONS.filter((d) => configuration[d] !== undefined);
}

/** The one ARN a configuration delivers to (it has been checked to have exactly one destination). */
function destinationArn(configuration: LogConfigurationType): string {
  const [destination] = destinationsOf(configuration);
  return ARNS[destination].arn(configuration) as string;
}

function checkConfiguration(pool: PoolRecord, configuration: LogConfigurationType): void {
  const { EventSource: source, LogLevel: level } = configuration;
  const rule = RULES[source];
  const destinations = destinationsOf(configuration);
  if (destinations.length !== 1) throw Errors.logDestinationCount();
  if (level !== rule.level) throw Errors.logLevelNotAllowed(source, rule.level);
  if (!rule.destinations.includes(destinations[0])) throw Errors.logDestinationNotAllowed(source);
  const { arn, shape, what } = ARNS[destinations[0]];
  const given = arn(configuration);
  if (!given || !shape.test(given)) throw Errors.logDestinationArn(given ?? "", what);
  // Auth events are threat protection's, a feature of the PLUS plan [MODEL, DG].
  if (source === "userAuthEvents" && pool.config.UserPoolTier !== "PLUS") {
    throw Errors.authEventLogsNotInTier(pool.config.UserPoolTier ?? "ESSENTIALS");
  }
}

/** SetLogDeliveryConfiguration's rules: one entry per event source, each with its level and one allowed destination. */
export function checkLogConfigurations(pool: PoolRecord, configurations: LogConfigurationType[]): void {
  const sources = new Set<string>();
  for (const configuration of configurations) {
    if (sources.has(configuration.EventSource)) throw Errors.logEventSourceTwice(configuration.EventSource);
    sources.add(configuration.EventSource);
    checkConfiguration(pool, configuration);
  }
}

export function logDeliveryConfiguration(
  poolId: string,
  configurations: LogConfigurationType[],
): LogDeliveryConfigurationType {
  return { UserPoolId: poolId, LogConfigurations: configurations };
}

/** Hands the record to the sink of the pool's destination for the event source, if it configured one. */
async function deliver(services: LogServices, poolId: string, source: EventSourceName, record: LogRecord) {
  const configuration = (await services.store.logDelivery.get(poolId)).find((c) => c.EventSource === source);
  if (configuration) await services.logSinks.deliver(poolId, destinationArn(configuration), record);
}

/** `eventTimestamp` is epoch milliseconds as a string [DG example]. */
const timestamp = (at: Date) => String(at.getTime());

/** A message that could not be sent, in the DG's userNotification shape. */
export async function logNotificationError(services: LogServices, poolId: string, details: string, at: Date) {
  await deliver(services, poolId, "userNotification", {
    eventTimestamp: timestamp(at),
    eventSource: "USER_NOTIFICATION",
    logLevel: "ERROR",
    message: { details },
    logSourceId: { userPoolId: poolId },
  });
}

/** An auth event, in the notification's envelope with AdminListUserAuthEvents' fields [UNDOC envelope]. */
export async function logAuthEvent(services: LogServices, event: AuthEventRecord) {
  await deliver(services, event.poolId, "userAuthEvents", {
    eventTimestamp: timestamp(event.createdAt),
    eventSource: "USER_AUTH_EVENTS",
    logLevel: "INFO",
    logSourceId: { userPoolId: event.poolId },
    message: {
      eventId: event.eventId,
      eventType: event.eventType,
      creationDate: event.createdAt.toISOString(),
      userName: event.username,
      userSub: event.sub || undefined,
      clientId: event.clientId ?? undefined,
      eventResponse: event.response,
      riskDecision: event.riskDecision,
      riskLevel: event.riskLevel,
      compromisedCredentialsDetected: event.compromised,
      challenges: event.challenges.map((c) => ({
        challengeName: c.ChallengeName,
        challengeResponse: c.ChallengeResponse,
      })),
      ipAddress: event.ip,
      deviceName: event.deviceName,
      timezone: event.timezone,
    },
  });
}
