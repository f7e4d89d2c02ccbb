/**
 * A notice for the page a redirect leads to ("We sent you a new code.", "Your password has been
 * changed."): its name travels in a short-lived cookie, so the authorization request's query that
 * every page carries on stays as the app sent it [UNDOC]. Only names from `PageNotices` are shown.
 */
import { clearCookie, setCookie } from "./cookies.js";
import type { EndpointRequest } from "./endpoint.js";
import { PageNotices } from "./errors.js";
import type { Site } from "./site.js";

export type NoticeName = keyof typeof PageNotices;

const NOTICE_COOKIE = "page-notice";
/** Long enough for the redirect that follows. */
const NOTICE_SECONDS = 60;

export function noticeCookie(site: Site, name: NoticeName): string {
  return setCookie(site, NOTICE_COOKIE, name, NOTICE_SECONDS);
}

function isNoticeName(name: string): name is NoticeName {
  return Object.hasOwn(PageNotices, name);
}

/** The notice the browser brings, if any, with the Set-Cookie values that clear it. */
export function takeNotice(request: EndpointRequest): { notice?: string; cookies: string[] } {
  const name = request.cookies[NOTICE_COOKIE];
  if (name === undefined) return { cookies: [] };
  return {
    notice: isNoticeName(name) ? PageNotices[name] : undefined,
    cookies: [clearCookie(request.site, NOTICE_COOKIE)],
  };
}
