/**
 * A pool's outside identity providers (FEDERATION.md §1): their names and types, creation, update
 * and deletion with Cognito's rules, and the names a client may list in SupportedIdentityProviders
 * (`COGNITO`, the pool's own users, and every provider of the pool; only SAML ones beside an
 * IdP-initiated SAML provider).
 */
import type { FederationConfig } from "../config/federation.js";
import { newCertifiedKey } from "../crypto/certificates.js";
import type {
  CreateIdentityProviderRequest,
  IdentityProviderType,
  IdentityProviderTypeType,
  ProviderDescription,
  UpdateIdentityProviderRequest,
} from "../protocol/types.generated.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import type { CertifiedKey, IdentityProviderRecord } from "../store/identity-providers.js";
import type { ClientRecord, PoolRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { storedAttributeMapping } from "./attribute-mapping.js";
import { Errors } from "./errors.js";
import { requirePool, requirePoolForUpdate } from "./lookup.js";
import {
  type DetailsContext,
  describedDetails,
  resolveProviderDetails,
  wantsEncryptedResponses,
} from "./provider-details.js";
import { poolSamlSigningKey } from "./saml-signing.js";

/** The pseudo-provider of the pool's own users (FEDERATION.md §1.2). */
export const COGNITO_PROVIDER = "COGNITO";

/** Providers per pool [DG quotas]. */
export const MAX_IDENTITY_PROVIDERS_PER_POOL = 300;

/** Social types have one provider per pool, named as the type [OBS aws-cli#3179]. */
const SOCIAL_TYPES: ReadonlySet<IdentityProviderTypeType> = new Set([
  "Google",
  "Facebook",
  "LoginWithAmazon",
  "SignInWithApple",
]);

export function isSocialType(type: IdentityProviderTypeType): boolean {
  return SOCIAL_TYPES.has(type);
}

/** `Cognito` / `COGNITO`, in any case: the pool's own users, never an outside provider [UNDOC]. */
export function isCognitoProvider(name: string): boolean {
  return name.toUpperCase() === COGNITO_PROVIDER;
}

/** A provider's type, or `COGNITO` for the pool's own users. */
export type ClientProviderType = IdentityProviderTypeType | typeof COGNITO_PROVIDER;

/**
 * What a client's SupportedIdentityProviders is checked against: every provider the pool has now
 * (`COGNITO` among them) with its type, and which of the listed ones accept IdP-initiated sign-in.
 */
export interface ClientProviders {
  types: ReadonlyMap<string, ClientProviderType>;
  idpInitiated: ReadonlySet<string>;
}

/** SAML details that accept IdP-initiated sign-in (FEDERATION.md §2.5) [DG]. */
export function isIdpInitiated(provider: Pick<IdentityProviderRecord, "type" | "details">): boolean {
  return provider.type === "SAML" && provider.details.IDPInit === "true";
}

/**
 * The first of `listed` that a client listing an IdP-initiated SAML provider may not list beside it:
 * such a client lists only SAML providers — not COGNITO, social or OIDC ones [DG
 * cognito-user-pools-SAML-session-initiation-idp-initiation: "you can't add non-SAML IdPs,
 * including the user pool itself, to any app client that uses a SAML provider with IdP-initiated
 * sign-in"].
 */
export function notSamlProvider(
  listed: readonly string[],
  types: ReadonlyMap<string, ClientProviderType>,
): string | undefined {
  return listed.find((name) => types.get(name) !== "SAML");
}

/**
 * The pool's providers for checking `listed`, a client's SupportedIdentityProviders. IDPInit lives
 * in the details, sealed at rest, so they are opened only for listed SAML providers, and only
 * when the list also holds something else — otherwise IDPInit changes nothing.
 */
export async function clientProviders(
  store: Store,
  poolId: string,
  listed: readonly string[] = [],
): Promise<ClientProviders> {
  const types = new Map<string, ClientProviderType>(await store.identityProviders.types(poolId));
  types.set(COGNITO_PROVIDER, COGNITO_PROVIDER);
  const idpInitiated = new Set<string>();
  if (notSamlProvider(listed, types) !== undefined) {
    for (const name of new Set(listed)) {
      if (types.get(name) !== "SAML") continue;
      const provider = await store.identityProviders.get(poolId, name);
      if (provider && isIdpInitiated(provider)) idpInitiated.add(name);
    }
  }
  return { types, idpInitiated };
}

export async function requireIdentityProvider(
  store: Store,
  poolId: string,
  name: string,
): Promise<IdentityProviderRecord> {
  const provider = await store.identityProviders.get(poolId, name);
  if (!provider) throw Errors.identityProviderNotFound(name);
  return provider;
}

export function describeIdentityProvider(provider: IdentityProviderRecord): IdentityProviderType {
  return {
    UserPoolId: provider.poolId,
    ProviderName: provider.name,
    ProviderType: provider.type,
    ProviderDetails: describedDetails(provider),
    AttributeMapping: provider.attributeMapping,
    IdpIdentifiers: provider.idpIdentifiers,
    LastModifiedDate: provider.updatedAt,
    CreationDate: provider.createdAt,
  };
}

/** What ListIdentityProviders shows of a provider: no details, mapping or identifiers. */
export function providerDescription(provider: IdentityProviderRecord): ProviderDescription {
  return {
    ProviderName: provider.name,
    ProviderType: provider.type,
    LastModifiedDate: provider.updatedAt,
    CreationDate: provider.createdAt,
  };
}

/** The group every profile a provider creates joins [DG groups]. */
export function providerGroupName(poolId: string, providerName: string): string {
  return `${poolId}_${providerName}`;
}

/** Creates the provider's group unless the pool has it; no description, role or precedence [UNDOC]. */
export async function ensureProviderGroup(store: Store, poolId: string, providerName: string, now: Date) {
  const name = providerGroupName(poolId, providerName);
  if (await store.groups.get(poolId, name)) return;
  const group = {
    poolId,
    name,
    description: null,
    roleArn: null,
    precedence: null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await store.groups.insert(group);
  } catch (error) {
    if (!(error instanceof DuplicateKeyError)) throw error;
  }
}

function checkNewName(name: string, type: IdentityProviderTypeType): void {
  if (isCognitoProvider(name)) throw Errors.providerNameReserved(name);
  if (isSocialType(type) && name !== type) throw Errors.providerNameNotType(name, type);
}

/** Identifiers are unique in the pool [DG]: within the list, and against other providers' (read). */
async function checkIdentifiers(
  store: Store,
  pool: PoolRecord,
  name: string,
  identifiers: readonly string[],
) {
  const seen = new Set<string>();
  for (const identifier of identifiers) {
    if (seen.has(identifier)) throw Errors.idpIdentifierExists(identifier, pool.id);
    const holder = await store.identityProviders.getByIdentifier(pool.id, identifier);
    if (holder && holder.name !== name) throw Errors.idpIdentifierExists(identifier, pool.id);
    seen.add(identifier);
  }
}

/** Stores the provider's identifiers; one taken meanwhile by another provider is refused. */
async function assignIdentifiers(tx: Store, pool: PoolRecord, name: string, identifiers: readonly string[]) {
  await checkIdentifiers(tx, pool, name, identifiers);
  try {
    await tx.identityProviders.setIdentifiers(pool.id, name, identifiers);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw Errors.idpIdentifierExists(identifiers[0], pool.id);
    throw error;
  }
}

/** A SAML provider with EncryptedResponses gets its own key and certificate, once [DG]. */
async function encryptionKeyFor(
  pool: PoolRecord,
  type: IdentityProviderTypeType,
  details: Record<string, string>,
  current: CertifiedKey | null,
  now: Date,
): Promise<CertifiedKey | null> {
  if (current || !wantsEncryptedResponses(type, details)) return current;
  return newCertifiedKey(pool.id, "encryption", now);
}

/**
 * CreateIdentityProvider. What needs no network is checked first; then the details are resolved
 * (OIDC discovery, SAML metadata) and keys made, outside the transaction; the pool is held while
 * its providers are counted, so two creations cannot both take the last place.
 */
export async function createIdentityProvider(
  store: Store,
  config: FederationConfig,
  input: CreateIdentityProviderRequest,
  now: Date,
): Promise<IdentityProviderRecord> {
  const pool = await requirePool(store, input.UserPoolId);
  const { ProviderName: name, ProviderType: type } = input;
  checkNewName(name, type);
  if (await store.identityProviders.get(pool.id, name)) throw Errors.providerExists(name, pool.id);
  const attributeMapping = storedAttributeMapping(pool, type, input.AttributeMapping);
  const identifiers = input.IdpIdentifiers ?? [];
  await checkIdentifiers(store, pool, name, identifiers);
  const context: DetailsContext = { config, now };
  const { details, samlMetadata } = await resolveProviderDetails(
    type,
    input.ProviderDetails,
    undefined,
    context,
  );
  const encryptionKey = await encryptionKeyFor(pool, type, details, null, now);
  if (type === "SAML") await poolSamlSigningKey(store, pool.id, now);
  const provider: IdentityProviderRecord = {
    poolId: pool.id,
    name,
    type,
    details,
    attributeMapping,
    idpIdentifiers: identifiers,
    samlMetadata,
    encryptionKey,
    createdAt: now,
    updatedAt: now,
  };
  await store.transaction(async (tx) => {
    await requirePoolForUpdate(tx, pool.id);
    if (await tx.identityProviders.get(pool.id, name)) throw Errors.providerExists(name, pool.id);
    if ((await tx.identityProviders.count(pool.id)) >= MAX_IDENTITY_PROVIDERS_PER_POOL) {
      throw Errors.identityProviderLimit(MAX_IDENTITY_PROVIDERS_PER_POOL);
    }
    try {
      await tx.identityProviders.insert(provider);
    } catch (error) {
      if (error instanceof DuplicateKeyError) throw Errors.providerExists(name, pool.id);
      throw error;
    }
    await assignIdentifiers(tx, pool, name, identifiers);
    await ensureProviderGroup(tx, pool.id, name, now);
  });
  return provider;
}

/**
 * UpdateIdentityProvider: each member given replaces the stored one whole; members left out are
 * kept [UNDOC]. The type never changes.
 */
export async function updateIdentityProvider(
  store: Store,
  config: FederationConfig,
  input: UpdateIdentityProviderRequest,
  now: Date,
): Promise<IdentityProviderRecord> {
  const pool = await requirePool(store, input.UserPoolId);
  if (isCognitoProvider(input.ProviderName)) throw Errors.cognitoProviderUnsupported(input.ProviderName);
  const current = await requireIdentityProvider(store, pool.id, input.ProviderName);
  const { type } = current;
  const attributeMapping =
    input.AttributeMapping === undefined
      ? current.attributeMapping
      : storedAttributeMapping(pool, type, input.AttributeMapping);
  const identifiers = input.IdpIdentifiers ?? current.idpIdentifiers;
  await checkIdentifiers(store, pool, current.name, identifiers);
  const resolved =
    input.ProviderDetails === undefined
      ? { details: current.details, samlMetadata: current.samlMetadata }
      : await resolveProviderDetails(type, input.ProviderDetails, current.details, { config, now });
  const encryptionKey = await encryptionKeyFor(pool, type, resolved.details, current.encryptionKey, now);
  const updated: IdentityProviderRecord = {
    ...current,
    ...resolved,
    attributeMapping,
    idpIdentifiers: identifiers,
    encryptionKey,
    updatedAt: now,
  };
  await store.transaction(async (tx) => {
    const turnsOnIdpInit = isIdpInitiated(updated) && !isIdpInitiated(current);
    // The pool row first, as CreateUserPoolClient and UpdateUserPoolClient take it: no client can
    // start listing a non-SAML provider beside this one between the check and the commit.
    if (turnsOnIdpInit) await requirePoolForUpdate(tx, pool.id);
    await requireIdentityProvider(tx, pool.id, current.name);
    if (turnsOnIdpInit) await checkClientsForIdpInit(tx, pool.id, current.name);
    await tx.identityProviders.update(updated);
    await assignIdentifiers(tx, pool, current.name, identifiers);
  });
  return updated;
}

/** Each client of the pool, a page at a time. */
async function forEachClient(tx: Store, poolId: string, visit: (client: ClientRecord) => Promise<void>) {
  const PAGE = 100;
  let after: string | undefined;
  for (;;) {
    const clients = await tx.clients.list(poolId, PAGE, after);
    for (const client of clients) await visit(client);
    if (clients.length < PAGE) return;
    after = clients[clients.length - 1].id;
  }
}

/**
 * UpdateIdentityProvider that turns IDPInit on while a client lists the provider beside COGNITO or
 * a non-SAML provider. Cognito documents the rule only for app clients; we refuse the update, so that
 * the rule holds whichever side changes, rather than edit the clients or allow the mix [UNDOC;
 * docs/decisions/federation.md]. Only turning it on is checked: other updates of a provider that
 * is already IdP-initiated are left alone. Call inside `store.transaction()`.
 */
async function checkClientsForIdpInit(tx: Store, poolId: string, name: string): Promise<void> {
  const types = new Map<string, ClientProviderType>(await tx.identityProviders.types(poolId));
  types.set(COGNITO_PROVIDER, COGNITO_PROVIDER);
  await forEachClient(tx, poolId, async (client) => {
    const listed = client.config.SupportedIdentityProviders ?? [];
    if (!listed.includes(name)) return;
    const other = notSamlProvider(listed, types);
    if (other !== undefined) throw Errors.idpInitiatedProviderListedWithOthers(name, client.id, other);
  });
}

/** Removes the provider from the SupportedIdentityProviders of every client of the pool [UNDOC]. */
async function removeFromClients(tx: Store, poolId: string, name: string): Promise<void> {
  await forEachClient(tx, poolId, async (client) => {
    const providers = client.config.SupportedIdentityProviders;
    if (!providers?.includes(name)) return;
    const kept = providers.filter((provider) => provider !== name);
    await tx.clients.update({ ...client, config: { ...client.config, SupportedIdentityProviders: kept } });
  });
}

/**
 * DeleteIdentityProvider's part here: the provider and its identifiers go, and clients no longer
 * list it. Its users and its group stay [UNDOC]. Call inside `store.transaction()`.
 */
export async function deleteIdentityProvider(tx: Store, pool: PoolRecord, name: string): Promise<void> {
  if (isCognitoProvider(name)) throw Errors.cognitoProviderUnsupported(name);
  await requireIdentityProvider(tx, pool.id, name);
  await tx.identityProviders.delete(pool.id, name);
  await removeFromClients(tx, pool.id, name);
}
