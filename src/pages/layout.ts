/**
 * The frame of every sign-in page: the document, the style sheets (ours, then the pool's UI
 * customization) and the card. Classic pages (ManagedLoginVersion 1) repeat the card for small
 * and large screens, with Cognito's classes, because end-to-end suites written against AWS select
 * the copy by them (OAUTH.md §3.1); managed login (version 2) has one card.
 */
import { createHash } from "node:crypto";
import { html, raw, type SafeHtml } from "./html.js";
import { BASE_CSS } from "./styles.js";

/** Mirrors what is typed into one copy of a classic form into its twin (progressive enhancement). */
const TWIN_SCRIPT =
  "document.addEventListener('input',function(e){var t=e.target;if(!t.name||!t.form||t.type==='hidden')return;" +
  "document.querySelectorAll('form[name=\"'+t.form.name+'\"] [name=\"'+t.name+'\"]').forEach(function(o){if(o!==t)o.value=t.value;});});";

/** The Content-Security-Policy of every page: no script but the twin mirror, no framing. */
export const PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  `script-src 'sha256-${createHash("sha256").update(TWIN_SCRIPT).digest("base64")}'`,
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export interface Branding {
  /** The pool's UI customization CSS (classic pages) or CSS made from a managed-login style. */
  css?: string;
  /** Where the logo is served, if the pool has one. */
  logoUrl?: string;
}

export interface PageView {
  /** The document title and the card's heading. */
  title: string;
  /** A line under the heading. */
  description?: string;
  /** 1: the classic hosted UI; 2: managed login. */
  version: number;
  /** The app the user signs in to: its name stands in for a logo. */
  appName: string;
  branding?: Branding;
  /** The card's body below the heading. */
  content: SafeHtml;
  lang?: string;
}

function banner(view: PageView): SafeHtml {
  const mark = view.branding?.logoUrl
    ? html`<img class="logo-customizable" src="${view.branding.logoUrl}" alt="${view.appName}">`
    : html`<span class="brand-mark" aria-hidden="true">${view.appName.slice(0, 1).toUpperCase()}</span>`;
  return html`<div class="banner-customizable">${mark}</div>`;
}

function cardBody(view: PageView): SafeHtml {
  return html`${banner(view)}<div class="modal-body"><h1>${view.title}</h1>${
    view.description ? html`<p class="textDescription-customizable">${view.description}</p>` : ""
  }${view.content}</div>`;
}

function cards(view: PageView): SafeHtml {
  if (view.version !== 1) {
    return html`<div class="modal-content background-customizable">${cardBody(view)}</div>`;
  }
  return html`<div class="modal-content background-customizable modal-content-mobile visible-xs visible-sm">${cardBody(view)}</div><div class="modal-content background-customizable modal-content-desktop visible-md visible-lg">${cardBody(view)}</div>`;
}

export function renderPage(view: PageView): string {
  // A style sheet cannot end its own element early.
  const custom = view.branding?.css
    ? html`<style>${raw(view.branding.css.replaceAll("</", "<\\/"))}</style>`
    : "";
  const script = view.version === 1 ? html`<script>${raw(TWIN_SCRIPT)}</script>` : "";
  return html`<!doctype html>
<html lang="${view.lang ?? "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${view.title} · ${view.appName}</title><style>${raw(BASE_CSS)}</style>${custom}</head>
<body><main class="page">${cards(view)}</main>${script}</body></html>`.text;
}
