/**
 * User attributes: what may be written, by whom, in which format, and what a change implies
 * (an email or phone number that changes is no longer verified). Pure rules over records; alias
 * uniqueness is checked when the user is saved (domain/users `saveUser`).
 */
import type {
  AttributeType,
  SchemaAttributeType,
  VerifiedAttributeType,
} from "../protocol/types.generated.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../store/records.js";
import { writableAttributes } from "./clients.js";
import { Errors } from "./errors.js";
import { requiredAttributes, schemaAttribute } from "./pools.js";

/** Who writes: an IAM-authorized admin operation, or an app client on the user's behalf. */
export type AttributeWriter = "admin" | { client: ClientRecord };

export interface AttributeWriteOptions {
  writer: AttributeWriter;
  now: Date;
  /**
   * The user is being created (SignUp, AdminCreateUser): immutable attributes may be set, and
   * schema violations are reported all at once as "Attributes did not conform to the schema".
   */
  creating?: boolean;
}

export interface AttributeUpdateResult {
  user: UserRecord;
  /** Auto-verified attributes (email / phone_number) that changed and are not verified: send a code. */
  verify: VerifiedAttributeType[];
}

/** The attributes that carry a `<name>_verified` flag. */
export const VERIFIABLE = ["email", "phone_number"] as const;
type Verifiable = (typeof VERIFIABLE)[number];

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;
/** E.164: a plus and up to 15 digits [DG]. */
const PHONE_PATTERN = /^\+[0-9]{1,15}$/;

export function isEmailFormat(value: string): boolean {
  return EMAIL_PATTERN.test(value);
}

export function isPhoneFormat(value: string): boolean {
  return PHONE_PATTERN.test(value);
}

/** One attribute that breaks the schema, named and explained as Cognito words it. */
interface Violation {
  name: string;
  reason: string;
}

const REASONS = {
  unknown: "Attribute does not exist in the schema.",
  immutable: "Attribute cannot be updated.",
  required: "The attribute is required",
  notBoolean: "The attribute is not a valid boolean",
  notNumber: "The attribute is not a valid number",
  tooLong: (max: number) => `String must be no longer than ${max} characters`,
  tooShort: (min: number) => `String must be no shorter than ${min} characters`,
  tooLarge: (max: number) => `Number must be no greater than ${max}`,
  tooSmall: (min: number) => `Number must be no less than ${min}`,
} as const;

function numberConstraint(value: string | undefined): number | undefined {
  return value === undefined || value === "" ? undefined : Number(value);
}

/** Whether a value fits the attribute's data type and constraints; the reason when it does not. */
function valueViolation(schema: SchemaAttributeType, value: string): string | undefined {
  switch (schema.AttributeDataType) {
    case "Boolean":
      return /^(true|false)$/i.test(value) ? undefined : REASONS.notBoolean;
    case "Number": {
      if (!/^-?\d+$/.test(value)) return REASONS.notNumber;
      const min = numberConstraint(schema.NumberAttributeConstraints?.MinValue);
      const max = numberConstraint(schema.NumberAttributeConstraints?.MaxValue);
      if (max !== undefined && Number(value) > max) return REASONS.tooLarge(max);
      if (min !== undefined && Number(value) < min) return REASONS.tooSmall(min);
      return undefined;
    }
    default: {
      const length = [...value].length;
      const min = numberConstraint(schema.StringAttributeConstraints?.MinLength);
      const max = numberConstraint(schema.StringAttributeConstraints?.MaxLength);
      if (max !== undefined && length > max) return REASONS.tooLong(max);
      if (min !== undefined && length < min) return REASONS.tooShort(min);
      return undefined;
    }
  }
}

/** Booleans are accepted in any letter case, as Cognito takes `True` [OBS], and kept as `true` / `false`. */
function storedValue(pool: PoolRecord, name: string, value: string): string {
  return schemaAttribute(pool, name)?.AttributeDataType === "Boolean" ? value.toLowerCase() : value;
}

/** Throws the error Cognito gives for the violations of one request (none: nothing). */
function reportViolations(violations: Violation[], creating: boolean): void {
  if (violations.length === 0) return;
  if (creating) throw Errors.schemaViolations(violations.map((v) => `${v.name}: ${v.reason}`));
  throw Errors.userAttributeViolation(violations[0].name, violations[0].reason);
}

/** Clients write only their WriteAttributes, never `sub` or the `*_verified` flags [OBS]. */
function checkWriterMayWrite(pool: PoolRecord, writer: AttributeWriter, names: string[]): void {
  if (writer === "admin") return;
  const allowed = new Set(writableAttributes(pool, writer.client));
  for (const name of names) {
    if (!allowed.has(name) || name === "sub" || name.endsWith("_verified")) {
      throw Errors.unauthorizedAttributeWrite();
    }
  }
}

/** Format rules Cognito reports with their own messages rather than as schema violations. */
function checkFormats(attributes: Record<string, string>): void {
  if (attributes.email !== undefined && attributes.email !== "" && !isEmailFormat(attributes.email)) {
    throw Errors.invalidEmail();
  }
  if (
    attributes.phone_number !== undefined &&
    attributes.phone_number !== "" &&
    !isPhoneFormat(attributes.phone_number)
  ) {
    throw Errors.invalidPhoneNumber();
  }
}

/** Schema violations of the given attributes (unknown, immutable, wrong type or length). */
function schemaViolations(pool: PoolRecord, given: AttributeType[], creating: boolean) {
  const violations: Violation[] = [];
  for (const { Name: name, Value: value = "" } of given) {
    const schema = schemaAttribute(pool, name);
    if (!schema) {
      violations.push({ name, reason: REASONS.unknown });
      continue;
    }
    // `sub` is Cognito's to set; other immutable attributes only when the user is created, even
    // when they were left empty then [OBS].
    if (name === "sub" || (!creating && schema.Mutable === false)) {
      violations.push({ name, reason: REASONS.immutable });
      continue;
    }
    const reason = value === "" ? undefined : valueViolation(schema, value);
    if (reason) violations.push({ name, reason });
  }
  return violations;
}

/** `email_verified` / `phone_number_verified` need the attribute they vouch for. */
function checkVerifiedFlagsHaveValues(attributes: Record<string, string>, given: Set<string>): void {
  for (const name of VERIFIABLE) {
    if (!given.has(`${name}_verified`) || attributes[name]) continue;
    throw name === "email" ? Errors.verifyWithoutEmail() : Errors.verifyWithoutPhoneNumber();
  }
}

/**
 * An email or phone number whose value changes without its `_verified` flag in the same request is
 * no longer verified. Returns the attributes that changed and are not verified now.
 */
function resetVerification(
  before: Record<string, string>,
  after: Record<string, string>,
  given: Set<string>,
  creating: boolean,
): Verifiable[] {
  const changed: Verifiable[] = [];
  for (const name of VERIFIABLE) {
    if (!given.has(name) || before[name] === after[name]) continue;
    // A new user simply has no flag yet; an existing one loses the verification it had.
    if (!given.has(`${name}_verified`) && !creating) {
      if (after[name]) after[`${name}_verified`] = "false";
      else delete after[`${name}_verified`];
    }
    if (after[name] && after[`${name}_verified`] !== "true") changed.push(name);
  }
  return changed;
}

/**
 * The user with the attributes written: schema, writer, format and immutability checked; an
 * attribute given an empty value is removed; changed emails and phone numbers lose their
 * verification. `verify` lists the changed ones the pool auto-verifies. The caller saves the user
 * (with `saveUser`, which also checks that aliases stay unique).
 */
export function applyAttributeUpdates(
  pool: PoolRecord,
  user: UserRecord,
  attributes: AttributeType[],
  options: AttributeWriteOptions,
): AttributeUpdateResult {
  const creating = options.creating === true;
  const names = attributes.map((a) => a.Name);
  checkWriterMayWrite(pool, options.writer, names);
  reportViolations(schemaViolations(pool, attributes, creating), creating);

  const after = { ...user.attributes };
  for (const { Name: name, Value: value = "" } of attributes) {
    if (value === "") delete after[name];
    else after[name] = storedValue(pool, name, value);
  }
  checkFormats(after);
  checkSignInNameKept(pool, user.attributes, after);
  const given = new Set(names);
  checkVerifiedFlagsHaveValues(after, given);
  const changed = resetVerification(user.attributes, after, given, creating);
  const auto = pool.config.AutoVerifiedAttributes ?? [];
  return {
    user: { ...user, attributes: after, updatedAt: options.now },
    verify: changed.filter((name) => auto.includes(name)),
  };
}

/**
 * The user without the named attributes (deleting email or phone_number drops its verification
 * too). Unknown, immutable and required attributes cannot be deleted. The caller saves the user.
 */
export function deleteAttributes(
  pool: PoolRecord,
  user: UserRecord,
  names: string[],
  options: Omit<AttributeWriteOptions, "creating">,
): UserRecord {
  checkWriterMayWrite(pool, options.writer, names);
  const required = new Set(requiredAttributes(pool));
  for (const name of names) {
    const schema = schemaAttribute(pool, name);
    if (!schema) throw Errors.userAttributeViolation(name, REASONS.unknown);
    if (name === "sub" || schema.Mutable === false)
      throw Errors.userAttributeViolation(name, REASONS.immutable);
    if (required.has(name)) throw Errors.userAttributeViolation(name, REASONS.required);
  }
  const after = { ...user.attributes };
  for (const name of names) {
    delete after[name];
    if ((VERIFIABLE as readonly string[]).includes(name)) delete after[`${name}_verified`];
  }
  checkSignInNameKept(pool, user.attributes, after);
  // A deleted attribute's new value, waiting for verification, goes with it.
  return { ...withoutPending(user, names), attributes: after, updatedAt: options.now };
}

/**
 * In pools that sign in with email / phone number, a user keeps at least one of them: it is the
 * user's name. Removing the last one is refused as for a required attribute [UNDOC].
 */
function checkSignInNameKept(
  pool: PoolRecord,
  before: Record<string, string>,
  after: Record<string, string>,
) {
  const names = pool.config.UsernameAttributes ?? [];
  if (!names.some((name) => before[name]) || names.some((name) => after[name])) return;
  const removed = names.find((name) => before[name]) as string;
  throw Errors.userAttributeViolation(removed, REASONS.required);
}

/** The pool's required attributes the user lacks, as SignUp reports them. */
export function checkRequiredAttributes(pool: PoolRecord, user: UserRecord): void {
  const missing = requiredAttributes(pool).filter((name) => name !== "sub" && !user.attributes[name]);
  if (missing.length) throw Errors.schemaViolations(missing.map((name) => `${name}: ${REASONS.required}`));
}

/** Where a user keeps the new values that wait for verification (attribute-verification.ts). */
export const PENDING_KEY = "pendingAttributes";

/** The user without the pending values of these attributes. */
export function withoutPending(user: UserRecord, names: string[]): UserRecord {
  const pending = { ...((user.extra[PENDING_KEY] as Record<string, string> | undefined) ?? {}) };
  if (!names.some((name) => name in pending)) return user;
  for (const name of names) delete pending[name];
  const { [PENDING_KEY]: _dropped, ...extra } = user.extra;
  return { ...user, extra: Object.keys(pending).length ? { ...extra, [PENDING_KEY]: pending } : extra };
}

/** Marks an email or phone number verified (after a code for it was confirmed). */
export function markVerified(user: UserRecord, attribute: Verifiable, now: Date): UserRecord {
  return {
    ...user,
    attributes: { ...user.attributes, [`${attribute}_verified`]: "true" },
    updatedAt: now,
  };
}

/** Only the named attributes, in the order the user has them (`AttributesToGet`). */
export function selectAttributes(attributes: AttributeType[], names: string[] | undefined): AttributeType[] {
  if (!names) return attributes;
  const wanted = new Set(names);
  return attributes.filter((a) => wanted.has(a.Name));
}
