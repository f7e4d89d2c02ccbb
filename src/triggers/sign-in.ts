/** PreAuthentication, PostAuthentication and UserMigration (TRIGGERS.md §4.1, §4.2, §4.7). */
import { z } from "zod";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { callTrigger, type TriggerServices, triggerArn } from "./call.js";
import {
  eventUserAttributes,
  postAuthenticationEvent,
  preAuthenticationEvent,
  type StringMap,
  type UserMigrationSource,
  userMigrationEvent,
} from "./events.js";

/** Triggers whose response Cognito does not read still must return the event. */
const ANY_RESPONSE = z.object({});

export interface PreAuthenticationInput {
  pool: PoolRecord;
  clientId: string;
  /** The user, or what the caller typed for a user that does not exist. */
  user: UserRecord | { unknownName: string };
  /** InitiateAuth's ClientMetadata, which this trigger gets as `validationData`. */
  validationData?: StringMap;
  /** Whether the client hides user existence: only then does the event carry `userNotFound`. */
  preventUserExistenceErrors: boolean;
}

/** Runs before the password is checked; a function error refuses the sign-in. */
export async function runPreAuthentication(
  services: TriggerServices,
  input: PreAuthenticationInput,
): Promise<void> {
  const arn = triggerArn(input.pool, "PreAuthentication");
  if (!arn) return;
  const known = "sub" in input.user ? input.user : undefined;
  const userName = known ? known.username : (input.user as { unknownName: string }).unknownName;
  const event = preAuthenticationEvent(
    { pool: input.pool, clientId: input.clientId, userName },
    {
      userAttributes: known ? eventUserAttributes(input.pool, known) : {},
      validationData: input.validationData ?? null,
      ...(input.preventUserExistenceErrors && { userNotFound: !known }),
    },
  );
  await callTrigger(services, "PreAuthentication", arn, event, ANY_RESPONSE);
}

export interface PostAuthenticationInput {
  pool: PoolRecord;
  clientId: string;
  user: UserRecord;
  /** RespondToAuthChallenge's ClientMetadata (InitiateAuth's is not passed on). */
  clientMetadata?: StringMap;
  /** The sign-in tracks a new device (NewDeviceMetadata); only pools that remember devices do [DG]. */
  newDeviceUsed: boolean;
}

/** Runs after every challenge is passed, before tokens; a function error fails the sign-in. */
export async function runPostAuthentication(
  services: TriggerServices,
  input: PostAuthenticationInput,
): Promise<void> {
  const arn = triggerArn(input.pool, "PostAuthentication");
  if (!arn) return;
  const event = postAuthenticationEvent(
    { pool: input.pool, clientId: input.clientId, userName: input.user.username },
    {
      userAttributes: eventUserAttributes(input.pool, input.user),
      newDeviceUsed: input.newDeviceUsed,
      clientMetadata: input.clientMetadata ?? {},
    },
  );
  await callTrigger(services, "PostAuthentication", arn, event, ANY_RESPONSE);
}

const userMigrationResponse = z.object({
  userAttributes: z.record(z.string(), z.string()).nullish(),
  finalUserStatus: z.enum(["CONFIRMED", "RESET_REQUIRED"]).nullish(),
  messageAction: z.enum(["SUPPRESS", "RESEND"]).nullish(),
  desiredDeliveryMediums: z.array(z.enum(["EMAIL", "SMS"])).nullish(),
  forceAliasCreation: z.boolean().nullish(),
  enableSMSMFA: z.boolean().nullish(),
});

/** The user the migration function vouches for, to be created as it says. */
export interface MigratedUser {
  attributes: StringMap;
  /** Unset means CONFIRMED at sign-in [DG]; a user migrated by ForgotPassword must reset. */
  finalUserStatus?: "CONFIRMED" | "RESET_REQUIRED";
  /** SUPPRESS: no welcome message. */
  messageAction?: "SUPPRESS" | "RESEND";
  /** Unset: SMS to a user with a phone number, else email. */
  desiredDeliveryMediums?: ("EMAIL" | "SMS")[];
  forceAliasCreation: boolean;
  enableSMSMFA: boolean;
}

export interface UserMigrationInput {
  pool: PoolRecord;
  clientId: string;
  source: UserMigrationSource;
  /** What the caller typed: a username or an alias. */
  userName: string;
  /** The plaintext password of the sign-in (UserMigration_Authentication). */
  password?: string;
  /** InitiateAuth's ClientMetadata arrives as validationData; ForgotPassword's as clientMetadata. */
  validationData?: StringMap;
  clientMetadata?: StringMap;
}

/**
 * Asks the migration function about a user this pool does not know. Undefined when the pool has no
 * such function, or when it answered without attributes (the user stays unknown) [DG].
 */
export async function runUserMigration(
  services: TriggerServices,
  input: UserMigrationInput,
): Promise<MigratedUser | undefined> {
  const arn = triggerArn(input.pool, "UserMigration");
  if (!arn) return undefined;
  const event = userMigrationEvent(
    { pool: input.pool, clientId: input.clientId, userName: input.userName },
    input.source,
    {
      ...(input.password !== undefined && { password: input.password }),
      validationData: input.validationData ?? null,
      clientMetadata: input.clientMetadata ?? {},
    },
  );
  const response = await callTrigger(services, "UserMigration", arn, event, userMigrationResponse);
  if (!response.userAttributes || Object.keys(response.userAttributes).length === 0) return undefined;
  return {
    attributes: response.userAttributes,
    finalUserStatus: response.finalUserStatus ?? undefined,
    messageAction: response.messageAction ?? undefined,
    desiredDeliveryMediums: response.desiredDeliveryMediums ?? undefined,
    forceAliasCreation: response.forceAliasCreation === true,
    enableSMSMFA: response.enableSMSMFA === true,
  };
}
