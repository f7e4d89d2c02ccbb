/**
 * What the sign-in page (`/login`) does for outside identity providers (OAUTH.md §3.1): it offers
 * the client's providers, sends the browser to one the query names, and takes the work email
 * typed into its search box to the provider whose IdpIdentifiers match it. A client without
 * COGNITO has no password form, and a password posted anyway is refused.
 */
import { supportedIdentityProviders } from "../../domain/clients.js";
import { COGNITO_PROVIDER } from "../../domain/identity-providers.js";
import type { ProviderChoices } from "../../pages/identity-providers.js";
import type { IdentityProviderTypeType } from "../../protocol/types.generated.js";
import type { ClientRecord } from "../../store/records.js";
import type { AuthorizeRequest } from "../authorize-request.js";
import type { EndpointRequest, EndpointResponse } from "../endpoint.js";
import { OAuthErrors, PageMessages } from "../errors.js";
import { sitePath } from "../site.js";
import { failToApp } from "./complete.js";
import { clientProviderByIdentifier, clientProviders } from "./identifiers.js";
import { redirectToProvider } from "./start.js";

/** How the buttons name the social providers. */
const SOCIAL_LABELS: Partial<Record<IdentityProviderTypeType, string>> = {
  Google: "Google",
  Facebook: "Facebook",
  LoginWithAmazon: "Amazon",
  SignInWithApple: "Apple",
};

/** The parameters a provider button sends again, without the provider the page was asked for. */
function authorizeParams(request: EndpointRequest): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(request.rawQuery)) {
    if (name !== "identity_provider" && name !== "idp_identifier" && !(name in params)) params[name] = value;
  }
  return params;
}

/** The page's providers; undefined when the client lists none. */
export async function signInChoices(
  request: EndpointRequest,
  client: ClientRecord,
): Promise<ProviderChoices | undefined> {
  const providers = await clientProviders(request.services, client);
  if (providers.length === 0) return undefined;
  return {
    authorizeAction: sitePath(request.site, "/oauth2/authorize"),
    params: authorizeParams(request),
    providers: providers.map((p) => ({ name: p.name, label: SOCIAL_LABELS[p.type] ?? p.name })),
    identifierSearch: providers.some((p) => p.idpIdentifiers.length > 0),
    passwordForm: supportedIdentityProviders(client).includes(COGNITO_PROVIDER),
  };
}

/** `GET /login` naming a provider (or a client with only one): straight to it, as authorize does. */
export function providerFromLoginPage(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
): Promise<EndpointResponse> | undefined {
  return authorize.identityProvider && redirectToProvider(request, authorize.identityProvider);
}

/**
 * `POST /login` (CSRF checked): the search box's email, to its provider — none found, the page
 * again with `showError`; or a password for a client without COGNITO, refused as authorize
 * refuses it. Undefined: a sign-in of the pool's own users, for the page to go on with.
 */
export async function providerFromLoginForm(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  showError: (message: string) => Promise<EndpointResponse>,
): Promise<EndpointResponse | undefined> {
  const identifier = request.form?.get("idpIdentifier")?.trim();
  if (identifier !== undefined) {
    const provider = identifier
      ? await clientProviderByIdentifier(request.services, authorize.client, identifier)
      : undefined;
    return provider ? redirectToProvider(request, provider) : showError(PageMessages.noProviderForIdentifier);
  }
  if (!supportedIdentityProviders(authorize.client).includes(COGNITO_PROVIDER)) {
    return failToApp(authorize, OAuthErrors.invalidRequest());
  }
  return undefined;
}
