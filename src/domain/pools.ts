/**
 * User pools: the effective configuration (every default filled in, as DescribeUserPool shows it),
 * the schema of standard and custom attributes, and the rules CreateUserPool / UpdateUserPool apply.
 * Everything else that needs a pool setting reads it through the accessors here.
 */
import type {
  AttributeDataType,
  CreateUserPoolRequest,
  PasswordPolicyType,
  SchemaAttributeType,
  UpdateUserPoolRequest,
  UserPoolType,
  VerificationMessageTemplateType,
} from "../protocol/types.generated.js";
import type { PoolConfig, PoolRecord } from "../store/records.js";
import { Errors } from "./errors.js";
import { checkSignInPolicyTier } from "./sign-in-factors.js";
import { checkPoolTags } from "./tags.js";
import { assertTierAllowsAddOns } from "./threat-protection.js";

/** The AWS account every pool ARN names: one local account. */
export const ACCOUNT_ID = "000000000000";

/** Cognito's limit on custom attributes per pool [DG quotas]. */
export const MAX_CUSTOM_ATTRIBUTES = 50;

/** Temporary passwords' validity when the policy gives none (or 0) [MODEL]. */
export const DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS = 7;

const DEFAULT_PASSWORD_POLICY: Required<Omit<PasswordPolicyType, "PasswordHistorySize">> = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS,
};

/** Texts Cognito sends when the pool configures none [OBS]. */
export const DEFAULT_VERIFICATION_MESSAGES = {
  EmailSubject: "Your verification code",
  EmailMessage: "Your verification code is {####}. ",
  EmailSubjectByLink: "Your verification link",
  EmailMessageByLink: "Please click the link below to verify your email address. {##Verify Email##} ",
  SmsMessage: "Your verification code is {####}. ",
} as const;

const text = (min: number, max: number) => ({ MinLength: String(min), MaxLength: String(max) });

/** One standard attribute as DescribeUserPool shows it in a pool that did not change it. */
function standard(
  name: string,
  type: AttributeDataType = "String",
  overrides: Partial<SchemaAttributeType> = {},
): SchemaAttributeType {
  const constraints =
    type === "String"
      ? { StringAttributeConstraints: text(0, 2048) }
      : type === "Number"
        ? { NumberAttributeConstraints: { MinValue: "0" } }
        : {};
  return {
    Name: name,
    AttributeDataType: type,
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    ...constraints,
    ...overrides,
  };
}

/** The standard (OpenID Connect) attributes every pool has, in Cognito's order [OBS DescribeUserPool]. */
export const STANDARD_SCHEMA: readonly SchemaAttributeType[] = Object.freeze([
  standard("sub", "String", { Mutable: false, Required: true, StringAttributeConstraints: text(1, 2048) }),
  standard("name"),
  standard("given_name"),
  standard("family_name"),
  standard("middle_name"),
  standard("nickname"),
  standard("preferred_username"),
  standard("profile"),
  standard("picture"),
  standard("website"),
  standard("email"),
  standard("email_verified", "Boolean"),
  standard("gender"),
  standard("birthdate", "String", { StringAttributeConstraints: text(10, 10) }),
  standard("zoneinfo"),
  standard("locale"),
  standard("phone_number"),
  standard("phone_number_verified", "Boolean"),
  standard("address"),
  standard("updated_at", "Number"),
]);

const STANDARD_NAMES = new Set(STANDARD_SCHEMA.map((a) => a.Name as string));

export function isStandardAttribute(name: string): boolean {
  return STANDARD_NAMES.has(name);
}

export function isCustomAttribute(name: string): boolean {
  return name.startsWith("custom:") || name.startsWith("dev:custom:");
}

// ---------------------------------------------------------------------------------------------
// Accessors: what the rest of the server asks of a pool.

/** The region a pool lives in: the prefix of its id. */
export function poolRegion(poolId: string): string {
  return poolId.slice(0, poolId.indexOf("_"));
}

export function poolArnOf(poolId: string): string {
  return `arn:aws:cognito-idp:${poolRegion(poolId)}:${ACCOUNT_ID}:userpool/${poolId}`;
}

export function poolArn(pool: PoolRecord): string {
  return poolArnOf(pool.id);
}

/** The effective password policy, every member set (0 temporary-password days means the default). */
export function passwordPolicy(pool: PoolRecord): Required<PasswordPolicyType> {
  const given = pool.config.Policies?.PasswordPolicy ?? {};
  return {
    ...DEFAULT_PASSWORD_POLICY,
    PasswordHistorySize: 0,
    ...given,
    TemporaryPasswordValidityDays:
      given.TemporaryPasswordValidityDays || DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS,
  };
}

/** Usernames are case-sensitive unless the pool was created with CaseSensitive=false. */
export function isCaseSensitive(pool: PoolRecord): boolean {
  return pool.config.UsernameConfiguration?.CaseSensitive !== false;
}

/** The key a username is stored and looked up under. */
export function usernameKey(pool: PoolRecord, username: string): string {
  return isCaseSensitive(pool) ? username : username.toLowerCase();
}

export function schemaAttributes(pool: PoolRecord): SchemaAttributeType[] {
  return pool.config.SchemaAttributes ?? [...STANDARD_SCHEMA];
}

/** A schema's attributes by name, and its required ones: made once per schema (stored ones are frozen). */
const schemaIndexes = new WeakMap<
  readonly SchemaAttributeType[],
  { byName: Map<string, SchemaAttributeType>; required: string[] }
>();

function schemaIndex(pool: PoolRecord) {
  const schema = schemaAttributes(pool);
  let index = schemaIndexes.get(schema);
  if (!index) {
    index = {
      byName: new Map(schema.map((a) => [a.Name as string, a])),
      required: schema.filter((a) => a.Required).map((a) => a.Name as string),
    };
    schemaIndexes.set(schema, index);
  }
  return index;
}

export function schemaAttribute(pool: PoolRecord, name: string): SchemaAttributeType | undefined {
  return schemaIndex(pool).byName.get(name);
}

/** Attributes every user must have (always `sub`, plus those the pool marked required). */
export function requiredAttributes(pool: PoolRecord): string[] {
  return [...schemaIndex(pool).required];
}

/** The verification message texts, with Cognito's defaults where the pool sets none. */
export function verificationMessageTemplate(pool: PoolRecord): Required<VerificationMessageTemplateType> {
  return {
    DefaultEmailOption: "CONFIRM_WITH_CODE",
    ...DEFAULT_VERIFICATION_MESSAGES,
    ...pool.config.VerificationMessageTemplate,
  };
}

// ---------------------------------------------------------------------------------------------
// Schema rules for CreateUserPool and AddCustomAttributes.

/** `custom:` (or `dev:custom:` for developer-only attributes) + the name as given, as Cognito does. */
function customName(attribute: SchemaAttributeType): string {
  return `${attribute.DeveloperOnlyAttribute ? "dev:" : ""}custom:${attribute.Name}`;
}

/** A non-negative integer given as a string, or undefined when absent. */
function limit(value: string | undefined, constraint: string, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value)) throw Errors.invalidSchemaConstraint(constraint, name);
  return Number(value);
}

function checkStringConstraints(name: string, c: SchemaAttributeType["StringAttributeConstraints"]): void {
  const min = limit(c?.MinLength, "StringAttributeConstraints", name);
  const max = limit(c?.MaxLength, "StringAttributeConstraints", name);
  if ((min ?? 0) > 2048 || (max ?? 0) > 2048) throw Errors.stringAttributeTooLong(name);
  if (min !== undefined && max !== undefined && min > max) throw Errors.stringAttributeMaxBelowMin(name);
}

function checkNumberConstraints(name: string, c: SchemaAttributeType["NumberAttributeConstraints"]): void {
  const min = limit(c?.MinValue, "NumberAttributeConstraints", name);
  const max = limit(c?.MaxValue, "NumberAttributeConstraints", name);
  if (min !== undefined && max !== undefined && min > max) throw Errors.numberAttributeMaxBelowMin(name);
}

/** A custom attribute as the schema stores it, after Cognito's checks. */
export function customAttribute(given: SchemaAttributeType): SchemaAttributeType {
  const name = customName(given);
  if (!given.AttributeDataType) throw Errors.missingAttributeDataType();
  if (given.Required) throw Errors.requiredCustomAttribute();
  const attribute: SchemaAttributeType = {
    Name: name,
    AttributeDataType: given.AttributeDataType,
    DeveloperOnlyAttribute: given.DeveloperOnlyAttribute ?? false,
    Mutable: given.Mutable ?? true,
    Required: false,
  };
  if (given.AttributeDataType === "String") {
    checkStringConstraints(name, given.StringAttributeConstraints);
    attribute.StringAttributeConstraints = { ...given.StringAttributeConstraints };
  } else if (given.AttributeDataType === "Number") {
    checkNumberConstraints(name, given.NumberAttributeConstraints);
    attribute.NumberAttributeConstraints = { ...given.NumberAttributeConstraints };
  }
  return attribute;
}

/** A standard attribute with the pool's changes (Required, Mutable, length limits) applied. */
function customisedStandard(base: SchemaAttributeType, given: SchemaAttributeType): SchemaAttributeType {
  const name = base.Name as string;
  const changesType =
    given.AttributeDataType !== undefined && given.AttributeDataType !== base.AttributeDataType;
  if (changesType || given.DeveloperOnlyAttribute) throw Errors.standardAttributeChange(name);
  const attribute: SchemaAttributeType = {
    ...base,
    Mutable: given.Mutable ?? base.Mutable,
    Required: given.Required ?? base.Required,
  };
  if (base.AttributeDataType === "String" && given.StringAttributeConstraints) {
    checkStringConstraints(name, given.StringAttributeConstraints);
    attribute.StringAttributeConstraints = {
      ...base.StringAttributeConstraints,
      ...given.StringAttributeConstraints,
    };
  }
  if (base.AttributeDataType === "Number" && given.NumberAttributeConstraints) {
    checkNumberConstraints(name, given.NumberAttributeConstraints);
    attribute.NumberAttributeConstraints = {
      ...base.NumberAttributeConstraints,
      ...given.NumberAttributeConstraints,
    };
  }
  return attribute;
}

function countCustom(schema: SchemaAttributeType[]): number {
  return schema.filter((a) => isCustomAttribute(a.Name as string)).length;
}

/** Appends custom attributes to a schema, refusing names already taken and going past the limit. */
export function withCustomAttributes(
  schema: SchemaAttributeType[],
  added: SchemaAttributeType[],
): SchemaAttributeType[] {
  const result = [...schema];
  for (const given of added) {
    const name = customName(given);
    if (result.some((a) => a.Name === name)) throw Errors.attributeExists(`custom:${given.Name}`, name);
    result.push(customAttribute(given));
  }
  if (countCustom(result) > MAX_CUSTOM_ATTRIBUTES)
    throw Errors.tooManyCustomAttributes(MAX_CUSTOM_ATTRIBUTES);
  return result;
}

/** The full schema of a new pool: every standard attribute (changed as asked) then the custom ones. */
export function buildSchema(given: SchemaAttributeType[] = []): SchemaAttributeType[] {
  const seen = new Set<string>();
  const standardChanges = new Map<string, SchemaAttributeType>();
  const custom: SchemaAttributeType[] = [];
  for (const attribute of given) {
    const name = attribute.Name as string;
    if (seen.has(name)) throw Errors.attributeExists(name, name);
    seen.add(name);
    if (isStandardAttribute(name)) standardChanges.set(name, attribute);
    else custom.push(attribute);
  }
  const schema = STANDARD_SCHEMA.map((base) => {
    const change = standardChanges.get(base.Name as string);
    return change ? customisedStandard(base, change) : { ...base };
  });
  return withCustomAttributes(schema, custom);
}

// ---------------------------------------------------------------------------------------------
// Configuration: what CreateUserPool stores and what UpdateUserPool replaces.

/** The members UpdateUserPool can change; everything else is fixed when the pool is created. */
type UpdatableSettings = Omit<UpdateUserPoolRequest, "UserPoolId" | "PoolName">;

/**
 * The effective configuration for the updatable members: given values with Cognito's defaults for
 * whatever was omitted (an update replaces the whole configuration, so omitted members revert).
 */
function updatableConfig(input: UpdatableSettings): PoolConfig {
  const template: VerificationMessageTemplateType = {
    DefaultEmailOption: "CONFIRM_WITH_CODE",
    ...(input.EmailVerificationMessage !== undefined && { EmailMessage: input.EmailVerificationMessage }),
    ...(input.EmailVerificationSubject !== undefined && { EmailSubject: input.EmailVerificationSubject }),
    ...(input.SmsVerificationMessage !== undefined && { SmsMessage: input.SmsVerificationMessage }),
    ...input.VerificationMessageTemplate,
  };
  return {
    Policies: {
      ...input.Policies,
      PasswordPolicy: { ...DEFAULT_PASSWORD_POLICY, ...input.Policies?.PasswordPolicy },
      SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD"], ...input.Policies?.SignInPolicy },
    },
    DeletionProtection: input.DeletionProtection ?? "INACTIVE",
    LambdaConfig: input.LambdaConfig ?? {},
    AutoVerifiedAttributes: input.AutoVerifiedAttributes,
    // The legacy top-level texts and the template mirror each other, as in Cognito.
    SmsVerificationMessage: template.SmsMessage,
    EmailVerificationMessage: template.EmailMessage,
    EmailVerificationSubject: template.EmailSubject,
    VerificationMessageTemplate: template,
    SmsAuthenticationMessage: input.SmsAuthenticationMessage,
    UserAttributeUpdateSettings: {
      AttributesRequireVerificationBeforeUpdate: [],
      ...input.UserAttributeUpdateSettings,
    },
    MfaConfiguration: input.MfaConfiguration ?? "OFF",
    DeviceConfiguration: input.DeviceConfiguration,
    EmailConfiguration: { EmailSendingAccount: "COGNITO_DEFAULT", ...input.EmailConfiguration },
    SmsConfiguration: input.SmsConfiguration,
    UserPoolTags: input.UserPoolTags ?? {},
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: false,
      UnusedAccountValidityDays: DEFAULT_TEMPORARY_PASSWORD_VALIDITY_DAYS,
      ...input.AdminCreateUserConfig,
    },
    UserPoolAddOns: input.UserPoolAddOns,
    AccountRecoverySetting: input.AccountRecoverySetting,
    UserPoolTier: input.UserPoolTier ?? "ESSENTIALS",
  };
}

/** Drops members left undefined so the stored JSON is exactly what DescribeUserPool returns. */
function compact(config: PoolConfig): PoolConfig {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as PoolConfig;
}

function checkSignInAttributes(input: CreateUserPoolRequest): void {
  if (input.UsernameAttributes?.length && input.AliasAttributes?.length) {
    throw Errors.usernameAndAliasAttributes();
  }
}

/** The configuration of a new pool (everything but id, name and dates). */
export function newPoolConfig(input: CreateUserPoolRequest): PoolConfig {
  checkSignInAttributes(input);
  const {
    PoolName: _name,
    Schema,
    UsernameAttributes,
    AliasAttributes,
    UsernameConfiguration,
    ...rest
  } = input;
  return compact({
    ...updatableConfig(rest),
    SchemaAttributes: buildSchema(Schema),
    UsernameAttributes,
    AliasAttributes,
    UsernameConfiguration: { CaseSensitive: UsernameConfiguration?.CaseSensitive ?? true },
  });
}

/** The configuration after UpdateUserPool: the members it can't change kept, all others replaced. */
export function updatedPoolConfig(current: PoolConfig, input: UpdateUserPoolRequest): PoolConfig {
  const { UserPoolId: _id, PoolName: _name, ...settings } = input;
  return compact({
    ...updatableConfig(settings),
    // Tags are replaced when given, and kept when not [UNDOC]: TagResource's changes are not defaults.
    UserPoolTags: input.UserPoolTags ?? current.UserPoolTags ?? {},
    SchemaAttributes: current.SchemaAttributes,
    UsernameAttributes: current.UsernameAttributes,
    AliasAttributes: current.AliasAttributes,
    UsernameConfiguration: current.UsernameConfiguration,
  });
}

/**
 * Only attributes the pool verifies can wait for verification before an update [OBS aws-cli#7151].
 */
function checkVerificationBeforeUpdate(config: PoolConfig): void {
  const held = config.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  const auto = config.AutoVerifiedAttributes ?? [];
  if (held.some((name) => !(auto as string[]).includes(name)))
    throw Errors.verificationBeforeUpdateNotAutoVerified();
}

/** A new pool record. */
export function createPool(id: string, input: CreateUserPoolRequest, now: Date): PoolRecord {
  checkPoolTags(input.UserPoolTags);
  const config = newPoolConfig(input);
  checkVerificationBeforeUpdate(config);
  assertTierAllowsAddOns(config);
  checkSignInPolicyTier(config);
  return { id, name: input.PoolName, config, createdAt: now, updatedAt: now };
}

/** The pool after UpdateUserPool (PoolName, when given, renames it). */
export function updatePool(pool: PoolRecord, input: UpdateUserPoolRequest, now: Date): PoolRecord {
  checkPoolTags(input.UserPoolTags);
  const config = updatedPoolConfig(pool.config, input);
  checkVerificationBeforeUpdate(config);
  assertTierAllowsAddOns(config);
  checkSignInPolicyTier(config);
  return { ...pool, name: input.PoolName ?? pool.name, config, updatedAt: now };
}

/** The pool after AddCustomAttributes. */
export function addCustomAttributes(pool: PoolRecord, added: SchemaAttributeType[], now: Date): PoolRecord {
  return {
    ...pool,
    config: { ...pool.config, SchemaAttributes: withCustomAttributes(schemaAttributes(pool), added) },
    updatedAt: now,
  };
}

export function assertDeletable(pool: PoolRecord): void {
  if (pool.config.DeletionProtection === "ACTIVE") throw Errors.deletionProtected();
}

/** The pool as DescribeUserPool / CreateUserPool return it. */
export function describePool(pool: PoolRecord, estimatedNumberOfUsers: number): UserPoolType {
  return {
    Id: pool.id,
    Name: pool.name,
    Arn: poolArn(pool),
    ...pool.config,
    CreationDate: pool.createdAt,
    LastModifiedDate: pool.updatedAt,
    EstimatedNumberOfUsers: estimatedNumberOfUsers,
  };
}
