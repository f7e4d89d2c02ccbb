/**
 * Single sign-on (OAUTH.md §3.3): a sign-in on a domain's pages starts a browser session, kept
 * server-side behind a random cookie value. For an hour from the sign-in (use never extends it),
 * any app client of the pool gets a grant on that domain without the sign-in page, until /logout,
 * until the domain's ManagedLoginVersion changes, or while the user is disabled or deleted.
 */
import { createHash } from "node:crypto";
import { occasionally } from "../auth/purge.js";
import { randomToken } from "../crypto/random.js";
import type { Services } from "../services.js";
import type { UserRecord } from "../store/records.js";
import { clearCookie, SESSION_COOKIE, setCookie } from "./cookies.js";
import type { EndpointRequest } from "./endpoint.js";
import type { Site } from "./site.js";

export const SESSION_LIFETIME_SECONDS = 60 * 60;

function idHash(cookieValue: string): string {
  return createHash("sha256").update(cookieValue).digest("hex");
}

const purgeExpiredSessions = occasionally((store, now) => store.browserSessions.deleteExpired(now));

/** A signed-in browser: the session's user and when they signed in. */
export interface BrowserSession {
  user: UserRecord;
  authTime: Date;
}

/** Starts a session for the user who just signed in; returns its Set-Cookie value. */
export async function startBrowserSession(
  services: Services,
  site: Site,
  user: UserRecord,
  authTime: Date,
  now: Date,
): Promise<string> {
  return (await openBrowserSession(services, site, user, authTime, now)).cookie;
}

/** The key the browser's session is kept under (what a SAML session is recorded by), if it sends one. */
export function browserSessionKeyOf(request: EndpointRequest): string | undefined {
  const value = request.cookies[SESSION_COOKIE];
  return value ? idHash(value) : undefined;
}

/** Starts a session; returns its Set-Cookie value and the key it is kept under. */
export async function openBrowserSession(
  services: Services,
  site: Site,
  user: UserRecord,
  authTime: Date,
  now: Date,
): Promise<{ cookie: string; key: string }> {
  const value = randomToken(32);
  const key = idHash(value);
  await services.store.browserSessions.insert({
    idHash: key,
    poolId: site.pool.id,
    domain: site.domain.domain,
    usernameKey: user.usernameKey,
    sub: user.sub,
    authTime,
    managedLoginVersion: site.domain.managedLoginVersion,
    expiresAt: new Date(authTime.getTime() + SESSION_LIFETIME_SECONDS * 1000),
  });
  await purgeExpiredSessions(services.store, now).catch(() => undefined);
  return { cookie: setCookie(site, SESSION_COOKIE, value, SESSION_LIFETIME_SECONDS), key };
}

/** The browser's session on this domain, if it has a live one for a user who may still sign in. */
export async function currentBrowserSession(request: EndpointRequest): Promise<BrowserSession | undefined> {
  const value = request.cookies[SESSION_COOKIE];
  if (!value) return undefined;
  const { services, site, now } = request;
  const session = await services.store.browserSessions.get(idHash(value));
  if (
    !session ||
    session.domain !== site.domain.domain ||
    session.poolId !== site.pool.id ||
    session.managedLoginVersion !== site.domain.managedLoginVersion ||
    now.getTime() >= session.expiresAt.getTime()
  ) {
    return undefined;
  }
  const user = await services.store.users.get(session.poolId, session.usernameKey);
  // Cognito keeps the session of a disabled or deleted user; granting on it is refused here [UNDOC].
  if (!user || user.sub !== session.sub || !user.enabled) return undefined;
  return { user, authTime: session.authTime };
}

/** Ends the browser's session, if any; returns the Set-Cookie value that clears the cookie. */
export async function endBrowserSession(request: EndpointRequest): Promise<string> {
  const value = request.cookies[SESSION_COOKIE];
  if (value) await request.services.store.browserSessions.delete(idHash(value));
  return clearCookie(request.site, SESSION_COOKIE);
}
