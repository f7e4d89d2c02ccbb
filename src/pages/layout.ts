/**
 * The frame of every sign-in page: the document, the style sheets (ours, then the pool's UI
 * customization) and the card. Classic pages (ManagedLoginVersion 1) repeat the card for small
 * and large screens, with Cognito's classes, because end-to-end suites written against AWS select
 * the copy by them (OAUTH.md §3.1); managed login (version 2) has one card.
 */
import { createHash } from "node:crypto";
import { html, raw, type SafeHtml } from "./html.js";
import { PASSKEY_SCRIPT } from "./passkeys.js";
import { BASE_CSS, CLASSIC_CSS, MANAGED_CSS } from "./styles.js";

/**
 * Mirrors what is typed or chosen in one copy of a classic form into its twin (progressive
 * enhancement): a value, or for a radio button, which of the twin's buttons is checked.
 */
const TWIN_SCRIPT =
  "document.addEventListener('input',function(e){var t=e.target;if(!t.name||!t.form||t.type==='hidden')return;" +
  "document.querySelectorAll('form[name=\"'+t.form.name+'\"] [name=\"'+t.name+'\"]').forEach(function(o){" +
  "if(o.form===t.form)return;if(t.type==='radio'){if(o.value===t.value)o.checked=t.checked;}else o.value=t.value;});});";

const scriptHash = (script: string) => `'sha256-${createHash("sha256").update(script).digest("base64")}'`;

/** The Content-Security-Policy of every page: no script but the twin mirror and the passkey ceremony, no framing. */
export const PAGE_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  `script-src ${scriptHash(TWIN_SCRIPT)} ${scriptHash(PASSKEY_SCRIPT)}`,
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** An image of the page: one URL, or a light one and a dark one for browsers in dark mode. */
export interface Picture {
  src: string;
  darkSrc?: string;
}

export interface Branding {
  /** The pool's UI customization CSS (classic pages) or CSS made from a managed-login style. */
  css?: string;
  /** Classic pages: where the logo is served, if the pool has one. */
  logoUrl?: string;
  /** Managed login: the style's form logo, page header and footer (with their logos), favicons. */
  formLogo?: Picture;
  header?: { logo?: Picture };
  footer?: { logo?: Picture };
  favicons?: { href: string; type: string }[];
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

function picture(image: Picture, alt: string, className?: string): SafeHtml {
  const img = html`<img${className ? html` class="${className}"` : ""} src="${image.src}" alt="${alt}">`;
  if (!image.darkSrc) return img;
  return html`<picture><source srcset="${image.darkSrc}" media="(prefers-color-scheme: dark)">${img}</picture>`;
}

/** Classic pages: the logo on the banner (the app's name without one), as Cognito's `logo-customizable`. */
function banner(view: PageView): SafeHtml {
  const mark = view.branding?.logoUrl
    ? picture({ src: view.branding.logoUrl }, view.appName, "logo-customizable")
    : html`<span class="app-name">${view.appName}</span>`;
  return html`<div class="banner-customizable">${mark}</div>`;
}

function heading(view: PageView): SafeHtml {
  return html`<h1>${view.title}</h1>${
    view.description ? html`<p class="textDescription-customizable">${view.description}</p>` : ""
  }`;
}

function classicCard(view: PageView, copy: "mobile" | "desktop"): SafeHtml {
  const visibility = copy === "mobile" ? "visible-xs visible-sm" : "visible-md visible-lg";
  return html`<div class="modal-content background-customizable modal-content-${copy} ${visibility}">${banner(view)}<div class="modal-body">${heading(view)}${view.content}</div></div>`;
}

function managedCard(view: PageView): SafeHtml {
  const logo = view.branding?.formLogo;
  return html`<div class="modal-content background-customizable">${
    logo ? html`<div class="form-logo">${picture(logo, view.appName)}</div>` : ""
  }<div class="modal-body">${heading(view)}${view.content}</div></div>`;
}

function pageBand(kind: "header" | "footer", band: { logo?: Picture } | undefined, appName: string) {
  if (!band) return "";
  const logo = band.logo ? picture(band.logo, appName) : "";
  return kind === "header"
    ? html`<header class="page-header">${logo}</header>`
    : html`<footer class="page-footer">${logo}</footer>`;
}

function body(view: PageView): SafeHtml {
  if (view.version === 1) {
    return html`<main class="page">${classicCard(view, "mobile")}${classicCard(view, "desktop")}</main><script>${raw(TWIN_SCRIPT)}</script>`;
  }
  const { header, footer } = view.branding ?? {};
  return html`${pageBand("header", header, view.appName)}<main class="page">${managedCard(view)}</main>${pageBand("footer", footer, view.appName)}<script>${raw(PASSKEY_SCRIPT)}</script>`;
}

function favicons(view: PageView): SafeHtml[] {
  return (view.branding?.favicons ?? []).map(
    (icon) => html`<link rel="icon" href="${icon.href}" type="${icon.type}">`,
  );
}

export function renderPage(view: PageView): string {
  const own = view.version === 1 ? CLASSIC_CSS : MANAGED_CSS;
  // A style sheet cannot end its own element early.
  const custom = view.branding?.css
    ? html`<style>${raw(view.branding.css.replaceAll("</", "<\\/"))}</style>`
    : "";
  return html`<!doctype html>
<html lang="${view.lang ?? "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${view.title} · ${view.appName}</title>${favicons(view)}<style>${raw(BASE_CSS)}${raw(own)}</style>${custom}</head>
<body>${body(view)}</body></html>`.text;
}
