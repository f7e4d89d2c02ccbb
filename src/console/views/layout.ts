/** The console's frame: top bar, side navigation (the pool's sections inside a pool), and the page. */
import { html, raw, type SafeHtml } from "../../pages/html.js";
import { CONSOLE_CSS } from "./styles.js";

/** The console's pages allow no script at all, and no framing. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const LOGO = raw(
  '<svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true"><rect x="1" y="1" width="22" height="22" rx="6" fill="#3b5bdb"/><path d="M16.5 8.2a5.2 5.2 0 1 0 0 7.6" fill="none" stroke="#fff" stroke-width="2.4" stroke-linecap="round"/><circle cx="16.6" cy="12" r="1.6" fill="#fff"/></svg>',
);

export type PoolSection = "overview" | "users" | "clients" | "groups" | "outbox" | "events" | "triggers";

const SECTIONS: { id: PoolSection; label: string; path: string }[] = [
  { id: "overview", label: "Overview", path: "" },
  { id: "users", label: "Users", path: "/users" },
  { id: "groups", label: "Groups", path: "/groups" },
  { id: "clients", label: "App clients", path: "/clients" },
  { id: "outbox", label: "Messages sent", path: "/outbox" },
  { id: "events", label: "Sign-in events", path: "/events" },
  { id: "triggers", label: "Trigger invocations", path: "/triggers" },
];

export interface ServerFacts {
  endpoint: string;
  region: string;
  /** Whether the console asks for the operator credential (then it offers to sign out). */
  signedIn: boolean;
  csrf: string;
}

export interface ConsolePage {
  title: string;
  /** A line under the title. */
  lede?: SafeHtml | string;
  /** Links above the title below the pool's own (User pools / the pool), outermost first. */
  crumbs?: { label: string; href: string }[];
  /** The pool the page belongs to, and which of its sections it is. */
  pool?: { id: string; name: string; section: PoolSection };
  /** The result of the action just done, or Cognito's refusal of it. */
  notice?: string;
  error?: { type: string; message: string };
  content: SafeHtml;
}

function aria(current: boolean): SafeHtml | string {
  return current ? raw(' aria-current="page"') : "";
}

function sideNav(page: ConsolePage): SafeHtml {
  const pools = html`<h2>Cognate</h2><a href="/console/pools"${aria(!page.pool && page.title === "User pools")}>User pools</a><a href="/metrics">Metrics</a><a href="/">About this server</a>`;
  if (!page.pool) return html`<nav class="side" aria-label="Console">${pools}</nav>`;
  const base = `/console/pools/${encodeURIComponent(page.pool.id)}`;
  const links = SECTIONS.map(
    (s) => html`<a href="${base}${s.path}"${aria(page.pool?.section === s.id)}>${s.label}</a>`,
  );
  return html`<nav class="side" aria-label="Console">${pools}<h2>User pool</h2><div class="pool-name">${page.pool.name}</div><div class="pool-id">${page.pool.id}</div>${links}</nav>`;
}

function alerts(page: ConsolePage): SafeHtml {
  return html`${page.notice ? html`<div class="alert notice" role="status">${page.notice}</div>` : ""}${
    page.error
      ? html`<div class="alert error" role="alert"><b>${page.error.type}</b>${page.error.message}</div>`
      : ""
  }`;
}

/** The way up: the pools, the page's pool (unless it is the pool's overview), then the page's own. */
function crumbs(page: ConsolePage): SafeHtml | string {
  const trail = page.pool ? [{ label: "User pools", href: "/console/pools" }] : [];
  if (page.pool && page.pool.section !== "overview") {
    trail.push({ label: page.pool.name, href: `/console/pools/${encodeURIComponent(page.pool.id)}` });
  }
  trail.push(...(page.crumbs ?? []));
  if (trail.length === 0) return "";
  return html`<div class="crumbs">${trail.map((c, i) => html`${i > 0 ? " / " : ""}<a href="${c.href}">${c.label}</a>`)}</div>`;
}

function topBar(facts: ServerFacts): SafeHtml {
  const signOut = facts.signedIn
    ? html`<form method="post" action="/console/sign-out"><input type="hidden" name="_csrf" value="${facts.csrf}"><button type="submit">Sign out</button></form>`
    : "";
  return html`<header class="top"><a class="brand" href="/console">${LOGO}<span>Cognate console</span></a><div class="meta"><span>Endpoint <b>${facts.endpoint}</b></span><span>Region <b>${facts.region}</b></span></div>${signOut}</header>`;
}

export function renderConsolePage(page: ConsolePage, facts: ServerFacts): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${page.title} · Cognate console</title><style>${raw(CONSOLE_CSS)}</style></head>
<body><a class="skip" href="#main">Skip to content</a>${topBar(facts)}${sideNav(page)}<main id="main">${crumbs(page)}<h1>${page.title}</h1>${
    page.lede ? html`<p class="lede">${page.lede}</p>` : ""
  }${alerts(page)}${page.content}</main></body></html>`.text;
}

/** A page outside the frame (sign-in, refusals): one card in the middle. */
export function renderBarePage(title: string, content: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title} · Cognate</title><style>${raw(CONSOLE_CSS)}body{display:flex;align-items:center;justify-content:center;padding:24px}.bare{max-width:560px;width:100%}</style></head>
<body><main class="bare" id="main"><div class="brand-line" style="display:flex;gap:10px;align-items:center;margin-bottom:14px;font-weight:650;font-size:16px">${LOGO}Cognate</div><div class="card">${content}</div></main></body></html>`
    .text;
}
