/**
 * The domain's cookies (OAUTH.md §3.2–3.3): the CSRF token and the sign-in session. Host-only,
 * HttpOnly, SameSite=Lax, Secure over TLS; in the path form, scoped to the domain's path so that
 * two domains on one host never see each other's.
 */
import type { Site } from "./site.js";

/** The double-submit CSRF token [OBS name]. */
export const CSRF_COOKIE = "XSRF-TOKEN";
/** The single sign-on session [OBS name]. */
export const SESSION_COOKIE = "cognito";
/** Binds a round trip to an outside identity provider to the browser that started it [OBS name]. */
export const FEDERATION_COOKIE = "cognito-fl";

/** The Cookie header's pairs; the first of a repeated name wins, malformed pairs are skipped. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const pair of header.split(";")) {
    const at = pair.indexOf("=");
    const name = pair.slice(0, Math.max(at, 0)).trim();
    if (name === "" || name in cookies) continue;
    const raw = pair
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    try {
      cookies[name] = decodeURIComponent(raw);
    } catch {
      // Not percent-encoding we wrote: not ours.
    }
  }
  return cookies;
}

function cookiePath(site: Site): string {
  return site.basePath === "" ? "/" : `${site.basePath}/`;
}

/**
 * A Set-Cookie value for the site; `maxAgeSeconds` 0 deletes the cookie. `crossSitePost`: the
 * cookie must come with a POST from another site (SAML's HTTP-POST binding), so it is
 * `SameSite=None` — over TLS only, as browsers require; plain HTTP keeps Lax.
 */
export function setCookie(
  site: Site,
  name: string,
  value: string,
  maxAgeSeconds?: number,
  crossSitePost = false,
): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${cookiePath(site)}`,
    "HttpOnly",
    crossSitePost && site.secure ? "SameSite=None" : "SameSite=Lax",
  ];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  if (site.secure) parts.push("Secure");
  return parts.join("; ");
}

export function clearCookie(site: Site, name: string): string {
  return setCookie(site, name, "", 0);
}
