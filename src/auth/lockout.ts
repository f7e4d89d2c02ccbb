/**
 * The failed-password lockout (ADMIN_INITIATE_AUTH.md §17, LIMITS.md §3): from the 5th consecutive
 * failure the user is locked for 2^(n−5) seconds, capped at 15 minutes; attempts while locked are
 * refused without being counted; a correct password, or 15 minutes without a failure, resets the
 * count. Time is always the caller's `now`, so the rule can be exercised without waiting.
 */
import { Errors } from "../domain/errors.js";
import type { LockoutRecord } from "../store/lockouts.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";

export const FAILURES_BEFORE_LOCK = 5;
/** The cap of a single lock [UNDOC: AWS says "about 15 minutes"]. */
export const MAX_LOCK_SECONDS = 15 * 60;
/** After this long without a failed attempt the count starts again. */
export const IDLE_RESET_MS = 15 * 60 * 1000;

/** How long the n-th consecutive failure locks the user, in seconds (0 below the threshold). */
export function lockSeconds(failures: number): number {
  if (failures < FAILURES_BEFORE_LOCK) return 0;
  return Math.min(2 ** (failures - FAILURES_BEFORE_LOCK), MAX_LOCK_SECONDS);
}

/** Reads the counter and refuses the attempt while a lock is in force; returns what it read. */
export async function assertNotLocked(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  now: Date,
): Promise<LockoutRecord | undefined> {
  const record = await store.lockouts.get(pool.id, user.usernameKey);
  if (record?.lockedUntil && now < record.lockedUntil) throw Errors.passwordAttemptsExceeded();
  return record;
}

/** Counts a wrong password and locks the user from the 5th in a row. */
export async function recordFailedPassword(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  now: Date,
): Promise<void> {
  await store.transaction(async (tx) => {
    const failures = await tx.lockouts.addFailure(pool.id, user.usernameKey, now, IDLE_RESET_MS);
    const seconds = lockSeconds(failures);
    if (seconds > 0)
      await tx.lockouts.setLockedUntil(pool.id, user.usernameKey, new Date(now.getTime() + seconds * 1000));
  });
}

/** A correct password clears the count (only a user who has one costs a write). */
export async function recordCorrectPassword(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  known: LockoutRecord | undefined,
): Promise<void> {
  if (known) await store.lockouts.delete(pool.id, user.usernameKey);
}
