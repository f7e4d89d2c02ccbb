/** The domain's `/error` page (OAUTH.md §2.0): Cognito's one sentence, and what went wrong. */
import { html, type SafeHtml } from "./html.js";

export function errorContent(detail: string | undefined): SafeHtml {
  return html`${detail ? html`<p class="errorMessage-customizable" role="alert">${detail}</p>` : ""}<p class="textDescription-customizable">Return to the application you came from and try again.</p>`;
}
