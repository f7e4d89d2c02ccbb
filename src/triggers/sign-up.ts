/** PreSignUp and PostConfirmation (TRIGGERS.md §4; DG pre sign-up, post confirmation). */
import { z } from "zod";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { callTrigger, type TriggerServices, triggerArn } from "./call.js";
import {
  eventUserAttributes,
  type PostConfirmationSource,
  type PreSignUpSource,
  postConfirmationEvent,
  preSignUpEvent,
  type StringMap,
} from "./events.js";

const preSignUpResponse = z.object({
  autoConfirmUser: z.boolean().nullish(),
  autoVerifyEmail: z.boolean().nullish(),
  autoVerifyPhone: z.boolean().nullish(),
});

/** What the PreSignUp function decided; all false when the pool has none. */
export interface PreSignUpDecision {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

const NO_DECISION: PreSignUpDecision = {
  autoConfirmUser: false,
  autoVerifyEmail: false,
  autoVerifyPhone: false,
};

export interface PreSignUpInput {
  pool: PoolRecord;
  /** Absent for AdminCreateUser. */
  clientId?: string;
  source: PreSignUpSource;
  /** The new user's username (the generated one in email / phone-as-username pools). */
  userName: string;
  /** The attributes the user is being created with. */
  attributes: StringMap;
  validationData?: StringMap;
  clientMetadata?: StringMap;
}

/** Runs before the user is stored; a function error refuses the sign-up. */
export async function runPreSignUp(
  services: TriggerServices,
  input: PreSignUpInput,
): Promise<PreSignUpDecision> {
  const arn = triggerArn(input.pool, "PreSignUp");
  if (!arn) return NO_DECISION;
  const event = preSignUpEvent(input, input.source, {
    userAttributes: input.attributes,
    validationData: input.validationData ?? null,
    clientMetadata: input.clientMetadata ?? {},
  });
  const response = await callTrigger(services, "PreSignUp", arn, event, preSignUpResponse);
  return {
    autoConfirmUser: response.autoConfirmUser === true,
    autoVerifyEmail: response.autoVerifyEmail === true,
    autoVerifyPhone: response.autoVerifyPhone === true,
  };
}

export interface PostConfirmationInput {
  pool: PoolRecord;
  clientId?: string;
  source: PostConfirmationSource;
  /** The user as confirmed (status CONFIRMED). */
  user: UserRecord;
  clientMetadata?: StringMap;
}

/** Runs after the confirmation is stored: an error reaches the caller, the user stays confirmed [OBS]. */
export async function runPostConfirmation(
  services: TriggerServices,
  input: PostConfirmationInput,
): Promise<void> {
  const arn = triggerArn(input.pool, "PostConfirmation");
  if (!arn) return;
  const event = postConfirmationEvent({ ...input, userName: input.user.username }, input.source, {
    userAttributes: eventUserAttributes(input.pool, input.user),
    clientMetadata: input.clientMetadata ?? {},
  });
  await callTrigger(services, "PostConfirmation", arn, event, z.object({}));
}
