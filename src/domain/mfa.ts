/**
 * Multi-factor authentication rules (ADMIN_INITIATE_AUTH.md §12, DG MFA): the pool's MFA mode and
 * factors as SetUserPoolMfaConfig sets them, each user's MFA settings and preference, and the
 * decision a sign-in meets after its first factor. No I/O here but reading and writing the pool's
 * factors; the sign-in steps (auth/steps/mfa.ts) act on the decision.
 */
import type {
  AdminGetUserResponse,
  GetUserPoolMfaConfigResponse,
  MFAOptionType,
  SetUserMFAPreferenceRequest,
  SetUserPoolMfaConfigRequest,
  UserPoolMfaType,
} from "../protocol/types.generated.js";
import type { PoolMfaFactors } from "../store/mfa.js";
import type { PoolConfig, PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";

/** The second factors, as ChallengeNames and in the order Cognito lists them. */
export const MFA_FACTORS = ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"] as const;
export type MfaFactor = (typeof MFA_FACTORS)[number];

export function isMfaFactor(name: string): name is MfaFactor {
  return (MFA_FACTORS as readonly string[]).includes(name);
}

// ---------------------------------------------------------------------------------------------
// The pool: mode and factors.

export function mfaMode(pool: PoolRecord): UserPoolMfaType {
  return pool.config.MfaConfiguration ?? "OFF";
}

/**
 * The pool's factors. A pool SetUserPoolMfaConfig never configured has the factors CreateUserPool /
 * UpdateUserPool imply: SMS when MFA is on and the pool has an SmsConfiguration [DG legacy].
 */
export async function poolMfaFactors(store: Store, pool: PoolRecord): Promise<PoolMfaFactors> {
  const stored = await store.poolMfaConfigs.get(pool.id);
  if (stored) return stored.factors;
  return { sms: mfaMode(pool) !== "OFF" && pool.config.SmsConfiguration !== undefined };
}

/** The factors sign-ins may newly use or set up; none while MFA is off. Email needs Essentials or Plus. */
export function enabledPoolFactors(pool: PoolRecord, factors: PoolMfaFactors): Set<MfaFactor> {
  const enabled = new Set<MfaFactor>();
  if (mfaMode(pool) === "OFF") return enabled;
  if (factors.sms) enabled.add("SMS_MFA");
  if (factors.softwareToken?.Enabled === true) enabled.add("SOFTWARE_TOKEN_MFA");
  if (factors.email && pool.config.UserPoolTier !== "LITE") enabled.add("EMAIL_OTP");
  return enabled;
}

type PoolMfaInput = Omit<SetUserPoolMfaConfigRequest, "UserPoolId" | "WebAuthnConfiguration">;

function checkEmailFactor(pool: PoolRecord): void {
  if (pool.config.UserPoolTier === "LITE") throw Errors.emailMfaUnavailableInTier();
  if (pool.config.EmailConfiguration?.EmailSendingAccount !== "DEVELOPER") {
    throw Errors.emailMfaNeedsDeveloperEmail();
  }
}

/**
 * SetUserPoolMfaConfig: the request replaces the mode and every factor. An absent mode is OFF, and
 * OFF cannot come with a factor; ON and OPTIONAL need one [OBS]. SMS needs an SmsConfiguration
 * (given, or the pool's); email needs the Essentials tier and SES (DEVELOPER) email [DG].
 */
export function configurePoolMfa(
  pool: PoolRecord,
  input: PoolMfaInput,
): { config: PoolConfig; factors: PoolMfaFactors } {
  const mode = input.MfaConfiguration ?? "OFF";
  const {
    SmsMfaConfiguration: sms,
    SoftwareTokenMfaConfiguration: token,
    EmailMfaConfiguration: email,
  } = input;
  const anyFactor = sms !== undefined || token !== undefined || email !== undefined;
  if (mode === "OFF" && anyFactor) throw Errors.mfaOffWithFactors();
  if (mode !== "OFF" && !anyFactor) throw Errors.mfaWithoutFactor();
  if (email) checkEmailFactor(pool);
  const smsConfiguration = sms?.SmsConfiguration ?? pool.config.SmsConfiguration;
  if (sms && !smsConfiguration) throw Errors.smsMfaNeedsSmsConfiguration();
  return {
    config: {
      ...pool.config,
      MfaConfiguration: mode,
      SmsAuthenticationMessage: sms?.SmsAuthenticationMessage ?? pool.config.SmsAuthenticationMessage,
      SmsConfiguration: smsConfiguration,
    },
    factors: { sms: sms !== undefined, softwareToken: token, email },
  };
}

/** GetUserPoolMfaConfig (without WebAuthn): the mode and the factors configured, none while MFA is off. */
export function describePoolMfa(pool: PoolRecord, factors: PoolMfaFactors): GetUserPoolMfaConfigResponse {
  const mode = mfaMode(pool);
  if (mode === "OFF") return { MfaConfiguration: mode };
  return {
    MfaConfiguration: mode,
    SmsMfaConfiguration: factors.sms
      ? {
          SmsAuthenticationMessage: pool.config.SmsAuthenticationMessage,
          SmsConfiguration: pool.config.SmsConfiguration,
        }
      : undefined,
    SoftwareTokenMfaConfiguration: factors.softwareToken,
    EmailMfaConfiguration: factors.email,
  };
}

// ---------------------------------------------------------------------------------------------
// The user: settings kept in `user.extra.mfa`.

/** The user's registered software token; its secret is sealed (domain/software-token.ts). */
export interface SoftwareTokenRecord {
  sealedSecret: string;
  friendlyName?: string;
  verifiedAt: number;
}

/** What the user enabled (true), disabled (false) or never said (absent), and prefers. */
export interface UserMfaSettings {
  sms?: boolean;
  softwareToken?: boolean;
  email?: boolean;
  /** WebAuthnMfaSettings.Enabled, kept for passkeys as a second factor. */
  webAuthn?: boolean;
  preferred?: MfaFactor;
  token?: SoftwareTokenRecord;
  /** A token AssociateSoftwareToken made with an access token, until VerifySoftwareToken proves it. */
  pendingToken?: { sealedSecret: string; createdAt: number };
}

export function userMfaSettings(user: UserRecord): UserMfaSettings {
  return (user.extra.mfa as UserMfaSettings | undefined) ?? {};
}

export function withMfaSettings(user: UserRecord, settings: UserMfaSettings, now: Date): UserRecord {
  return { ...user, extra: { ...user.extra, mfa: settings }, updatedAt: now };
}

const SETTING_OF: Record<MfaFactor, "sms" | "softwareToken" | "email"> = {
  SMS_MFA: "sms",
  SOFTWARE_TOKEN_MFA: "softwareToken",
  EMAIL_OTP: "email",
};

/** Whether the user has what the factor needs: a phone number (verified or not [DG]), an email, a verified token. */
export function hasMeansFor(user: UserRecord, factor: MfaFactor): boolean {
  if (factor === "SMS_MFA") return Boolean(user.attributes.phone_number);
  if (factor === "EMAIL_OTP") return Boolean(user.attributes.email);
  return userMfaSettings(user).token !== undefined;
}

/** The factors the user has turned on, in Cognito's order. */
export function enabledUserFactors(user: UserRecord): MfaFactor[] {
  const settings = userMfaSettings(user);
  return MFA_FACTORS.filter((f) => settings[SETTING_OF[f]] === true && hasMeansFor(user, f));
}

type FactorSettings = { Enabled?: boolean; PreferredMfa?: boolean } | undefined;
type PreferenceInput = Pick<
  SetUserMFAPreferenceRequest,
  "SMSMfaSettings" | "SoftwareTokenMfaSettings" | "EmailMfaSettings" | "WebAuthnMfaSettings"
>;

function applyFactorSettings(
  pool: PoolRecord,
  user: UserRecord,
  settings: UserMfaSettings,
  factor: MfaFactor,
  given: FactorSettings,
): UserMfaSettings {
  if (!given) return settings;
  const key = SETTING_OF[factor];
  let next = { ...settings };
  if (given.Enabled === true) {
    if (!hasMeansFor(user, factor)) throw Errors.mfaFactorNotConfigured(factor);
    if (factor === "EMAIL_OTP" && pool.config.UserPoolTier === "LITE") {
      throw Errors.mfaFactorNotConfigured(factor);
    }
    next[key] = true;
  } else if (given.Enabled === false) {
    next[key] = false;
  }
  if (given.PreferredMfa === true) {
    if (next[key] !== true || !hasMeansFor(user, factor)) throw Errors.mfaPreferredNotEnabled(factor);
    next.preferred = factor;
  }
  const stopsBeingPreferred = given.PreferredMfa === false || next[key] === false;
  if (stopsBeingPreferred && next.preferred === factor) {
    const { preferred: _dropped, ...rest } = next;
    next = rest;
  }
  return next;
}

/**
 * SetUserMFAPreference / AdminSetUserMFAPreference: each factor given is turned on or off and may
 * become the preferred one; factors not given keep their setting. A factor can be turned on only
 * when the user has what it needs [OBS]; one factor at most is preferred.
 */
export function withMfaPreference(
  pool: PoolRecord,
  user: UserRecord,
  input: PreferenceInput,
  now: Date,
): UserRecord {
  const given: Record<MfaFactor, FactorSettings> = {
    SMS_MFA: input.SMSMfaSettings,
    SOFTWARE_TOKEN_MFA: input.SoftwareTokenMfaSettings,
    EMAIL_OTP: input.EmailMfaSettings,
  };
  if (MFA_FACTORS.filter((f) => given[f]?.PreferredMfa === true).length > 1)
    throw Errors.mfaSeveralPreferred();
  let settings = userMfaSettings(user);
  for (const factor of MFA_FACTORS)
    settings = applyFactorSettings(pool, user, settings, factor, given[factor]);
  if (input.WebAuthnMfaSettings?.Enabled !== undefined) {
    settings = { ...settings, webAuthn: input.WebAuthnMfaSettings.Enabled };
  }
  return withMfaSettings(user, settings, now);
}

const SMS_MFA_OPTION: MFAOptionType = { DeliveryMedium: "SMS", AttributeName: "phone_number" };

/**
 * SetUserSettings / AdminSetUserSettings, the legacy form of the SMS preference: an SMS option to
 * the phone number turns SMS MFA on, an empty list turns it off [API].
 */
export function withLegacyMfaOptions(
  pool: PoolRecord,
  user: UserRecord,
  options: MFAOptionType[],
  now: Date,
): UserRecord {
  const smsOnly = options.every(
    (o) => o.DeliveryMedium === "SMS" && (o.AttributeName ?? "phone_number") === "phone_number",
  );
  if (!smsOnly) throw Errors.mfaOptionsSmsOnly();
  return withMfaPreference(pool, user, { SMSMfaSettings: { Enabled: options.length > 0 } }, now);
}

/** The MFA members of AdminGetUser / GetUser. */
export function userMfaDescription(
  user: UserRecord,
): Pick<AdminGetUserResponse, "MFAOptions" | "PreferredMfaSetting" | "UserMFASettingList"> {
  const enabled = enabledUserFactors(user);
  const preferred = userMfaSettings(user).preferred;
  return {
    MFAOptions: enabled.includes("SMS_MFA") ? [SMS_MFA_OPTION] : undefined,
    PreferredMfaSetting: preferred && enabled.includes(preferred) ? preferred : undefined,
    UserMFASettingList: enabled.length ? enabled : undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// The decision after the first factor.

export type MfaDecision =
  | { kind: "none" }
  | { kind: "challenge"; factor: MfaFactor }
  | { kind: "select"; factors: MfaFactor[] }
  | { kind: "setup"; options: MfaFactor[] };

/**
 * Whether the user may be challenged with the factor. A verified software token stays usable when
 * the pool later turns TOTP off [DG TOTP]; SMS and email need the pool's factor. With MFA required,
 * a factor the user has the means for counts unless the user turned it off; with MFA optional, only
 * factors the user turned on count.
 */
function usable(pool: PoolRecord, poolFactors: Set<MfaFactor>, user: UserRecord, factor: MfaFactor): boolean {
  if (!hasMeansFor(user, factor)) return false;
  const setting = userMfaSettings(user)[SETTING_OF[factor]];
  if (factor !== "SOFTWARE_TOKEN_MFA" && !poolFactors.has(factor)) return false;
  return mfaMode(pool) === "ON" ? setting !== false : setting === true;
}

/** What MFA_SETUP can offer: TOTP where the pool allows it, email to a user who has none yet. */
function setupOptions(poolFactors: Set<MfaFactor>, user: UserRecord): MfaFactor[] {
  const options: MfaFactor[] = [];
  if (poolFactors.has("SOFTWARE_TOKEN_MFA")) options.push("SOFTWARE_TOKEN_MFA");
  if (poolFactors.has("EMAIL_OTP") && !user.attributes.email) options.push("EMAIL_OTP");
  return options;
}

/**
 * After the first factor (ADMIN_INITIATE_AUTH.md §12): MFA off → none; the preferred usable factor,
 * else the only usable one, else a choice among them; none usable → set one up when MFA is required
 * (MFAMethodNotFoundException when nothing can be set up), nothing when it is optional.
 */
export function decideMfa(pool: PoolRecord, factors: PoolMfaFactors, user: UserRecord): MfaDecision {
  const mode = mfaMode(pool);
  if (mode === "OFF") return { kind: "none" };
  const poolFactors = enabledPoolFactors(pool, factors);
  const candidates = MFA_FACTORS.filter((f) => usable(pool, poolFactors, user, f));
  const preferred = userMfaSettings(user).preferred;
  if (preferred && candidates.includes(preferred)) return { kind: "challenge", factor: preferred };
  if (candidates.length === 1) return { kind: "challenge", factor: candidates[0] };
  if (candidates.length > 1) return { kind: "select", factors: candidates };
  if (mode === "OPTIONAL") return { kind: "none" };
  const options = setupOptions(poolFactors, user);
  if (options.length === 0) throw Errors.mfaMethodNotFound();
  return { kind: "setup", options };
}
