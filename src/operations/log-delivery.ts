/** Log delivery: SetLogDeliveryConfiguration, GetLogDeliveryConfiguration (ADMINISTRATION.md §3). */
import { checkLogConfigurations, logDeliveryConfiguration } from "../domain/log-delivery.js";
import { requirePool } from "../domain/lookup.js";
import type { Handler, HandlerTable } from "./types.js";

const SetLogDeliveryConfiguration: Handler<"SetLogDeliveryConfiguration"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  checkLogConfigurations(pool, input.LogConfigurations);
  // An empty list stops every delivery.
  await store.logDelivery.put(pool.id, input.LogConfigurations, ctx.now);
  return { LogDeliveryConfiguration: logDeliveryConfiguration(pool.id, input.LogConfigurations) };
};

const GetLogDeliveryConfiguration: Handler<"GetLogDeliveryConfiguration"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  return {
    LogDeliveryConfiguration: logDeliveryConfiguration(pool.id, await store.logDelivery.get(pool.id)),
  };
};

export const logDeliveryHandlers = {
  SetLogDeliveryConfiguration,
  GetLogDeliveryConfiguration,
} satisfies HandlerTable;
