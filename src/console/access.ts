/**
 * Who may use the console, and CSRF. Without an operator credential (console.token) only loopback
 * requests are served: from a loopback address, to a loopback host name (a page on another site
 * that resolves its own name to 127.0.0.1 is refused). With one, every request must carry it: the
 * session cookie set by the sign-in form, or `Authorization: Bearer <token>`.
 * Forms are protected by a double-submit token (as src/oauth/csrf.ts), a SameSite=Strict cookie and,
 * when the browser sends one, an Origin that is the console's own.
 */
import { createHash, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { sameText } from "../crypto/compare.js";
import { CONSOLE_PATH, type ConsoleRequest, header } from "./request.js";

export const SESSION_COOKIE = "cognate-console";
export const CSRF_COOKIE = "cognate-console-csrf";

function cookie(name: string, value: string, maxAgeSeconds?: number): string {
  const parts = [`${name}=${value}`, `Path=${CONSOLE_PATH}`, "HttpOnly", "SameSite=Strict"];
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  return parts.join("; ");
}

function loopbackAddress(ip: string): boolean {
  const address = ip.startsWith("::ffff:") ? ip.slice(7) : ip;
  if (isIP(address) === 4) return address.startsWith("127.");
  return address === "::1";
}

/** The host name of a Host header: without its port, without an IPv6 literal's brackets. */
function hostName(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  const colon = host.lastIndexOf(":");
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

function loopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = hostName(host);
  // Browsers resolve *.localhost to loopback themselves: no outside DNS can claim those names.
  return name === "localhost" || name.endsWith(".localhost") || loopbackAddress(name);
}

export function isLoopbackRequest(request: ConsoleRequest): boolean {
  return loopbackAddress(request.sourceIp) && loopbackHost(header(request, "host"));
}

/** What the session cookie holds: a digest of the token, so the token itself never sits in a cookie. */
function sessionValue(token: string): string {
  return createHash("sha256").update(`cognate-console:${token}`).digest("base64url");
}

export function sessionCookie(token: string): string {
  return cookie(SESSION_COOKIE, sessionValue(token));
}

export function endSessionCookie(): string {
  return cookie(SESSION_COOKIE, "", 0);
}

/** Whether the request presents the operator credential. */
export function presentsToken(request: ConsoleRequest, token: string): boolean {
  const bearer = /^Bearer (.+)$/i.exec(header(request, "authorization") ?? "")?.[1];
  if (bearer !== undefined && sameText(bearer, token)) return true;
  const session = request.cookies[SESSION_COOKIE];
  return session !== undefined && sameText(session, sessionValue(token));
}

export type Access = "allowed" | "sign-in" | "refused";

/** Whether the request may see the console, must sign in first, or is refused outright. */
export function accessOf(request: ConsoleRequest, token: string | null): Access {
  if (token === null) return isLoopbackRequest(request) ? "allowed" : "refused";
  return presentsToken(request, token) ? "allowed" : "sign-in";
}

/** The browser's CSRF token: the one its cookie holds, or a new one (and the cookie to set). */
export function csrfToken(request: ConsoleRequest): { token: string; cookie?: string } {
  const held = request.cookies[CSRF_COOKIE];
  if (held && /^[\w-]{20,}$/.test(held)) return { token: held };
  const token = randomBytes(18).toString("base64url");
  return { token, cookie: cookie(CSRF_COOKIE, token) };
}

/** A POST is the console's own when its form carries the cookie's token and its Origin, if any, is this host. */
export function csrfValid(request: ConsoleRequest): boolean {
  const held = request.cookies[CSRF_COOKIE];
  const posted = request.form.get("_csrf");
  if (!held || !posted || !sameText(held, posted)) return false;
  const origin = header(request, "origin");
  if (origin === undefined || origin === "null") return origin === undefined;
  try {
    return new URL(origin).host === header(request, "host");
  } catch {
    return false;
  }
}
