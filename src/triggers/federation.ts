/**
 * The inbound federation trigger (FEDERATION.md §2.8 step 1): before the attribute mapping, the
 * function sees what the provider answered and may give the attributes to map instead. A
 * non-empty `userAttributesToMap` replaces the provider's attributes (those it omits are dropped);
 * an empty one keeps them.
 */
import { z } from "zod";
import type { PoolRecord } from "../store/records.js";
import { callTrigger, type TriggerServices, triggerArn } from "./call.js";
import { inboundFederationEvent, type ProviderAnswer, type StringMap } from "./events.js";

const inboundFederationResponse = z.object({
  userAttributesToMap: z.record(z.string(), z.string()).nullish(),
});

export interface InboundFederationInput {
  pool: PoolRecord;
  clientId: string;
  /** The federated username, `<ProviderName>_<subject>`. */
  userName: string;
  providerName: string;
  providerType: string;
  answer: ProviderAnswer;
}

/** The attributes to map in place of the provider's, or undefined to keep the provider's. */
export async function runInboundFederation(
  services: TriggerServices,
  input: InboundFederationInput,
): Promise<StringMap | undefined> {
  const arn = triggerArn(input.pool, "InboundFederation");
  if (!arn) return undefined;
  const event = inboundFederationEvent(input, {
    providerName: input.providerName,
    providerType: input.providerType,
    attributes: input.answer,
  });
  const response = await callTrigger(services, "InboundFederation", arn, event, inboundFederationResponse);
  const replacement = response.userAttributesToMap ?? {};
  return Object.keys(replacement).length > 0 ? replacement : undefined;
}
