/**
 * Step 12 for the plaintext-password flows: the PASSWORD against the user's SRP verifier (one
 * modular exponentiation, constant-time comparison). A wrong password counts towards the lockout;
 * a right one clears the count and fixes the time of authentication.
 */
import { sameBytes } from "../../crypto/compare.js";
import { g, padHex, passwordExponent, srpPoolName } from "../../crypto/srp.js";
import { Errors } from "../../domain/errors.js";
import type { Services } from "../../services.js";
import type { UserRecord } from "../../store/records.js";
import { recordCorrectPassword, recordFailedPassword } from "../lockout.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";
import { srpMathOf } from "../srp-proof.js";

/** Cognito's service-wide maximum: longer passwords never match [OBS spike C08/C09]. */
export const MAX_PASSWORD_LENGTH = 256;

/** A fixed salt for the work done on behalf of users that do not exist. */
const SIMULATION_SALT = "5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e";

/**
 * The verifier `password` would have under `salt` (srp.ts's computeVerifier), with the
 * exponentiation on the SRP worker threads so that sign-ins under load do not hold the event loop.
 */
async function verifierFor(
  services: Services,
  poolId: string,
  username: string,
  password: string,
  salt: string,
): Promise<Buffer> {
  const x = passwordExponent(srpPoolName(poolId), username, password, salt);
  return Buffer.from(padHex(await srpMathOf(services).pow(g, x)), "hex");
}

async function passwordMatches(services: Services, user: UserRecord, password: string): Promise<boolean> {
  const stored = user.password;
  if (!stored || [...password].length > MAX_PASSWORD_LENGTH) return false;
  const candidate = await verifierFor(services, user.poolId, user.username, password, stored.salt);
  const expected = Buffer.from(stored.verifier, "hex");
  return sameBytes(candidate, expected);
}

/** The same exponentiation a real check costs, so an unknown user is not told apart by time. */
export async function simulatePasswordCheck(
  services: Services,
  poolId: string,
  username: string,
  password: string | undefined,
): Promise<void> {
  if (password === undefined || [...password].length > MAX_PASSWORD_LENGTH) return;
  await verifierFor(services, poolId, username, password, SIMULATION_SALT);
}

export const verifyPassword: Step = async (signIn: SignIn) => {
  const { services, pool, now } = signIn;
  const user = resolvedUser(signIn);
  if (!(await passwordMatches(services, user, signIn.request.parameters.PASSWORD))) {
    await recordFailedPassword(services.store, pool, user, now);
    throw Errors.incorrectUsernameOrPassword();
  }
  await recordCorrectPassword(services.store, pool, user, signIn.lockout);
  signIn.authTime = now;
  return undefined;
};
