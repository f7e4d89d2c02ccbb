/**
 * Choice-based sign-in (USER_AUTH, ADMIN_INITIATE_AUTH.md §5.5): which first factors a user may
 * choose from. The pool's SignInPolicy allows some (PASSWORD stands for both PASSWORD and
 * PASSWORD_SRP); the user can use those it has what for; MFA and the account's state narrow them.
 * Only the ESSENTIALS and PLUS feature plans offer choice-based sign-in and passwordless factors.
 */
import type { AuthFactorType, ChallengeNameType, UserPoolTierType } from "../protocol/types.generated.js";
import type { PoolConfig, PoolRecord, UserRecord } from "../store/records.js";
import { Errors } from "./errors.js";

/** The challenges USER_AUTH can start with; PREFERRED_CHALLENGE and SELECT_CHALLENGE's ANSWER name one. */
export type FirstFactor = Extract<
  ChallengeNameType,
  "PASSWORD_SRP" | "PASSWORD" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN"
>;

/** The order AvailableChallenges lists them in [OBS API examples]. */
export const FIRST_FACTORS: readonly FirstFactor[] = [
  "PASSWORD_SRP",
  "PASSWORD",
  "EMAIL_OTP",
  "SMS_OTP",
  "WEB_AUTHN",
];

export const PASSWORD_FACTORS: readonly FirstFactor[] = ["PASSWORD_SRP", "PASSWORD"];
export const OTP_FACTORS: readonly FirstFactor[] = ["EMAIL_OTP", "SMS_OTP"];

export function isFirstFactor(name: string | undefined): name is FirstFactor {
  return (FIRST_FACTORS as readonly string[]).includes(name ?? "");
}

export function isPasswordFactor(factor: FirstFactor): boolean {
  return PASSWORD_FACTORS.includes(factor);
}

/** The pool's AllowedFirstAuthFactors; a pool that sets none allows the password [MODEL default]. */
export function allowedFirstAuthFactors(pool: PoolRecord): AuthFactorType[] {
  return pool.config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ["PASSWORD"];
}

/** The sign-in-policy factor that allows a first factor. */
function policyFactorOf(factor: FirstFactor): AuthFactorType {
  return isPasswordFactor(factor) ? "PASSWORD" : (factor as AuthFactorType);
}

function tierOf(config: PoolConfig): UserPoolTierType {
  return config.UserPoolTier ?? "ESSENTIALS";
}

/** USER_AUTH needs the ESSENTIALS or PLUS feature plan [DG, MODEL ExplicitAuthFlows doc]. */
export function offersChoiceBasedSignIn(pool: PoolRecord): boolean {
  return tierOf(pool.config) !== "LITE";
}

export function checkChoiceBasedSignInTier(pool: PoolRecord): void {
  if (!offersChoiceBasedSignIn(pool)) throw Errors.choiceBasedSignInUnavailableInTier();
}

/**
 * CreateUserPool / UpdateUserPool: passwordless first factors need the ESSENTIALS or PLUS feature
 * plan; a LITE pool may allow the password only [DG feature plans].
 */
export function checkSignInPolicyTier(config: PoolConfig): void {
  const factors = config.Policies?.SignInPolicy?.AllowedFirstAuthFactors ?? [];
  if (tierOf(config) === "LITE" && factors.some((factor) => factor !== "PASSWORD")) {
    throw Errors.passwordlessUnavailableInTier();
  }
}

/** What a user has for each first factor, besides the pool's permission. */
export interface UserFactorFacts {
  /** Passkeys registered for the pool's current relying party. */
  passkeys: number;
  /** Whether a passkey sign-in is the user's MFA (domain/webauthn.ts `passkeyIsMfa`). */
  passkeyIsMfa: boolean;
  /** Whether the user has an MFA factor configured (OPTIONAL pools then keep to the password). */
  hasMfa: boolean;
}

function userCan(user: UserRecord, factor: FirstFactor, facts: UserFactorFacts): boolean {
  switch (factor) {
    case "PASSWORD":
    case "PASSWORD_SRP":
      return user.password !== null;
    case "EMAIL_OTP":
      return Boolean(user.attributes.email);
    case "SMS_OTP":
      return Boolean(user.attributes.phone_number);
    case "WEB_AUTHN":
      return facts.passkeys > 0;
  }
}

/**
 * MFA decides between password and passwordless: with MFA ON, or OPTIONAL for a user who set up a
 * factor, only the password is offered, so that the second factor can follow it [DG MFA]; and the
 * passkey where it is the user's MFA, as its user-verified assertion is multi-factor itself [API].
 */
function mfaAllows(pool: PoolRecord, factor: FirstFactor, facts: UserFactorFacts): boolean {
  if (isPasswordFactor(factor)) return true;
  if (factor === "WEB_AUTHN" && facts.passkeyIsMfa) return true;
  const mfa = pool.config.MfaConfiguration ?? "OFF";
  return mfa === "OFF" || (mfa === "OPTIONAL" && !facts.hasMfa);
}

/**
 * The account's state: an unconfirmed user can only prove its email or phone number (which
 * confirms it) [DG]; a user with a temporary password only the password [OBS runbook].
 */
function stateAllows(user: UserRecord, factor: FirstFactor): boolean {
  if (user.status === "UNCONFIRMED") return OTP_FACTORS.includes(factor);
  if (user.status === "FORCE_CHANGE_PASSWORD") return isPasswordFactor(factor);
  return true;
}

/** The first factors this user may choose now, in AvailableChallenges order. */
export function availableFirstFactors(
  pool: PoolRecord,
  user: UserRecord,
  facts: UserFactorFacts,
): FirstFactor[] {
  const allowed = allowedFirstAuthFactors(pool);
  return FIRST_FACTORS.filter(
    (factor) =>
      allowed.includes(policyFactorOf(factor)) &&
      userCan(user, factor, facts) &&
      mfaAllows(pool, factor, facts) &&
      stateAllows(user, factor),
  );
}

/** What a user who does not exist seems to be offered: every factor the pool allows [UNDOC]. */
export function plausibleFirstFactors(pool: PoolRecord): FirstFactor[] {
  const allowed = allowedFirstAuthFactors(pool);
  return FIRST_FACTORS.filter((factor) => allowed.includes(policyFactorOf(factor)));
}

/**
 * GetUserAuthFactors' ConfiguredUserAuthFactors: the pool's first factors the user has what for
 * (a password, an email address, a phone number, a passkey), as sign-in-policy names.
 */
export function configuredAuthFactors(
  pool: PoolRecord,
  user: UserRecord,
  facts: UserFactorFacts,
): AuthFactorType[] {
  const allowed = allowedFirstAuthFactors(pool);
  const factors = FIRST_FACTORS.filter((f) => allowed.includes(policyFactorOf(f)) && userCan(user, f, facts));
  return [...new Set(factors.map(policyFactorOf))];
}
