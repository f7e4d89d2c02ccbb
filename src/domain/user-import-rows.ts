/**
 * Cognito's rules for a user import file (ADMINISTRATION.md §1.6, §1.7): the header it must have,
 * and the user each data row makes — or why the row is refused. Pure: no I/O; the run
 * (user-import-runner.ts) finds which users and aliases exist already.
 * Reasons never quote the row's values: the log names line numbers only.
 */
import type { AttributeType } from "../protocol/types.generated.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { applyAttributeUpdates, checkRequiredAttributes } from "./attributes.js";
import { CognitoError } from "./errors.js";
import { mfaMode, withMfaSettings } from "./mfa.js";
import { requiredAttributes } from "./pools.js";
import { allowedFirstAuthFactors } from "./sign-in-factors.js";
import { csvHeader, MFA_COLUMN, USERNAME_COLUMN } from "./user-import-jobs.js";
import { newUser, resolveNewUsername } from "./users.js";

/** The most characters a row may have [DG]. */
export const MAX_ROW_CHARACTERS = 16_000;
/** The most data rows a file may have [DG]. */
export const MAX_ROWS = 500_000;

export interface ImportColumns {
  /** Each column's name, in the file's order. */
  names: string[];
  username: number;
  mfa: number | undefined;
}

/** Why a file's header makes the whole job fail [UNDOC texts]. */
export function headerProblem(pool: PoolRecord, names: string[]): string | undefined {
  const known = new Set(csvHeader(pool));
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) return `The CSV header has the column ${name} twice.`;
    seen.add(name);
    if (!known.has(name)) return `The CSV header has a column the user pool does not have: ${name}.`;
  }
  if (!seen.has(USERNAME_COLUMN)) return `The CSV header has no ${USERNAME_COLUMN} column.`;
  const missing = requiredAttributes(pool).find((name) => name !== "sub" && !seen.has(name));
  if (missing) return `The CSV header has no column for the required attribute ${missing}.`;
  return undefined;
}

export function importColumns(names: string[]): ImportColumns {
  const mfa = names.indexOf(MFA_COLUMN);
  return { names, username: names.indexOf(USERNAME_COLUMN), mfa: mfa < 0 ? undefined : mfa };
}

/** What a row makes: a user (with the aliases it will hold), or the reason it is refused. */
export type RowOutcome = { user: UserRecord } | { failure: string };

const fail = (failure: string): RowOutcome => ({ failure });

/** `The User Record does not set any of the auto verified attributes to true.` [DG] */
export const NO_VERIFIED_ATTRIBUTE =
  "The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).";

/** `mm/dd/yyyy` in the file, `YYYY-MM-DD` in the pool [DG; UNDOC stored form]. */
function birthdate(value: string): string | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (!m) return undefined;
  const [month, day, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${m[3]}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** A CognitoError's message on one line (schema violations come one per line). */
function oneLine(error: CognitoError): string {
  return error.message.trimEnd().replace(/\n/g, "; ");
}

/** The attributes a row gives (blank values are unset), or why it cannot give them. */
function rowAttributes(columns: ImportColumns, fields: string[]): AttributeType[] | string {
  const attributes: AttributeType[] = [];
  for (let i = 0; i < columns.names.length; i++) {
    const name = columns.names[i];
    const value = fields[i];
    if (value === "" || name.startsWith("cognito:")) continue;
    if (name === "birthdate") {
      const iso = birthdate(value);
      if (!iso) return "birthdate must be a date written mm/dd/yyyy.";
      attributes.push({ Name: name, Value: iso });
    } else {
      attributes.push({ Name: name, Value: value });
    }
  }
  return attributes;
}

/** `cognito:mfa_enabled`: blank follows the pool; otherwise it must agree with the pool's mode [DG]. */
function mfaEnabled(pool: PoolRecord, value: string): boolean | string | undefined {
  if (value === "") return undefined;
  const lower = value.toLowerCase();
  if (lower !== "true" && lower !== "false") return `${MFA_COLUMN} must be true, false or blank.`;
  const mode = mfaMode(pool);
  if (mode === "ON" && lower === "false")
    return `${MFA_COLUMN} must be true or blank: the user pool requires MFA.`;
  if (mode === "OFF" && lower === "true")
    return `${MFA_COLUMN} must be false or blank: the user pool has MFA off.`;
  return lower === "true";
}

/**
 * In pools that sign in with email or phone number, `cognito:username` is that value, and the
 * user's name becomes a new UUID, as SignUp would make it [UNDOC].
 */
function usernameOf(
  pool: PoolRecord,
  requested: string,
  attributes: AttributeType[],
): string | undefined | RowOutcome {
  let resolved: ReturnType<typeof resolveNewUsername>;
  try {
    resolved = resolveNewUsername(pool, requested);
  } catch (error) {
    if (error instanceof CognitoError) return fail(oneLine(error));
    throw error;
  }
  const { signInAttribute } = resolved;
  if (!signInAttribute) return resolved.username;
  const given = attributes.find((a) => a.Name === signInAttribute.name)?.Value;
  if (given !== signInAttribute.value) {
    return fail(
      `${USERNAME_COLUMN} must be the user's ${signInAttribute.name}, which the user pool signs in with.`,
    );
  }
  return undefined;
}

/** The row sets an auto-verified attribute's `_verified` to true, with its value [DG]. */
function verifiesAnAttribute(pool: PoolRecord, user: UserRecord): boolean {
  const auto = pool.config.AutoVerifiedAttributes ?? [];
  if (auto.length === 0) return true;
  return auto.some((name) => user.attributes[name] && user.attributes[`${name}_verified`] === "true");
}

/**
 * Imported users reset their password before signing in (RESET_REQUIRED); in pools offering a
 * sign-in code they can use it at once, if they have where to receive it (CONFIRMED) [DG].
 */
function statusOf(pool: PoolRecord, user: UserRecord): UserRecord["status"] {
  const factors = allowedFirstAuthFactors(pool);
  const byEmail = factors.includes("EMAIL_OTP") && Boolean(user.attributes.email);
  const bySms = factors.includes("SMS_OTP") && Boolean(user.attributes.phone_number);
  return byEmail || bySms ? "CONFIRMED" : "RESET_REQUIRED";
}

/** The user a data row makes, by Cognito's rules, or why the row fails. No trigger runs [UNDOC]. */
export function userFromRow(
  pool: PoolRecord,
  columns: ImportColumns,
  fields: string[],
  now: Date,
): RowOutcome {
  if (fields.length !== columns.names.length) {
    return fail("The number of values does not match the number of columns of the header.");
  }
  const requested = fields[columns.username];
  if (requested === "") return fail(`${USERNAME_COLUMN} is missing.`);
  if (/\s/.test(requested)) return fail(`${USERNAME_COLUMN} must not contain spaces or tabs.`);
  const attributes = rowAttributes(columns, fields);
  if (typeof attributes === "string") return fail(attributes);
  const mfa = columns.mfa === undefined ? undefined : mfaEnabled(pool, fields[columns.mfa]);
  if (typeof mfa === "string") return fail(mfa);
  const username = usernameOf(pool, requested, attributes);
  if (typeof username === "object") return username;

  let user: UserRecord;
  try {
    const created = newUser(pool, { username, status: "RESET_REQUIRED", now });
    user = applyAttributeUpdates(pool, created, attributes, { writer: "admin", now, creating: true }).user;
    checkRequiredAttributes(pool, user);
  } catch (error) {
    if (error instanceof CognitoError) return fail(oneLine(error));
    throw error;
  }
  if (!verifiesAnAttribute(pool, user)) return fail(NO_VERIFIED_ATTRIBUTE);
  user = { ...user, status: statusOf(pool, user) };
  // MFA on: SMS MFA, the one factor an import can turn on (a token needs the user) [UNDOC].
  if (mfa === true && user.attributes.phone_number) user = withMfaSettings(user, { sms: true }, now);
  return { user };
}
