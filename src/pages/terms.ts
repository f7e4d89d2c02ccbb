/** The line of the managed-login sign-up page that links the client's terms (OAUTH.md §7.3). */
import { html, type SafeHtml } from "./html.js";

export interface TermsUrls {
  termsOfUse: string;
  privacyPolicy: string;
}

/** Opens in a new tab, so that the form being filled is kept. */
function link(href: string, text: string): SafeHtml {
  return html`<a class="redirect-customizable" href="${href}" target="_blank" rel="noopener noreferrer">${text}</a>`;
}

export function termsContent(urls: TermsUrls): SafeHtml {
  return html`<p class="legalText-customizable">By signing up, you agree to the ${link(urls.termsOfUse, "Terms of use")} and the ${link(urls.privacyPolicy, "Privacy policy")}.</p>`;
}
