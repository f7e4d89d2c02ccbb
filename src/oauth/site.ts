/**
 * Which pool's domain a request to a domain endpoint is for (OAUTH.md §1.5): by the Host header
 * (a custom domain, `<prefix>.auth.<region>.amazoncognito.com`, or the loopback form
 * `<prefix>.auth.<region>.<loopbackSuffix>`), by the path form `/_domain/<domain>/…` on any host,
 * or, for bare endpoint paths on this server's own host, by the app client the request names.
 */
import { preferredDomain } from "../domain/domains.js";
import { poolRegion } from "../domain/pools.js";
import type { Services } from "../services.js";
import type { DomainRecord } from "../store/domains.js";
import type { PoolRecord } from "../store/records.js";

/** A domain being served, and how its pages link to each other. */
export interface Site {
  domain: DomainRecord;
  pool: PoolRecord;
  /** Prefix of every endpoint path: "" on the domain's own host, `/_domain/<domain>` in the path form. */
  basePath: string;
  /** The request came over TLS: cookies are marked Secure. */
  secure: boolean;
}

/** The endpoint path within the site, e.g. `/login` → `/_domain/myapp/login` in the path form. */
export function sitePath(site: Site, endpoint: string): string {
  return `${site.basePath}${endpoint}`;
}

/** The host name of a Host header: lower-cased, without port or trailing dot. */
export function hostName(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d*$/, "");
  return name.replace(/\.$/, "");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** `<prefix>.auth[-fips].<region>.amazoncognito.com` or `<prefix>.auth.<region>.<suffix>` → prefix and region. */
function prefixHost(name: string, loopbackSuffix: string): { prefix: string; region: string } | undefined {
  const cognito = /^([a-z0-9-]+)\.auth(?:-fips)?\.([a-z0-9-]+)\.amazoncognito\.com$/.exec(name);
  const loopback = new RegExp(`^([a-z0-9-]+)\\.auth\\.([a-z0-9-]+)\\.${escapeRegExp(loopbackSuffix)}$`).exec(
    name,
  );
  const match = cognito ?? loopback;
  return match ? { prefix: match[1], region: match[2] } : undefined;
}

async function withPool(
  services: Services,
  domain: DomainRecord | undefined,
): Promise<{ domain: DomainRecord; pool: PoolRecord } | undefined> {
  if (!domain) return undefined;
  const pool = await services.store.pools.get(domain.poolId);
  return pool && { domain, pool };
}

/** Whether a Host header has the form of a prefix domain's host (known or not): never this server's own host. */
export function isPrefixDomainHost(services: Services, hostHeader: string): boolean {
  return prefixHost(hostName(hostHeader), services.config.domains.loopbackSuffix) !== undefined;
}

/** The domain a Host header names, with its pool; undefined for any other host. */
export async function domainOfHost(services: Services, hostHeader: string) {
  const name = hostName(hostHeader);
  const byName = await services.store.domains.get(name);
  if (byName?.custom) return withPool(services, byName);
  const prefixed = prefixHost(name, services.config.domains.loopbackSuffix);
  if (!prefixed) return undefined;
  const domain = await services.store.domains.get(prefixed.prefix);
  if (!domain || domain.custom || poolRegion(domain.poolId) !== prefixed.region) return undefined;
  return withPool(services, domain);
}

/** A prefix or a custom domain's host name; anything else names no domain. */
const DOMAIN_NAME = /^[a-z0-9.-]{1,253}$/;

/** The domain the path form names, with its pool. */
export async function domainByName(services: Services, name: string) {
  const lower = name.toLowerCase();
  if (!DOMAIN_NAME.test(lower)) return undefined;
  return withPool(services, await services.store.domains.get(lower));
}

/** The model's ClientIdType: anything else names no client (and is never looked up). */
const CLIENT_ID = /^[\w+]{1,128}$/;

/** The app client a request names, if it exists. */
export async function findClient(services: Services, clientId: string | undefined) {
  return clientId !== undefined && CLIENT_ID.test(clientId)
    ? services.store.clients.get(clientId)
    : undefined;
}

/** The app client a request names, if it is one of the site's pool. */
export async function clientOfSite(services: Services, site: Site, clientId: string | undefined) {
  const client = await findClient(services, clientId);
  return client?.poolId === site.pool.id ? client : undefined;
}

/** The domain of the pool an app client belongs to, for bare endpoint paths on this server's host. */
export async function domainOfClient(services: Services, clientId: string) {
  const client = await findClient(services, clientId);
  if (!client) return undefined;
  return withPool(services, preferredDomain(await services.store.domains.listForPool(client.poolId)));
}
