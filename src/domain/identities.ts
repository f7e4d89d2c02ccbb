/**
 * Who an outside identity is in a pool (FEDERATION.md §3): the username of the profile it makes,
 * `<ProviderName>_<subject>`, and its entry in the `identities` attribute of the user it signs in
 * as — a JSON string of entries whose `primary` is a boolean and `dateCreated` epoch milliseconds
 * (§3.3). The profile's own identity is primary; identities linked to a user are not.
 */
import type { IdentityProviderRecord } from "../store/identity-providers.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { isCaseSensitive } from "./pools.js";

export const IDENTITIES_ATTRIBUTE = "identities";

/** The attribute name of links and disables that name the provider's subject itself [API]. */
export const COGNITO_SUBJECT = "Cognito_Subject";

export interface FederatedIdentity {
  userId: string;
  providerName: string;
  providerType: string;
  /** The SAML provider's entity ID; null for OIDC and social providers. */
  issuer: string | null;
  primary: boolean;
  dateCreated: number;
}

/** `<ProviderName>_<subject>`, lower-cased whole in case-insensitive pools [OBS]. */
export function federatedUsername(pool: PoolRecord, providerName: string, subject: string): string {
  const username = `${providerName}_${subject}`;
  return isCaseSensitive(pool) ? username : username.toLowerCase();
}

/** The entry of the provider's identity with this subject, made now. */
export function identityFor(
  provider: IdentityProviderRecord,
  subject: string,
  primary: boolean,
  now: Date,
): FederatedIdentity {
  return {
    userId: subject,
    providerName: provider.name,
    providerType: provider.type,
    issuer: provider.samlMetadata?.entityId ?? null,
    primary,
    dateCreated: now.getTime(),
  };
}

export function identitiesOf(user: UserRecord): FederatedIdentity[] {
  const text = user.attributes[IDENTITIES_ATTRIBUTE];
  return text ? (JSON.parse(text) as FederatedIdentity[]) : [];
}

function withIdentities(user: UserRecord, identities: FederatedIdentity[], now: Date): UserRecord {
  const attributes = { ...user.attributes };
  if (identities.length > 0) attributes[IDENTITIES_ATTRIBUTE] = JSON.stringify(identities);
  else delete attributes[IDENTITIES_ATTRIBUTE];
  return { ...user, attributes, updatedAt: now };
}

const sameIdentity = (a: FederatedIdentity, providerName: string, userId: string) =>
  a.providerName === providerName && a.userId === userId;

/** The user with the identity listed (unchanged when it is already). */
export function withIdentity(user: UserRecord, identity: FederatedIdentity, now: Date): UserRecord {
  const identities = identitiesOf(user);
  if (identities.some((i) => sameIdentity(i, identity.providerName, identity.userId))) return user;
  return withIdentities(user, [...identities, identity], now);
}

/** The user without the provider's identity of this subject (unchanged when it has none). */
export function withoutIdentity(
  user: UserRecord,
  providerName: string,
  userId: string,
  now: Date,
): UserRecord {
  const identities = identitiesOf(user);
  const kept = identities.filter((i) => !sameIdentity(i, providerName, userId));
  return kept.length === identities.length ? user : withIdentities(user, kept, now);
}

/**
 * The ID token's `identities` claim: the attribute's entries as a JSON array whose leaf values are
 * strings (`"primary":"true"`, `"dateCreated":"1682704282933"`; `issuer` stays null) [OBS].
 */
export function identitiesClaim(user: UserRecord): Record<string, string | null>[] | undefined {
  const identities = identitiesOf(user);
  if (identities.length === 0) return undefined;
  return identities.map((i) => ({
    userId: i.userId,
    providerName: i.providerName,
    providerType: i.providerType,
    issuer: i.issuer,
    primary: String(i.primary),
    dateCreated: String(i.dateCreated),
  }));
}
