/**
 * Threat-protection operations: the risk configuration of a pool or client, a user's auth event
 * history, and feedback on an event. All need the pool's threat protection on (UserPoolAddOns).
 */
import {
  FEEDBACK_PROVIDER,
  giveUserFeedback,
  listUserAuthEvents,
  recordFeedback,
  requireUserEvent,
} from "../domain/auth-events.js";
import { requireClient, requirePool } from "../domain/lookup.js";
import {
  assertAddOnsEnabled,
  clientOfRequest,
  describeRiskConfiguration,
  effectiveRiskConfiguration,
  newRiskConfiguration,
} from "../domain/threat-protection.js";
import { requireUser } from "../domain/users.js";
import type { Store } from "../store/store.js";
import type { Handler, HandlerTable } from "./types.js";

async function protectedPool(store: Store, poolId: string) {
  const pool = await requirePool(store, poolId);
  assertAddOnsEnabled(pool);
  return pool;
}

const setRiskConfiguration: Handler<"SetRiskConfiguration"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await protectedPool(store, input.UserPoolId);
  const clientId = clientOfRequest(input.ClientId);
  if (clientId !== undefined) await requireClient(store, pool.id, clientId);
  const record = { poolId: pool.id, clientId, config: newRiskConfiguration(input), updatedAt: ctx.now };
  await store.riskConfigurations.put(record);
  return { RiskConfiguration: describeRiskConfiguration(pool.id, record) };
};

const describeRiskConfigurationHandler: Handler<"DescribeRiskConfiguration"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await protectedPool(store, input.UserPoolId);
  const clientId = clientOfRequest(input.ClientId);
  if (clientId !== undefined) await requireClient(store, pool.id, clientId);
  const found = await effectiveRiskConfiguration(store, pool.id, clientId);
  return { RiskConfiguration: describeRiskConfiguration(pool.id, found) };
};

const adminListUserAuthEvents: Handler<"AdminListUserAuthEvents"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await protectedPool(store, input.UserPoolId);
  const user = await requireUser(store, pool, input.Username);
  return listUserAuthEvents(store, pool, user, input.MaxResults, input.NextToken);
};

const adminUpdateAuthEventFeedback: Handler<"AdminUpdateAuthEventFeedback"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await protectedPool(store, input.UserPoolId);
  const user = await requireUser(store, pool, input.Username);
  const event = await requireUserEvent(store, pool, user, input.EventId);
  await recordFeedback(store, event, input.FeedbackValue, FEEDBACK_PROVIDER.admin, ctx.now);
  return {};
};

/** The user's own feedback, with the token of the notification message (no credentials). */
const updateAuthEventFeedback: Handler<"UpdateAuthEventFeedback"> = async (input, ctx) => {
  await giveUserFeedback(ctx.services.store, {
    poolId: input.UserPoolId,
    username: input.Username,
    eventId: input.EventId,
    feedbackToken: input.FeedbackToken,
    value: input.FeedbackValue,
    now: ctx.now,
  });
  return {};
};

export const riskHandlers = {
  SetRiskConfiguration: setRiskConfiguration,
  DescribeRiskConfiguration: describeRiskConfigurationHandler,
  AdminListUserAuthEvents: adminListUserAuthEvents,
  AdminUpdateAuthEventFeedback: adminUpdateAuthEventFeedback,
  UpdateAuthEventFeedback: updateAuthEventFeedback,
} satisfies HandlerTable;
