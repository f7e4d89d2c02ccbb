/**
 * The sign-in page's form. The field names, ids and classes are those of Cognito's classic hosted
 * UI (OAUTH.md §3.1) — `cognitoSignInForm`, `_csrf`, `username`, `password`, `cognitoAsfData`,
 * `signInSubmitButton`, `#loginErrorMessage` — because teams' end-to-end tests fill them by name.
 */
import { field } from "./form-parts.js";
import { html, type SafeHtml } from "./html.js";
import { type ProviderChoices, providerChoicesContent } from "./identity-providers.js";

export interface SignInForm {
  /** Where the form posts: `/login` with the authorization request's query. */
  action: string;
  csrf: string;
  /** The sign-in's failure, shown above the form. */
  error?: string;
  /** What the step before said, shown above the form ("Your password has been changed."). */
  notice?: string;
  /** What the user typed, kept after a failure. */
  username?: string;
  forgotPasswordUrl: string;
  /** Absent when the pool lets only administrators create users. */
  signUpUrl?: string;
  /** Managed login, where the pool and the client allow passkeys: a second way to sign in. */
  passkey?: boolean;
  /** The client's outside identity providers, above the password form (which they may replace). */
  providers?: ProviderChoices;
}

/** Posts the username alone (the password is not needed): a passkey sign-in starts. */
const PASSKEY_BUTTON = html`<div class="divider">or</div><button type="submit" name="passkey" value="1" formnovalidate class="btn btn-secondary">Sign in with a passkey</button>`;

export function signInContent(form: SignInForm): SafeHtml {
  return html`${form.notice ? html`<p class="infoMessage" role="status">${form.notice}</p>` : ""}${form.error ? html`<p id="loginErrorMessage" class="errorMessage-customizable" role="alert">${form.error}</p>` : ""}${form.providers ? providerChoicesContent(form.providers, form) : ""}${
    form.providers?.passwordForm === false
      ? ""
      : html`<form action="${form.action}" name="cognitoSignInForm" method="post" class="cognito-asf">
<input type="hidden" name="_csrf" value="${form.csrf}"/>
${field("Username", html`<input id="signInFormUsername" name="username" type="text" class="form-control inputField-customizable" autocapitalize="none" autocomplete="username" spellcheck="false" value="${form.username ?? ""}" required>`)}
${field("Password", html`<input id="signInFormPassword" name="password" type="password" class="form-control inputField-customizable" autocomplete="current-password" required>`)}
<input type="hidden" name="cognitoAsfData">
<div class="aside"><a class="redirect-customizable" href="${form.forgotPasswordUrl}">Forgot your password?</a></div>
<input name="signInSubmitButton" type="submit" value="Sign in" class="btn btn-primary submitButton-customizable">${form.passkey ? PASSKEY_BUTTON : ""}
</form>${form.signUpUrl ? html`<p class="footer-customizable">Need an account? <a class="redirect-customizable" href="${form.signUpUrl}">Sign up</a></p>` : ""}`
  }`;
}
