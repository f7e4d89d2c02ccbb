/**
 * The sign-in page's outside identity providers (OAUTH.md §3.1): one submit button per provider in
 * `<form name="loginWithIdentityProvider">`, each sending `identity_provider=<name>` to
 * `/oauth2/authorize` with the authorization request; and, where the client's providers have
 * IdpIdentifiers, a box for a work email address (or domain) that finds the provider.
 */
import { field, hiddenFields } from "./form-parts.js";
import { html, type SafeHtml } from "./html.js";

export interface ProviderChoices {
  /** `/oauth2/authorize` on this domain. */
  authorizeAction: string;
  /** The authorization request's parameters, carried as hidden fields (a GET form drops its action's query). */
  params: Record<string, string>;
  providers: { name: string; label: string }[];
  /** Some provider has IdpIdentifiers: the search box is shown. */
  identifierSearch: boolean;
  /** The client signs in the pool's own users too: the password form follows. */
  passwordForm: boolean;
}

/** Where the search box posts (the sign-in page itself) and its CSRF token. */
export interface SearchForm {
  action: string;
  csrf: string;
}

function identifierSearch(form: SearchForm): SafeHtml {
  return html`<form action="${form.action}" name="idpIdentifierForm" method="post" class="cognito-asf">
<input type="hidden" name="_csrf" value="${form.csrf}"/>
${field("Work email or domain", html`<input id="idpIdentifier" name="idpIdentifier" type="text" class="form-control inputField-customizable" autocapitalize="none" autocomplete="email" spellcheck="false" placeholder="name@company.com" required>`)}
<input name="idpIdentifierSubmitButton" type="submit" value="Continue with your corporate ID" class="btn btn-primary submitButton-customizable">
</form>`;
}

function providerButtons(choices: ProviderChoices): SafeHtml {
  return html`<form action="${choices.authorizeAction}" name="loginWithIdentityProvider" method="get">
${hiddenFields(choices.params)}
${choices.providers.map(
  (p) =>
    html`<button type="submit" name="identity_provider" value="${p.name}" class="btn btn-secondary idpButton-customizable">Continue with ${p.label}</button>`,
)}
</form>`;
}

export function providerChoicesContent(choices: ProviderChoices, search: SearchForm): SafeHtml {
  const both = choices.identifierSearch && choices.providers.length > 0;
  return html`<div class="identityProviders">${choices.identifierSearch ? identifierSearch(search) : ""}${
    both ? html`<p class="divider">or</p>` : ""
  }${choices.providers.length > 0 ? providerButtons(choices) : ""}</div>${
    choices.passwordForm ? html`<p class="divider">or sign in with your username</p>` : ""
  }`;
}
