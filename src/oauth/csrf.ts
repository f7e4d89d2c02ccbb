/**
 * CSRF protection of the sign-in forms (OAUTH.md §3.2): double submit. Every page GET sets a fresh
 * random `XSRF-TOKEN` cookie and puts the same value in the form's `_csrf`; a POST passes when the
 * two agree. Scripts that send one self-made value in both places pass, as they do on AWS.
 */
import { randomUUID } from "node:crypto";
import { sameText } from "../crypto/compare.js";
import { CSRF_COOKIE, setCookie } from "./cookies.js";
import type { EndpointRequest } from "./endpoint.js";
import type { Site } from "./site.js";

/** A new token and the Set-Cookie value that carries it. */
export function newCsrfToken(site: Site): { token: string; cookie: string } {
  const token = randomUUID();
  return { token, cookie: setCookie(site, CSRF_COOKIE, token) };
}

/** Whether a form POST carries the token its cookie holds. */
export function csrfValid(request: EndpointRequest): boolean {
  const cookie = request.cookies[CSRF_COOKIE];
  const posted = request.form?.get("_csrf");
  return Boolean(cookie && posted && sameText(cookie, posted));
}

/** A page's token: a GET rotates it [OBS]; a page shown in answer to a POST keeps the one just checked. */
export function pageCsrf(request: EndpointRequest): { token: string; cookies: string[] } {
  const held = request.method === "POST" ? request.cookies[CSRF_COOKIE] : undefined;
  if (held) return { token: held, cookies: [] };
  const fresh = newCsrfToken(request.site);
  return { token: fresh.token, cookies: [fresh.cookie] };
}
