/**
 * AttributeMapping (FEDERATION.md §1.4): which provider attribute fills which pool attribute. The
 * `username` entry is fixed by the provider's type — its subject — and Cognito stores it whatever
 * was asked (SAML's subject is the NameID, which has no entry). Sign-in maps the provider's
 * attributes through it (§3.4).
 */
import type { IdentityProviderTypeType } from "../protocol/types.generated.js";
import type { IdentityProviderRecord } from "../store/identity-providers.js";
import type { PoolRecord } from "../store/records.js";
import { Errors } from "./errors.js";
import { isCustomAttribute, schemaAttribute } from "./pools.js";

export const USERNAME_KEY = "username";

/** The provider attribute that is the subject of each type [API][DG]; SAML uses the NameID. */
const SUBJECT_SOURCES: Record<IdentityProviderTypeType, string | undefined> = {
  OIDC: "sub",
  Google: "sub",
  SignInWithApple: "sub",
  Facebook: "id",
  LoginWithAmazon: "user_id",
  SAML: undefined,
};

/** The attribute the provider's subject comes from (undefined for SAML: the NameID). */
export function subjectSource(type: IdentityProviderTypeType): string | undefined {
  return SUBJECT_SOURCES[type];
}

/**
 * A pool attribute a provider may fill: one of the schema's but `sub`; a custom one only if it is
 * mutable [DG], since every sign-in writes it again.
 */
function mappable(pool: PoolRecord, name: string): boolean {
  const schema = schemaAttribute(pool, name);
  if (!schema || name === "sub") return false;
  return !isCustomAttribute(name) || schema.Mutable !== false;
}

/** The mapping as stored: checked against the pool's schema, the `username` entry set by type. */
export function storedAttributeMapping(
  pool: PoolRecord,
  type: IdentityProviderTypeType,
  given: Record<string, string> = {},
): Record<string, string> {
  const { [USERNAME_KEY]: _ignored, ...mapping } = given;
  const invalid = Object.keys(mapping).filter((name) => !mappable(pool, name));
  if (invalid.length > 0) throw Errors.attributeMappingInvalid(invalid);
  const subject = subjectSource(type);
  return subject === undefined ? mapping : { ...mapping, [USERNAME_KEY]: subject };
}

/** The pool attributes a provider's mapping fills (not `username`). */
export function mappedPoolAttributes(provider: IdentityProviderRecord): string[] {
  return Object.keys(provider.attributeMapping).filter((name) => name !== USERNAME_KEY);
}

/** A user attribute holds at most this many characters [DG]. */
const MAX_VALUE_LENGTH = 2048;

/**
 * The pool attributes an identity's provider attributes give: an attribute the provider does not
 * send is left out (the stored value stays); an empty one is given as "" (it clears the value).
 */
export function mapProviderAttributes(
  provider: IdentityProviderRecord,
  providerAttributes: Readonly<Record<string, string>>,
): Record<string, string> {
  const mapped: Record<string, string> = {};
  for (const [poolAttribute, source] of Object.entries(provider.attributeMapping)) {
    if (poolAttribute === USERNAME_KEY || !Object.hasOwn(providerAttributes, source)) continue;
    const value = providerAttributes[source];
    if ([...value].length > MAX_VALUE_LENGTH)
      throw Errors.federatedAttributeTooLong(poolAttribute, MAX_VALUE_LENGTH);
    mapped[poolAttribute] = value;
  }
  return mapped;
}
