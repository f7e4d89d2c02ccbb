/**
 * Step 12 for the plaintext-password flows: the PASSWORD against the user's SRP verifier (one
 * modular exponentiation, constant-time comparison). A wrong password counts towards the lockout;
 * a right one clears the count and fixes the time of authentication.
 */
import { computeVerifier } from "../../crypto/srp.js";
import { Errors } from "../../domain/errors.js";
import { isCurrentPassword } from "../../domain/passwords.js";
import type { PoolRecord, UserRecord } from "../../store/records.js";
import { recordCorrectPassword, recordFailedPassword } from "../lockout.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";

/** Cognito's service-wide maximum: longer passwords never match [OBS spike C08/C09]. */
export const MAX_PASSWORD_LENGTH = 256;

/** A fixed salt for the work done on behalf of users that do not exist. */
const SIMULATION_SALT = "5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e";

async function passwordIsCorrect(user: UserRecord, password: string): Promise<boolean> {
  if ([...password].length > MAX_PASSWORD_LENGTH) return false;
  return isCurrentPassword(user, password);
}

/** The same exponentiation a real check costs, so an unknown user is not told apart by time. */
export async function simulatePasswordCheck(
  pool: PoolRecord,
  username: string,
  password: string | undefined,
): Promise<void> {
  if (password === undefined || [...password].length > MAX_PASSWORD_LENGTH) return;
  computeVerifier(pool.id, username, password, SIMULATION_SALT);
}

export const verifyPassword: Step = async (signIn: SignIn) => {
  const { services, pool, now } = signIn;
  const user = resolvedUser(signIn);
  if (!(await passwordIsCorrect(user, signIn.request.parameters.PASSWORD))) {
    await recordFailedPassword(services.store, pool, user, now);
    throw Errors.incorrectUsernameOrPassword();
  }
  await recordCorrectPassword(services.store, pool, user, signIn.lockout);
  signIn.authTime = now;
  return undefined;
};
