/**
 * Linking (FEDERATION.md §4): AdminLinkProviderForUser records that an outside identity — a
 * provider's subject (`Cognito_Subject`) or, for OIDC and SAML, the value of an attribute its
 * mapping fills — signs in as an existing user; AdminDisableProviderForUser undoes a link, or stops
 * a local user's password sign-in. Links go with their user and with their provider.
 */
import type {
  AdminDisableProviderForUserRequest,
  AdminLinkProviderForUserRequest,
  ProviderUserIdentifierType,
} from "../protocol/types.generated.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import type { IdentityLinkRecord, LinkSource } from "../store/identity-links.js";
import type { IdentityProviderRecord } from "../store/identity-providers.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { mappedPoolAttributes } from "./attribute-mapping.js";
import { Errors } from "./errors.js";
import {
  COGNITO_SUBJECT,
  federatedUsername,
  identityFor,
  withIdentity,
  withoutIdentity,
} from "./identities.js";
import { isCognitoProvider, isSocialType } from "./identity-providers.js";
import { isCustomAttribute, schemaAttribute, usernameKey } from "./pools.js";
import { requireUserForUpdate } from "./users.js";

/** Identities linked to one user [DG]. */
export const MAX_LINKED_IDENTITIES = 5;
/** Different ProviderAttributeName values the links of one provider may use [DG]. */
export const MAX_LINK_ATTRIBUTE_NAMES = 5;

type Identifier = Required<Pick<ProviderUserIdentifierType, "ProviderName" | "ProviderAttributeValue">> &
  ProviderUserIdentifierType;
type SourceIdentifier = Required<ProviderUserIdentifierType>;

/** The members the model leaves optional but the operation needs, refused as the validator words it. */
function requireMembers(members: [string, string | undefined][]): void {
  const missing = members.filter(([, value]) => value === undefined).map(([path]) => path);
  if (missing.length > 0) throw Errors.membersMissing(missing);
}

/** The provider of a link's source; the attribute must be one the link can be matched by [API]. */
async function sourceProvider(
  store: Store,
  pool: PoolRecord,
  source: SourceIdentifier,
): Promise<IdentityProviderRecord> {
  if (isCognitoProvider(source.ProviderName)) throw Errors.cognitoSourceUser();
  const provider = await store.identityProviders.get(pool.id, source.ProviderName);
  if (!provider) throw Errors.linkProviderNotFound(source.ProviderName);
  const attribute = source.ProviderAttributeName;
  if (attribute === COGNITO_SUBJECT) return provider;
  if (isSocialType(provider.type)) throw Errors.socialLinkAttribute(provider.type);
  if (!mappedPoolAttributes(provider).includes(attribute)) {
    throw Errors.linkAttributeNotMapped(attribute, provider.name);
  }
  return provider;
}

/** The user DestinationUser names: a local user by name (alias or sub), or a federated profile by subject. */
async function destinationUser(tx: Store, pool: PoolRecord, destination: Identifier): Promise<UserRecord> {
  const { ProviderName: provider, ProviderAttributeValue: value } = destination;
  if (isCognitoProvider(provider)) return requireUserForUpdate(tx, pool, value);
  const username = federatedUsername(pool, provider, value);
  const user = await tx.users.getForUpdate(pool.id, usernameKey(pool, username));
  if (!user) throw Errors.userNotFound();
  return user;
}

function linkSource(source: SourceIdentifier): LinkSource {
  return {
    providerName: source.ProviderName,
    attributeName: source.ProviderAttributeName,
    attributeValue: source.ProviderAttributeValue,
  };
}

/** The link of a source: by its attribute, or (Cognito_Subject) any link its subject has used. */
async function existingLink(tx: Store, pool: PoolRecord, source: LinkSource) {
  const link = await tx.identityLinks.get(pool.id, source);
  if (link || source.attributeName !== COGNITO_SUBJECT) return link;
  return tx.identityLinks.findBySubject(pool.id, source.providerName, source.attributeValue);
}

/** All attributes of the destination must be mutable: an immutable custom one fails the link [API]. */
function checkDestinationMutable(pool: PoolRecord, user: UserRecord): void {
  const immutable = Object.keys(user.attributes).find(
    (name) => isCustomAttribute(name) && schemaAttribute(pool, name)?.Mutable === false,
  );
  if (immutable !== undefined) throw Errors.linkDestinationImmutable(immutable);
}

async function checkLimits(tx: Store, pool: PoolRecord, user: UserRecord, source: LinkSource): Promise<void> {
  if ((await tx.identityLinks.listForUser(pool.id, user.usernameKey)).length >= MAX_LINKED_IDENTITIES) {
    throw Errors.linkedIdentitiesLimit(MAX_LINKED_IDENTITIES);
  }
  const names = await tx.identityLinks.attributeNames(pool.id, source.providerName);
  if (!names.includes(source.attributeName) && names.length >= MAX_LINK_ATTRIBUTE_NAMES) {
    throw Errors.linkAttributeNamesLimit(MAX_LINK_ATTRIBUTE_NAMES, source.providerName);
  }
}

/**
 * AdminLinkProviderForUser. A source linked to the same user again succeeds and changes nothing
 * [UNDOC]. A link by subject lists the identity in the user's `identities` at once; one by
 * attribute when an identity first signs in through it.
 */
export async function linkProviderForUser(
  store: Store,
  pool: PoolRecord,
  input: AdminLinkProviderForUserRequest,
  now: Date,
): Promise<void> {
  const { DestinationUser: destination, SourceUser: source } = input;
  requireMembers([
    ["destinationUser.providerName", destination.ProviderName],
    ["destinationUser.providerAttributeValue", destination.ProviderAttributeValue],
    ["sourceUser.providerName", source.ProviderName],
    ["sourceUser.providerAttributeName", source.ProviderAttributeName],
    ["sourceUser.providerAttributeValue", source.ProviderAttributeValue],
  ]);
  const from = linkSource(source as SourceIdentifier);
  const provider = await sourceProvider(store, pool, source as SourceIdentifier);
  await store.transaction(async (tx) => {
    const user = await destinationUser(tx, pool, destination as Identifier);
    const bySubject = from.attributeName === COGNITO_SUBJECT;
    const ownProfile = federatedUsername(pool, provider.name, from.attributeValue);
    if (bySubject && (await tx.users.get(pool.id, usernameKey(pool, ownProfile)))) {
      throw Errors.sourceUserSignedUp();
    }
    const existing = await existingLink(tx, pool, from);
    if (existing?.usernameKey === user.usernameKey) return;
    if (existing) throw Errors.sourceUserLinked();
    checkDestinationMutable(pool, user);
    await checkLimits(tx, pool, user, from);
    const link: IdentityLinkRecord = {
      ...from,
      poolId: pool.id,
      usernameKey: user.usernameKey,
      subject: bySubject ? from.attributeValue : null,
      createdAt: now,
    };
    try {
      await tx.identityLinks.insert(link);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw Errors.sourceUserLinked();
      throw error;
    }
    if (bySubject)
      await tx.users.update(withIdentity(user, identityFor(provider, from.attributeValue, false, now), now));
  });
}

/** Removes a link and, when its identity had been listed, that identity from its user. */
async function unlink(tx: Store, pool: PoolRecord, link: IdentityLinkRecord, now: Date): Promise<void> {
  await tx.identityLinks.delete(pool.id, link);
  if (link.subject === null) return;
  const user = await tx.users.getForUpdate(pool.id, link.usernameKey);
  if (user) await tx.users.update(withoutIdentity(user, link.providerName, link.subject, now));
}

/** A local user can no longer sign in with a password: it has none any more [UNDOC]. */
async function disablePasswordSignIn(tx: Store, pool: PoolRecord, username: string, now: Date) {
  const user = await requireUserForUpdate(tx, pool, username);
  await tx.users.update({ ...user, password: null, updatedAt: now });
}

/**
 * AdminDisableProviderForUser: for `Cognito`, the local user's password sign-in stops; for a
 * provider, the link of the identity goes — named by the subject (Cognito_Subject) once it has
 * signed in, or as it was linked. The next sign-in of that identity makes a profile of its own.
 */
export async function disableProviderForUser(
  store: Store,
  pool: PoolRecord,
  input: AdminDisableProviderForUserRequest,
  now: Date,
): Promise<void> {
  const { User: identity } = input;
  requireMembers([
    ["user.providerName", identity.ProviderName],
    ["user.providerAttributeValue", identity.ProviderAttributeValue],
  ]);
  const { ProviderName: providerName, ProviderAttributeValue: value } = identity as Identifier;
  if (isCognitoProvider(providerName)) {
    await store.transaction((tx) => disablePasswordSignIn(tx, pool, value, now));
    return;
  }
  requireMembers([["user.providerAttributeName", identity.ProviderAttributeName]]);
  const source = linkSource(identity as SourceIdentifier);
  const provider = await store.identityProviders.get(pool.id, providerName);
  if (!provider) throw Errors.linkProviderNotFound(providerName);
  if (isSocialType(provider.type) && source.attributeName !== COGNITO_SUBJECT) {
    throw Errors.socialLinkAttribute(provider.type);
  }
  await store.transaction(async (tx) => {
    const link = await existingLink(tx, pool, source);
    if (!link) throw Errors.userNotFound();
    await unlink(tx, pool, link, now);
  });
}

/** With a deleted provider go its links, and its identities from the users they were linked to [UNDOC]. */
export async function unlinkProvider(
  tx: Store,
  pool: PoolRecord,
  providerName: string,
  now: Date,
): Promise<void> {
  for (const link of await tx.identityLinks.listForProvider(pool.id, providerName)) {
    await unlink(tx, pool, link, now);
  }
}
