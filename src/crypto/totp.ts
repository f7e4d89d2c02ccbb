/**
 * TOTP (RFC 6238) as Cognito's software tokens use it: HMAC-SHA1, 30-second steps, 6 digits,
 * codes of the previous and the next step accepted too [DG TOTP]. Secrets are 32 random bytes from
 * the CSPRNG in upper-case base32 without padding (52 characters), as Cognito's SecretCode.
 */
import { randomBytes } from "node:crypto";
import { ScureBase32Plugin, verify } from "otplib";

const SECRET_BYTES = 32;
export const TOTP_PERIOD_SECONDS = 30;
/** How far from the server's step a code may be: one step either way. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;

const base32 = new ScureBase32Plugin();

export function newTotpSecret(): string {
  return base32.encode(randomBytes(SECRET_BYTES), { padding: false });
}

/**
 * The time step whose code `code` is, within the tolerance around `now`; undefined when it is the
 * code of none of them (or not six digits). The comparison is constant-time (otplib).
 */
export async function totpTimeStep(secret: string, code: string, now: Date): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    period: TOTP_PERIOD_SECONDS,
  });
  // TOTP results carry the step; the union type also covers HOTP's.
  return result.valid && "timeStep" in result ? result.timeStep : undefined;
}

/** When a step's code can no longer be accepted, so its record of use can be forgotten. */
export function totpStepExpiry(timeStep: number): Date {
  return new Date((timeStep + 2) * TOTP_PERIOD_SECONDS * 1000 + TOLERANCE_SECONDS * 1000);
}
