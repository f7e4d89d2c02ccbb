/**
 * User pool domains (OAUTH.md §1): the checks CreateUserPoolDomain makes, in Cognito's order; what
 * Update and Delete accept; DescribeUserPoolDomain's DomainDescription; the host name a browser
 * uses for a domain, and the URL discovery and e-mailed links name it by. A domain is a Cognito prefix (`<prefix>.auth.<region>.amazoncognito.com`) or a
 * custom host name; a pool holds at most one of each, and a name belongs to one pool of the server.
 */
import { createHash } from "node:crypto";
import { newCloudFrontDomain } from "../crypto/random.js";
import type {
  CreateUserPoolDomainRequest,
  CreateUserPoolDomainResponse,
  DomainDescriptionType,
  UpdateUserPoolDomainRequest,
  UserPoolType,
} from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import type { DomainRecord } from "../store/domains.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import type { PoolRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";
import { requirePool } from "./lookup.js";
import { ACCOUNT_ID, poolRegion } from "./pools.js";

export type { DomainRecord };

/** The model's DomainType pattern: applied whole to a prefix, and to each label of a custom domain. */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Words no prefix may contain, anywhere [OBS]. */
const RESERVED_WORDS = ["aws", "amazon", "cognito"];
/** 1: the hosted UI (classic), the default [DG]; 2: managed login. */
const MANAGED_LOGIN_VERSIONS = [1, 2];
const DEFAULT_MANAGED_LOGIN_VERSION = 1;
const MANAGED_LOGIN = 2;

/** Host names are case-insensitive, and domains are stored lower-cased. */
function domainKey(name: string): string {
  return name.toLowerCase();
}

/**
 * Steps 2 and 3 of OAUTH.md §1.2: the characters, and for a prefix the reserved words. (A custom
 * domain's length, at most a host name's 253 characters, is checked with the model's constraints.)
 */
function checkName(name: string, custom: boolean): void {
  if (custom) {
    if (!name.split(".").every((label) => LABEL.test(label))) throw Errors.domainInvalidCharacter();
    return;
  }
  if (!LABEL.test(name)) throw Errors.domainInvalidCharacter();
  const reserved = RESERVED_WORDS.find((word) => name.includes(word));
  if (reserved) throw Errors.domainReservedWord(reserved);
}

function checkManagedLoginVersion(version: number | undefined): void {
  if (version !== undefined && !MANAGED_LOGIN_VERSIONS.includes(version)) {
    throw Errors.managedLoginVersionInvalid(version);
  }
}

/** Managed login needs the Essentials or Plus plan. */
function assertTierAllows(pool: PoolRecord, version: number | undefined): void {
  const tier = pool.config.UserPoolTier ?? "ESSENTIALS";
  if (version === MANAGED_LOGIN && tier === "LITE") throw Errors.managedLoginUnavailableInTier(tier);
}

/** Cognito's versions of a domain or a customization: yyyyMMddHHmmss (UTC) of the last change. */
export function versionAt(now: Date): string {
  return now.toISOString().replace(/\D/g, "").slice(0, 14);
}

/** Prefix domains share one distribution per Region on AWS: a stable stand-in, derived from the Region. */
function prefixDistribution(region: string): string {
  return `d${createHash("sha256").update(region).digest("hex").slice(0, 13)}.cloudfront.net`;
}

/** The domain of that name, which must be the pool's. */
async function requirePoolDomain(store: Store, poolId: string, name: string): Promise<DomainRecord> {
  const domain = await store.domains.get(domainKey(name));
  if (!domain || domain.poolId !== poolId) throw Errors.domainNotFound();
  return domain;
}

/** CreateUserPoolDomain, checked in the order of OAUTH.md §1.2, then stored. */
export async function createDomain(
  store: Store,
  input: CreateUserPoolDomainRequest,
  now: Date,
): Promise<DomainRecord> {
  const custom = input.CustomDomainConfig !== undefined;
  checkName(input.Domain, custom);
  checkManagedLoginVersion(input.ManagedLoginVersion);
  const pool = await requirePool(store, input.UserPoolId);
  const held = await store.domains.listForPool(pool.id);
  if (held.some((domain) => domain.custom === custom)) throw Errors.poolAlreadyHasDomain();
  if (await store.domains.get(input.Domain)) throw Errors.domainTaken();
  // AWS resolves the parent domain; locally only a name without a parent is refused.
  if (custom && !input.Domain.includes(".")) throw Errors.customDomainNotSubdomain();
  assertTierAllows(pool, input.ManagedLoginVersion);
  const record: DomainRecord = {
    domain: input.Domain,
    poolId: pool.id,
    custom,
    certificateArn: input.CustomDomainConfig?.CertificateArn ?? null,
    managedLoginVersion: input.ManagedLoginVersion ?? DEFAULT_MANAGED_LOGIN_VERSION,
    cloudFrontDistribution: custom ? newCloudFrontDomain() : prefixDistribution(poolRegion(pool.id)),
    version: versionAt(now),
    createdAt: now,
    updatedAt: now,
  };
  try {
    await store.domains.insert(record);
  } catch (error) {
    // Another pool took the name since it was looked up.
    if (error instanceof DuplicateKeyError) throw Errors.domainTaken();
    throw error;
  }
  return record;
}

/**
 * UpdateUserPoolDomain changes the managed-login version (kept when omitted) and a custom domain's
 * certificate, never the name or kind. A changed version ends the domain's managed-login sessions
 * on AWS; whoever keeps those sessions must end them.
 */
export async function updateDomain(
  store: Store,
  input: UpdateUserPoolDomainRequest,
  now: Date,
): Promise<DomainRecord> {
  checkManagedLoginVersion(input.ManagedLoginVersion);
  const pool = await requirePool(store, input.UserPoolId);
  const current = await requirePoolDomain(store, pool.id, input.Domain);
  if (current.custom && !input.CustomDomainConfig) throw Errors.customDomainToPrefix();
  if (!current.custom && input.CustomDomainConfig) throw Errors.prefixDomainToCustom();
  assertTierAllows(pool, input.ManagedLoginVersion);
  const updated: DomainRecord = {
    ...current,
    managedLoginVersion: input.ManagedLoginVersion ?? current.managedLoginVersion,
    certificateArn: input.CustomDomainConfig?.CertificateArn ?? null,
    version: versionAt(now),
    updatedAt: now,
  };
  await store.domains.update(updated);
  return updated;
}

export async function deleteDomain(store: Store, poolId: string, name: string): Promise<void> {
  const pool = await requirePool(store, poolId);
  const domain = await requirePoolDomain(store, pool.id, name);
  await store.domains.delete(domain.domain);
}

/** DescribeUserPoolDomain: an unknown name is an empty description, not an error [OBS]. */
export async function describeDomainNamed(store: Store, name: string): Promise<DomainDescriptionType> {
  const domain = await store.domains.get(domainKey(name));
  return domain ? describeDomain(domain) : {};
}

export function describeDomain(domain: DomainRecord): DomainDescriptionType {
  return {
    UserPoolId: domain.poolId,
    AWSAccountId: ACCOUNT_ID,
    Domain: domain.domain,
    S3Bucket: `aws-cognito-prod-${poolRegion(domain.poolId)}-assets`,
    CloudFrontDistribution: domain.cloudFrontDistribution,
    Version: domain.version,
    Status: "ACTIVE",
    ...(domain.certificateArn !== null && { CustomDomainConfig: { CertificateArn: domain.certificateArn } }),
    ManagedLoginVersion: domain.managedLoginVersion,
  };
}

/** What CreateUserPoolDomain and UpdateUserPoolDomain return: prefixes without CloudFrontDomain [OBS weak]. */
export function domainChange(domain: DomainRecord): CreateUserPoolDomainResponse {
  return {
    ...(domain.custom && { CloudFrontDomain: domain.cloudFrontDistribution }),
    ManagedLoginVersion: domain.managedLoginVersion,
  };
}

/** DescribeUserPool's Domain (the prefix) and CustomDomain (the host name). */
export function poolDomainFields(domains: DomainRecord[]): Pick<UserPoolType, "Domain" | "CustomDomain"> {
  return {
    Domain: domains.find((domain) => !domain.custom)?.domain,
    CustomDomain: domains.find((domain) => domain.custom)?.domain,
  };
}

/** DeleteUserPool refuses a pool that still holds a domain [OBS]. */
export async function assertNoDomain(store: Store, poolId: string): Promise<void> {
  if ((await store.domains.listForPool(poolId)).length > 0) throw Errors.poolHasDomain();
}

/** The host a browser uses for the domain on AWS. */
export function domainHostName(record: DomainRecord, region: string): string {
  return record.custom ? record.domain : `${record.domain}.auth.${region}.amazoncognito.com`;
}

/** The path form's prefix: `/_domain/<domain>/<endpoint>` on this server's own host. */
export const PATH_FORM_PREFIX = "/_domain/";

/** The domain a pool advertises: its custom domain, else its prefix domain [UNDOC]. */
export function preferredDomain(domains: readonly DomainRecord[]): DomainRecord | undefined {
  return domains.find((d) => d.custom) ?? domains[0];
}

type UrlServices = Pick<Services, "config" | "baseUrl">;

/** The host a browser uses for the domain locally: a custom domain's name, or the loopback form. */
function localHostOf(services: UrlServices, domain: DomainRecord): string {
  if (domain.custom) return domain.domain;
  return `${domain.domain}.auth.${poolRegion(domain.poolId)}.${services.config.domains.loopbackSuffix}`;
}

/** The domain's URL in discovery and absolute links (`domains.publicUrl`, else the path form on this server). */
export function publicUrlOf(services: UrlServices, domain: DomainRecord): string {
  const template = services.config.domains.publicUrl;
  if (template === null) return `${services.baseUrl}${PATH_FORM_PREFIX}${domain.domain}`;
  return template.replaceAll("{domain}", domain.domain).replaceAll("{host}", localHostOf(services, domain));
}
