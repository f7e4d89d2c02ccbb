/**
 * Passwords: the pool's policy, the history it keeps, temporary passwords, and the SRP salt and
 * verifier that are the only form in which a password is ever kept.
 */
import { randomInt } from "node:crypto";
import { computeVerifier, passwordMatches } from "../crypto/srp.js";
import type { PasswordVerifier, PoolRecord, UserRecord } from "../store/records.js";
import { Errors } from "./errors.js";
import { passwordPolicy } from "./pools.js";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
/** The special characters Cognito counts as symbols [DG], the space included. */
const SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";
/** Symbols in generated passwords: none that need quoting in a shell, an email or a URL. */
const GENERATED_SYMBOLS = "!#%&*+-=?@^_~";

/** Shortest temporary password we generate, even when the policy allows shorter. */
const MIN_GENERATED_LENGTH = 12;

/** `SignUp` words the policy message differently from every other operation [OBS]. */
export type PolicyWording = "does not conform" | "did not conform";

const hasAny = (password: string, alphabet: string) => [...password].some((c) => alphabet.includes(c));

/** The first rule of the policy the password breaks, in Cognito's words, or undefined. */
function policyViolation(pool: PoolRecord, password: string): string | undefined {
  const policy = passwordPolicy(pool);
  if ([...password].length < policy.MinimumLength) return "Password not long enough";
  if (policy.RequireLowercase && !hasAny(password, LOWER)) return "Password must have lowercase characters";
  if (policy.RequireUppercase && !hasAny(password, UPPER)) return "Password must have uppercase characters";
  if (policy.RequireNumbers && !hasAny(password, DIGITS)) return "Password must have numeric characters";
  if (policy.RequireSymbols && !hasAny(password, SYMBOLS)) return "Password must have symbol characters";
  return undefined;
}

/** Throws `InvalidPasswordException` with Cognito's message when the password breaks the policy. */
export function checkPasswordPolicy(
  pool: PoolRecord,
  password: string,
  wording: PolicyWording = "does not conform",
): void {
  const violation = policyViolation(pool, password);
  if (violation === undefined) return;
  throw wording === "did not conform"
    ? Errors.passwordPolicySignUp(violation)
    : Errors.passwordPolicy(violation);
}

/** The passwords the history forbids: the current one and the earlier ones, `size` in all. */
function rememberedPasswords(user: UserRecord, size: number): PasswordVerifier[] {
  const all = user.password ? [user.password, ...user.passwordHistory] : user.passwordHistory;
  return all.slice(0, size);
}

function checkPasswordHistory(pool: PoolRecord, user: UserRecord, password: string): void {
  const size = passwordPolicy(pool).PasswordHistorySize;
  if (!size) return;
  for (const earlier of rememberedPasswords(user, size)) {
    if (passwordMatches(user.poolId, user.username, password, earlier)) throw Errors.passwordReused();
  }
}

export interface SetPasswordOptions {
  now: Date;
  /** A temporary password puts the user in FORCE_CHANGE_PASSWORD. */
  temporary?: boolean;
  /** false skips the policy (passwords the user already had, e.g. from the migration trigger). */
  checkPolicy?: boolean;
  /** How the policy message is worded (SignUp's differs). */
  wording?: PolicyWording;
}

/** The status a user has after a password is set. */
function statusAfterPassword(user: UserRecord, temporary: boolean): UserRecord["status"] {
  if (temporary) return "FORCE_CHANGE_PASSWORD";
  // A permanent password ends a forced change or a reset; it does not confirm a sign-up.
  if (user.status === "FORCE_CHANGE_PASSWORD" || user.status === "RESET_REQUIRED") return "CONFIRMED";
  return user.status;
}

/**
 * The user with a new password: policy and history checked, a fresh salt and verifier, the old
 * verifier moved into the history the pool keeps, the status moved on (temporary → FORCE_CHANGE_PASSWORD;
 * permanent ends FORCE_CHANGE_PASSWORD and RESET_REQUIRED; UNCONFIRMED stays). The caller saves it.
 */
export function setPassword(
  pool: PoolRecord,
  user: UserRecord,
  password: string,
  options: SetPasswordOptions,
): UserRecord {
  if (options.checkPolicy !== false) checkPasswordPolicy(pool, password, options.wording);
  checkPasswordHistory(pool, user, password);
  const keep = Math.max(passwordPolicy(pool).PasswordHistorySize - 1, 0);
  const earlier = user.password ? [{ salt: user.password.salt, verifier: user.password.verifier }] : [];
  return {
    ...user,
    password: { ...computeVerifier(user.poolId, user.username, password), setAt: options.now },
    passwordHistory: [...earlier, ...user.passwordHistory].slice(0, keep),
    status: statusAfterPassword(user, options.temporary === true),
    updatedAt: options.now,
  };
}

/** The user with a verifier carried over from another Cognate (an export's password hash): CONFIRMED. */
export function withCarriedVerifier(user: UserRecord, verifier: PasswordVerifier, now: Date): UserRecord {
  return { ...user, password: { ...verifier, setAt: now }, status: "CONFIRMED", updatedAt: now };
}

/**
 * The user without any password, as a user import leaves one: RESET_REQUIRED, until a password
 * reset or a lazy migration from the pool's source gives one.
 */
export function withoutPassword(user: UserRecord, now: Date): UserRecord {
  return { ...user, password: null, status: "RESET_REQUIRED", updatedAt: now };
}

/** True when the password is the user's current one (constant-time comparison of verifiers). */
export function isCurrentPassword(user: UserRecord, password: string): boolean {
  return user.password !== null && passwordMatches(user.poolId, user.username, password, user.password);
}

/** The moment a temporary password stops working (TemporaryPasswordValidityDays after it was set). */
export function temporaryPasswordExpiry(pool: PoolRecord, user: UserRecord): Date | undefined {
  if (!user.password) return undefined;
  const days = passwordPolicy(pool).TemporaryPasswordValidityDays;
  return new Date(user.password.setAt.getTime() + days * 24 * 60 * 60 * 1000);
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)];
}

/** Fisher–Yates with the CSPRNG, so the required characters are not always first. */
function shuffle(chars: string[]): string[] {
  const out = [...chars];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** A random temporary password that satisfies the pool's policy (one of every class, CSPRNG). */
export function generateTemporaryPassword(pool: PoolRecord): string {
  const length = Math.max(passwordPolicy(pool).MinimumLength, MIN_GENERATED_LENGTH);
  const required = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(GENERATED_SYMBOLS)];
  const all = UPPER + LOWER + DIGITS + GENERATED_SYMBOLS;
  const rest = Array.from({ length: length - required.length }, () => pick(all));
  return shuffle([...required, ...rest]).join("");
}
