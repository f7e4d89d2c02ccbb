/**
 * Cognito's limits (ADMINISTRATION.md §4, LIMITS.md §1–§2), each OFF unless configured, so that a
 * local server never throttles by surprise: `"cognito"` takes Cognito's numbers, an object sets its
 * own (`"cognitoDefaults": true` fills in the ones it leaves out with Cognito's).
 */
import { z } from "zod";

/** The per-user hourly limits, named by the operation (ForgotPassword's covers ConfirmForgotPassword). */
export const USER_HOURLY_OPERATIONS = [
  "ForgotPassword",
  "ResendConfirmationCode",
  "ConfirmSignUp",
  "ChangePassword",
  "GetUserAttributeVerificationCode",
  "VerifyUserAttribute",
] as const;

/** Cognito's request-rate categories [DG quotas], and the challenge answers' own allowance. */
export const QUOTA_CATEGORIES = [
  "UserAuthentication",
  "UserCreation",
  "UserFederation",
  "UserAccountRecovery",
  "UserRead",
  "UserUpdate",
  "UserToken",
  "UserResourceRead",
  "UserResourceUpdate",
  "UserList",
  "UserPoolRead",
  "UserPoolUpdate",
  "UserPoolResourceRead",
  "UserPoolResourceUpdate",
  "UserPoolClientRead",
  "UserPoolClientUpdate",
  "ClientAuthentication",
  "LimitManagement",
] as const;

/** A limit: how many (per hour, or per second); 0 turns it off. */
const amount = z.number().min(0).max(1_000_000);

function limitSet<const Names extends readonly string[]>(names: Names) {
  const members = Object.fromEntries(names.map((name) => [name, amount.optional()])) as {
    [N in Names[number]]: z.ZodOptional<typeof amount>;
  };
  return z
    .union([
      z.literal(false),
      z.literal("cognito"),
      z.strictObject({ cognitoDefaults: z.boolean().default(false), ...members }),
    ])
    .default(false);
}

export const limitsConfigSchema = z
  .strictObject({
    /** Attempts per user per hour on code and password operations → LimitExceededException. */
    userHourly: limitSet(USER_HOURLY_OPERATIONS),
    /**
     * Requests per second per category, all pools together → TooManyRequestsException. Also
     * `perPoolOperation`: each operation of the pool-resource and client categories, per pool.
     */
    requestRates: limitSet([...QUOTA_CATEGORIES, "perPoolOperation"] as const),
  })
  .prefault({});

export type LimitsConfig = z.infer<typeof limitsConfigSchema>;

/**
 * The limits in force: name → amount, the configured ones with Cognito's numbers where asked
 * for; names without a positive amount are off.
 */
export function effectiveLimits<Name extends string>(
  set: false | "cognito" | ({ cognitoDefaults: boolean } & Partial<Record<Name, number>>),
  cognito: Record<Name, number>,
): Map<Name, number> {
  if (set === false) return new Map();
  const { cognitoDefaults, ...given } = set === "cognito" ? { cognitoDefaults: true } : set;
  const merged: Record<string, number | undefined> = { ...(cognitoDefaults ? cognito : {}), ...given };
  return new Map(Object.entries(merged).filter((entry): entry is [Name, number] => (entry[1] ?? 0) > 0));
}
