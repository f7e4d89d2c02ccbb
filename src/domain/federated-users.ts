/**
 * The user an outside identity signs in as (FEDERATION.md §3, §4.5), for the sign-in flows of the
 * federation endpoints: find it (a linked user, else the identity's own profile), create the
 * profile on a first sign-in, update the user on every sign-in. Triggers (PreSignUp,
 * PostConfirmation…) are the caller's, between finding and creating.
 *
 * - A profile is `<ProviderName>_<subject>`, status EXTERNAL_PROVIDER, with the mapped attributes,
 *   its own identity (primary) in `identities`, and a member of the provider's group. It holds no
 *   sign-in aliases: it cannot sign in with a password, and its email is not a local user's [UNDOC].
 * - Every sign-in writes the mapped attributes again: one the provider does not send stays, an
 *   empty one is removed; an immutable one may not change; a linked identity joins the user's
 *   `identities` (not primary).
 */
import type { AttributeType } from "../protocol/types.generated.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import type { IdentityLinkRecord } from "../store/identity-links.js";
import type { IdentityProviderRecord } from "../store/identity-providers.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { ProviderAnswer } from "../triggers/events.js";
import type { PreSignUpDecision } from "../triggers/sign-up.js";
import { mapProviderAttributes } from "./attribute-mapping.js";
import { applyAttributeUpdates, checkRequiredAttributes } from "./attributes.js";
import { Errors } from "./errors.js";
import { COGNITO_SUBJECT, federatedUsername, identityFor, withIdentity } from "./identities.js";
import { ensureProviderGroup, providerGroupName } from "./identity-providers.js";
import { schemaAttribute, usernameKey } from "./pools.js";
import { applyPreSignUp } from "./pre-sign-up.js";
import { newUser, saveUser } from "./users.js";

/** An identity as its provider vouches for it at sign-in. */
export interface OutsideIdentity {
  provider: IdentityProviderRecord;
  /** The provider's subject: `sub`, Facebook `id`, Amazon `user_id`, the SAML NameID. */
  subject: string;
  /** The provider's attributes by their names (claims, userInfo fields, SAML attributes), as strings. */
  attributes: Readonly<Record<string, string>>;
  /** The provider's answer in its parts, for the inbound federation function. */
  answer?: ProviderAnswer;
}

/** The user an identity signs in as, and the link that made it so (none: the identity's own profile). */
export interface FederatedUser {
  user: UserRecord;
  link?: IdentityLinkRecord;
}

export interface FederatedWriteOptions {
  /** The app client signing in: with WriteAttributes, only those attributes are written [DG]. */
  client?: ClientRecord;
  /** A new profile: what the PreSignUp function decided (it may mark the email or phone verified). */
  preSignUp?: PreSignUpDecision;
}

async function linkedUser(store: Store, pool: PoolRecord, link: IdentityLinkRecord) {
  const user = await store.users.get(pool.id, link.usernameKey);
  return user && { user, link };
}

/**
 * The user the identity signs in as [UNDOC order]: the user its subject is linked to; else the
 * user a link by a mapped attribute names, if no identity has used that link yet (it serves the
 * first); else the identity's own profile. Undefined: a first sign-in.
 */
export async function findUserForIdentity(
  store: Store,
  pool: PoolRecord,
  identity: OutsideIdentity,
): Promise<FederatedUser | undefined> {
  const { provider, subject } = identity;
  const bySubject = await store.identityLinks.findBySubject(pool.id, provider.name, subject);
  const found = bySubject && (await linkedUser(store, pool, bySubject));
  if (found) return found;
  const mapped = mapProviderAttributes(provider, identity.attributes);
  const names = (await store.identityLinks.attributeNames(pool.id, provider.name)).sort();
  for (const attributeName of names) {
    const attributeValue = mapped[attributeName];
    if (attributeName === COGNITO_SUBJECT || !attributeValue) continue;
    const link = await store.identityLinks.get(pool.id, {
      providerName: provider.name,
      attributeName,
      attributeValue,
    });
    const byAttribute = link?.subject === null && (await linkedUser(store, pool, link));
    if (byAttribute) return byAttribute;
  }
  const username = federatedUsername(pool, provider.name, subject);
  const own = await store.users.get(pool.id, usernameKey(pool, username));
  return own && { user: own };
}

/**
 * The attribute writes of one sign-in: attributes the client may not write are skipped; an
 * immutable one is written only when the user is created, and may not change afterwards [DG].
 */
function attributeWrites(
  pool: PoolRecord,
  user: UserRecord,
  mapped: Record<string, string>,
  creating: boolean,
  options: FederatedWriteOptions,
): AttributeType[] {
  const declared = options.client?.config.WriteAttributes;
  const writable = declared?.length ? new Set(declared) : undefined;
  const writes: AttributeType[] = [];
  for (const [name, value] of Object.entries(mapped)) {
    if (writable && !writable.has(name)) continue;
    if (!creating && schemaAttribute(pool, name)?.Mutable === false) {
      if ((user.attributes[name] ?? "") !== value) throw Errors.federatedAttributeImmutable(name);
      continue;
    }
    writes.push({ Name: name, Value: value });
  }
  return writes;
}

/** A new profile's attributes: the mapped ones; an email the provider does not vouch for is unverified [DG]. */
function newProfileAttributes(identity: OutsideIdentity): Record<string, string> {
  const mapped = mapProviderAttributes(identity.provider, identity.attributes);
  if (mapped.email && mapped.email_verified === undefined) mapped.email_verified = "false";
  return mapped;
}

/**
 * Creates the identity's profile (first sign-in): the pool's required attributes must be mapped.
 * A concurrent first sign-in of the same identity makes this fail with UsernameExistsException.
 */
export async function createFederatedUser(
  store: Store,
  pool: PoolRecord,
  identity: OutsideIdentity,
  now: Date,
  options: FederatedWriteOptions = {},
): Promise<UserRecord> {
  const { provider, subject } = identity;
  const created = newUser(pool, {
    username: federatedUsername(pool, provider.name, subject),
    status: "EXTERNAL_PROVIDER",
    now,
  });
  const writes = attributeWrites(pool, created, newProfileAttributes(identity), true, options);
  const mapped = applyAttributeUpdates(pool, created, writes, { writer: "admin", now, creating: true }).user;
  // A profile is never "confirmed" by PreSignUp: it stays EXTERNAL_PROVIDER [DG].
  const verified = options.preSignUp
    ? applyPreSignUp(mapped, { ...options.preSignUp, autoConfirmUser: false }, now)
    : mapped;
  const user = withIdentity(verified, identityFor(provider, subject, true, now), now);
  checkRequiredAttributes(pool, user);
  await store.transaction(async (tx) => {
    await saveFederated(tx, pool, user, true);
    await ensureProviderGroup(tx, pool.id, provider.name, now);
    await tx.groups.addMember(pool.id, providerGroupName(pool.id, provider.name), user.usernameKey);
  });
  return user;
}

/** Profiles are written without aliases; a linked local user is saved as any user is. */
async function saveFederated(tx: Store, pool: PoolRecord, user: UserRecord, isNew: boolean): Promise<void> {
  if (user.status !== "EXTERNAL_PROVIDER") return saveUser(tx, pool, user);
  if (!isNew) return tx.users.update(user);
  try {
    await tx.users.insert(user);
  } catch (error) {
    throw error instanceof DuplicateKeyError ? Errors.usernameExists() : error;
  }
}

/**
 * Updates the user an identity signed in as (a later sign-in, or one through a link): mapped
 * attributes written again, a linked identity listed in `identities` and its link marked as used.
 */
export async function updateFederatedUser(
  store: Store,
  pool: PoolRecord,
  found: FederatedUser,
  identity: OutsideIdentity,
  now: Date,
  options: FederatedWriteOptions = {},
): Promise<UserRecord> {
  const { provider, subject } = identity;
  return store.transaction(async (tx) => {
    const current = await tx.users.getForUpdate(pool.id, found.user.usernameKey);
    if (!current) throw Errors.userNotFound(); // deleted since it was found
    const mapped = mapProviderAttributes(provider, identity.attributes);
    const writes = attributeWrites(pool, current, mapped, false, options);
    const written = applyAttributeUpdates(pool, current, writes, { writer: "admin", now }).user;
    const user = withIdentity(written, identityFor(provider, subject, found.link === undefined, now), now);
    if (found.link && found.link.subject === null)
      await tx.identityLinks.setSubject(pool.id, found.link, subject);
    await saveFederated(tx, pool, user, false);
    return user;
  });
}
