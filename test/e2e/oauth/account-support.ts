/**
 * What the tests of the account pages share: opening a page with the authorization request,
 * submitting its form as a browser without JavaScript would, reading what the page says, and the
 * codes the outbox holds.
 */
import { expect } from "vitest";
import { outbox } from "../../support/fixtures.js";
import {
  type Agent,
  type AgentResponse,
  authorizeQuery,
  formAction,
  hiddenField,
  type OAuthApp,
} from "../../support/oauth.js";
import type { TestServer } from "../../support/server.js";

/** A page of the app's domain with the authorization request's query (and more parameters, if given). */
export function pageUrl(app: OAuthApp, path: string, extra: Record<string, string> = {}): string {
  return `${app.base}${path}?${authorizeQuery(app, extra)}`;
}

/** GETs a page that must answer 200. */
export async function openPage(agent: Agent, url: string): Promise<AgentResponse> {
  const page = await agent.get(url);
  expect(page.status, page.body).toBe(200);
  return page;
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Posts the page's first form with its CSRF token and the given fields. */
export function submit(
  agent: Agent,
  page: AgentResponse,
  fields: Record<string, string>,
): Promise<AgentResponse> {
  return agent.post(formAction(page.body), { _csrf: hiddenField(page.body, "_csrf"), ...fields });
}

/** The form of the given name: its action and its hidden fields. */
export function namedForm(html: string, name: string): { action: string; hidden: Record<string, string> } {
  const match = new RegExp(`<form action="([^"]*)" name="${name}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  if (!match) throw new Error(`no form ${name} in the page`);
  const hidden: Record<string, string> = {};
  for (const input of match[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
    hidden[input[1]] = unescapeHtml(input[2]);
  }
  return { action: unescapeHtml(match[1]), hidden };
}

/** The failure the page shows, if any. */
export function errorOn(html: string): string | undefined {
  const match = /<p[^>]*class="errorMessage-customizable"[^>]*>([^<]*)<\/p>/.exec(html);
  return match ? unescapeHtml(match[1]) : undefined;
}

/** The notice the page shows, if any. */
export function noticeOn(html: string): string | undefined {
  const match = /<p class="infoMessage"[^>]*>([^<]*)<\/p>/.exec(html);
  return match ? unescapeHtml(match[1]) : undefined;
}

/** The path and parameters of a redirect within the domain. */
export function redirectTarget(response: AgentResponse): { path: string; query: URLSearchParams } {
  expect(response.status, response.body).toBe(302);
  const url = new URL(response.location ?? "", "http://domain.invalid");
  return { path: url.pathname, query: url.searchParams };
}

/** The 6-digit code of the newest message to a destination. */
export async function latestCode(server: TestServer, poolId: string, destination: string): Promise<string> {
  const [message] = await outbox(server, { poolId, destination });
  const code = message?.message.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code sent to ${destination}`);
  return code;
}

/** A code that is not the one sent. */
export function otherCode(code: string): string {
  return code === "000000" ? "111111" : "000000";
}
