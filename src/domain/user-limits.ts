/**
 * The per-user hourly limits on code and password operations (ADMINISTRATION.md §4.3): beyond its
 * limit, an operation answers `LimitExceededException` `Attempt limit exceeded, please try after some
 * time.` and does nothing. Every attempt on an existing user counts, whether it succeeds or not, in
 * a sliding hour; attempts for names no user has are not counted [UNDOC]. Off unless configured.
 */
import { effectiveLimits, type USER_HOURLY_OPERATIONS } from "../config/limits.js";
import type { Services } from "../services.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { Errors } from "./errors.js";

export type UserHourlyOperation = (typeof USER_HOURLY_OPERATIONS)[number];

/** Cognito's numbers [DG quotas; ForgotPassword: 5 of its risk-dependent 5–20, OBS]. */
const COGNITO_USER_HOURLY: Record<UserHourlyOperation, number> = {
  ForgotPassword: 5,
  ResendConfirmationCode: 5,
  ConfirmSignUp: 15,
  ChangePassword: 5,
  GetUserAttributeVerificationCode: 5,
  VerifyUserAttribute: 15,
};

const HOUR_MS = 60 * 60 * 1000;

/**
 * Counts the user's attempt at the operation (ConfirmForgotPassword counts as ForgotPassword),
 * or refuses it when the user made the limit of them in the last hour.
 */
export async function countUserAttempt(
  services: Pick<Services, "store" | "config">,
  pool: PoolRecord,
  user: UserRecord,
  operation: UserHourlyOperation,
  now: Date,
): Promise<void> {
  const limit = effectiveLimits(services.config.limits.userHourly, COGNITO_USER_HOURLY).get(operation);
  if (limit === undefined) return;
  const since = new Date(now.getTime() - HOUR_MS);
  const allowed = await services.store.userAttempts.record(
    pool.id,
    user.usernameKey,
    operation,
    limit,
    since,
    now,
  );
  if (!allowed) throw Errors.attemptLimitExceeded();
}
