/**
 * The stand-in for a user that does not exist, in custom authentication for clients that hide user
 * existence (PreventUserExistenceErrors=ENABLED): the triggers run with `userNotFound: true` and
 * decide the outcome [DG], so the sign-in goes on with this record, which is never stored and
 * can never be issued tokens.
 */
import { newUuid } from "../crypto/random.js";
import { usernameKey } from "../domain/pools.js";
import type { PoolRecord, UserRecord } from "../store/records.js";

/** No longer used by Cognito for real users, so it marks the stand-in [MODEL UserStatusType]. */
const STAND_IN_STATUS = "UNKNOWN";

export function unknownUser(pool: PoolRecord, typedName: string, now: Date): UserRecord {
  return {
    poolId: pool.id,
    username: typedName,
    usernameKey: usernameKey(pool, typedName),
    sub: newUuid(),
    status: STAND_IN_STATUS,
    enabled: true,
    attributes: {},
    password: null,
    passwordHistory: [],
    extra: { userNotFound: true },
    createdAt: now,
    updatedAt: now,
  };
}

export function isUnknownUser(user: UserRecord): boolean {
  return user.status === STAND_IN_STATUS && user.extra.userNotFound === true;
}

/**
 * The Session state key of a simulated PASSWORD_VERIFIER's USER_ID_FOR_SRP: its answer names it as
 * USERNAME, as a real user's answer names the username.
 */
export const SIMULATED_SRP_USER_ID = "simulatedSrpUserId";

/** What a Session keeps to bring the stand-in back when the challenge is answered. */
export function unknownUserState(user: UserRecord): Record<string, unknown> {
  return isUnknownUser(user) ? { unknownName: user.username } : {};
}

/** The stand-in a Session was opened for, if it was. */
export function unknownUserOfSession(
  pool: PoolRecord,
  state: Record<string, unknown>,
  now: Date,
): UserRecord | undefined {
  return typeof state.unknownName === "string" ? unknownUser(pool, state.unknownName, now) : undefined;
}
