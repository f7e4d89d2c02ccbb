/**
 * Software tokens (TOTP MFA, CHALLENGES.md §3.4–§3.5): AssociateSoftwareToken makes a secret,
 * VerifySoftwareToken proves the user's authenticator has it, and sign-ins check its codes. The
 * secret is kept sealed under the server key; a code is accepted once: the time step it belongs to
 * is recorded as spent in the database, so every instance refuses it after.
 */
import { newTotpSecret, totpStepExpiry, totpTimeStep } from "../crypto/totp.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";
import { enabledPoolFactors, poolMfaFactors, type UserMfaSettings, userMfaSettings } from "./mfa.js";
import { serverSealer } from "./server-keys.js";

const SEAL_PURPOSE = "software-token-secret";

/** Association and verification need the pool's TOTP factor [DG TOTP]. */
export async function requireSoftwareTokenPool(store: Store, pool: PoolRecord): Promise<void> {
  const factors = enabledPoolFactors(pool, await poolMfaFactors(store, pool));
  if (!factors.has("SOFTWARE_TOKEN_MFA")) throw Errors.softwareTokenMfaNotEnabled();
}

/** A new secret: the base32 SecretCode for the client, and its sealed form for the store. */
export async function newSoftwareTokenSecret(store: Store): Promise<{ secretCode: string; sealed: string }> {
  const secretCode = newTotpSecret();
  const sealed = (await serverSealer(store)).seal(SEAL_PURPOSE, secretCode).toString("base64");
  return { secretCode, sealed };
}

/** A secret given whole (a seed file's), sealed for the store. */
export async function sealSoftwareTokenSecret(store: Store, secretCode: string): Promise<string> {
  return (await serverSealer(store)).seal(SEAL_PURPOSE, secretCode).toString("base64");
}

/** The base32 secret of a user's registered token (for an export that asks for secrets). */
export async function registeredSoftwareTokenSecret(
  store: Store,
  user: UserRecord,
): Promise<string | undefined> {
  const sealed = userMfaSettings(user).token?.sealedSecret;
  return sealed === undefined ? undefined : openSecret(store, sealed);
}

async function openSecret(store: Store, sealed: string): Promise<string> {
  const secret = (await serverSealer(store)).open<string>(SEAL_PURPOSE, Buffer.from(sealed, "base64"));
  if (typeof secret !== "string") throw new Error("a stored software token secret does not open");
  return secret;
}

/**
 * The time step whose code `code` is, for the sealed secret, around `now`; undefined when the code
 * is wrong. Whether the step was used already is `spendSoftwareTokenStep`'s to say.
 */
export async function softwareTokenStep(
  store: Store,
  sealedSecret: string,
  code: string,
  now: Date,
): Promise<number | undefined> {
  return totpTimeStep(await openSecret(store, sealedSecret), code, now);
}

/**
 * Spends the user's time step: false when it was spent before (by this user, on any instance) —
 * the code is then refused. Call it in the transaction of what the code unlocks, so that a failure
 * of either undoes both.
 */
export async function spendSoftwareTokenStep(
  tx: Store,
  pool: PoolRecord,
  user: UserRecord,
  step: number,
  now: Date,
): Promise<boolean> {
  return tx.totpSpentSteps.spend(pool.id, user.sub, step, now, totpStepExpiry(step));
}

/** The user's settings once a token is proven: registered, turned on, and named. */
export function withVerifiedToken(
  settings: UserMfaSettings,
  sealedSecret: string,
  friendlyName: string | undefined,
  now: Date,
): UserMfaSettings {
  const { pendingToken: _pending, ...rest } = settings;
  return {
    ...rest,
    softwareToken: true,
    token: { sealedSecret, friendlyName, verifiedAt: now.getTime() },
  };
}

/**
 * Checks the code against the secret being enrolled and, in the same transaction, spends its time
 * step and applies `effects`; a wrong or spent code is `Code mismatch and fail enable Software
 * Token MFA` and changes nothing.
 */
export async function proveSoftwareTokenSecret(
  store: Store,
  target: { pool: PoolRecord; user: UserRecord; sealedSecret: string; code: string; now: Date },
  effects: (tx: Store) => Promise<void>,
): Promise<void> {
  const { pool, user, sealedSecret, code, now } = target;
  const step = await softwareTokenStep(store, sealedSecret, code, now);
  if (step === undefined) throw Errors.softwareTokenVerifyMismatch();
  await store.transaction(async (tx) => {
    if (!(await spendSoftwareTokenStep(tx, pool, user, step, now)))
      throw Errors.softwareTokenVerifyMismatch();
    await effects(tx);
  });
}
