/**
 * The parameters of an authorization request (`/oauth2/authorize`, and every sign-in page that
 * carries them on), checked in Cognito's order (OAUTH.md §2.1): the first failure wins, and
 * decides where it is told — the error page while the client or redirect URI is in doubt, the
 * app's redirect URI after.
 */

import {
  allowedOAuthFlows,
  allowedOAuthScopes,
  callbackUrls,
  oauthEnabled,
  supportedIdentityProviders,
} from "../domain/clients.js";
import { COGNITO_PROVIDER } from "../domain/identity-providers.js";
import { customScopesOf } from "../domain/resource-servers.js";
import { isStandardScope, lacksOpenId, parseScopes } from "../domain/scopes.js";
import type { Services } from "../services.js";
import type { IdentityProviderRecord } from "../store/identity-providers.js";
import type { ClientRecord } from "../store/records.js";
import type { Params } from "./endpoint.js";
import { OAuthError, OAuthErrors, REDIRECT_MISMATCH } from "./errors.js";
import { clientProvider, clientProviderByIdentifier, clientProviders } from "./federation/identifiers.js";
import { authorizeResource } from "./resource-binding.js";
import { clientOfSite, type Site } from "./site.js";

export type ResponseType = "code" | "token";

export interface AuthorizeRequest {
  client: ClientRecord;
  redirectUri: string;
  responseType: ResponseType;
  /** The granted scopes, each once. */
  scopes: string[];
  state?: string;
  nonce?: string;
  /** PKCE S256 challenge (code flow only). */
  codeChallenge?: string;
  /** Managed login only: `login` forces the sign-in page, `none` forbids it. */
  prompt?: Prompt;
  /** The outside identity provider the request asks for (checked with `federated` only). */
  identityProvider?: IdentityProviderRecord;
  /** The resource the access tokens are bound to: their `aud` (resource-binding.ts). */
  resource?: string;
}

/** Where an error is told before the redirect URI is trusted: the error page, with these parameters. */
export interface PageFailure {
  kind: "page";
  query: Record<string, string>;
}

/** An error for the app, at its redirect URI (query for the code flow, fragment for implicit). */
export interface RedirectFailure {
  kind: "redirect";
  redirectUri: string;
  responseType: ResponseType;
  state?: string;
  error: OAuthError;
}

export type AuthorizeCheck = { kind: "ok"; request: AuthorizeRequest } | PageFailure | RedirectFailure;

export type Prompt = "login" | "none";

/**
 * `prompt` is a managed login (version 2) feature; classic domains ignore it [DG]. Of its
 * space-separated values only `login` and `none` concern the pages (`select_account` and
 * `consent` are for external providers).
 */
function promptOf(site: Site, value: string | undefined): Prompt | undefined {
  if (site.domain.managedLoginVersion !== 2 || value === undefined) return undefined;
  const values = value.toLowerCase().split(" ");
  if (values.includes("login")) return "login";
  return values.includes("none") ? "none" : undefined;
}

/** The only PKCE method Cognito supports [DG]. */
const PKCE_METHOD = "S256";

/** Steps 1–2: the client of this domain's pool, and one of its callback URLs. */
export async function clientAndRedirect(
  services: Services,
  site: Site,
  params: Params,
): Promise<{ client: ClientRecord; redirectUri: string } | PageFailure> {
  const clientId = params.get("client_id") ?? "";
  const client = await clientOfSite(services, site, clientId);
  if (!client) {
    return { kind: "page", query: { error: "invalid_request", client_id: clientId } };
  }
  const redirectUri = params.get("redirect_uri") ?? defaultRedirect(client);
  if (redirectUri === undefined || !callbackUrls(client).includes(redirectUri)) {
    return { kind: "page", query: { error: REDIRECT_MISMATCH, client_id: client.id } };
  }
  return { client, redirectUri };
}

/** Without redirect_uri, a client with one identity provider and a DefaultRedirectURI uses it [API]. */
function defaultRedirect(client: ClientRecord): string | undefined {
  if (supportedIdentityProviders(client).length !== 1) return undefined;
  return client.config.DefaultRedirectURI;
}

function responseTypeOf(value: string | undefined): ResponseType | OAuthError {
  if (value === undefined || value === "") return OAuthErrors.invalidRequest();
  if (value === "code" || value === "token") return value;
  return OAuthErrors.unsupportedResponseType();
}

/** Step 6: a challenge needs its method and the method S256; plain is refused [DG]. */
function checkPkce(params: Params): OAuthError | undefined {
  const method = params.get("code_challenge_method");
  const challenge = params.get("code_challenge");
  if (method === undefined && challenge === undefined) return undefined;
  if (!method || !challenge || method !== PKCE_METHOD) return OAuthErrors.invalidRequest();
  return undefined;
}

/**
 * Step 7: the scopes asked for (all the client allows when none are), each allowed to the client
 * and existing; a custom scope its resource server no longer defines is dropped silently [DG].
 */
async function grantedScopes(
  services: Services,
  client: ClientRecord,
  requested: string | undefined,
): Promise<string[] | OAuthError> {
  const allowed = allowedOAuthScopes(client);
  // An empty scope parameter asks for no particular scope: as if it were left out [UNDOC].
  const named = requested === undefined ? [] : parseScopes(requested);
  const asked = named.length === 0 ? [...allowed] : named;
  if (asked.some((scope) => !allowed.includes(scope)) || lacksOpenId(asked))
    return OAuthErrors.authorizeScope();
  const custom = asked.some((scope) => !isStandardScope(scope))
    ? await customScopesOf(services.store, client.poolId)
    : new Set<string>();
  return asked.filter((scope) => isStandardScope(scope) || custom.has(scope));
}

/** Step 8 on the account pages: only the pool's own users (COGNITO) sign up or reset a password there. */
function checkIdentityProvider(client: ClientRecord, params: Params): OAuthError | undefined {
  const asked = params.get("identity_provider") ?? params.get("idp_identifier") ?? COGNITO_PROVIDER;
  if (asked !== COGNITO_PROVIDER || !supportedIdentityProviders(client).includes(COGNITO_PROVIDER)) {
    return OAuthErrors.invalidRequest();
  }
  return undefined;
}

/**
 * Step 8 where outside providers may be asked for (authorize, the sign-in page): a provider the
 * client lists, by name or by identifier; `COGNITO` for the pool's own users. Asking for none,
 * a client without COGNITO and with one provider asks for that one; with several, the sign-in page
 * offers them. Unknown, unlisted or deleted providers are refused [UNDOC].
 */
async function requestedProvider(
  services: Services,
  client: ClientRecord,
  params: Params,
): Promise<{ provider?: IdentityProviderRecord } | OAuthError> {
  const name = params.get("identity_provider");
  const identifier = params.get("idp_identifier");
  const supported = supportedIdentityProviders(client);
  let provider: IdentityProviderRecord | undefined;
  if (name !== undefined && name !== COGNITO_PROVIDER)
    provider = await clientProvider(services, client, name);
  else if (name === undefined && identifier !== undefined)
    provider = await clientProviderByIdentifier(services, client, identifier);
  else if (supported.includes(COGNITO_PROVIDER)) return {};
  else if (name === undefined) {
    const outside = await clientProviders(services, client);
    if (outside.length > 1) return {};
    provider = outside[0];
  }
  return provider ? { provider } : OAuthErrors.invalidRequest();
}

export interface AuthorizeCheckOptions {
  /** Outside identity providers may be asked for: `/oauth2/authorize` and the sign-in page. */
  federated?: boolean;
}

/** Checks an authorization request's parameters; the session-dependent `prompt=none` is the caller's. */
export async function checkAuthorizeRequest(
  services: Services,
  site: Site,
  params: Params,
  options: AuthorizeCheckOptions = {},
): Promise<AuthorizeCheck> {
  const target = await clientAndRedirect(services, site, params);
  if ("kind" in target) return target;
  const { client, redirectUri } = target;
  const state = params.get("state");
  const responseType = responseTypeOf(params.get("response_type"));
  const fail = (error: OAuthError): RedirectFailure => ({
    kind: "redirect",
    redirectUri,
    responseType: typeof responseType === "string" ? responseType : "code",
    state,
    error,
  });
  if (params.repeated()) return fail(OAuthErrors.invalidRequest());
  if (!oauthEnabled(client)) return fail(OAuthErrors.unauthorizedClient());
  if (typeof responseType !== "string") return fail(responseType);
  if (!allowedOAuthFlows(client).includes(responseType === "code" ? "code" : "implicit")) {
    return fail(OAuthErrors.unauthorizedClient());
  }
  const pkceError = responseType === "code" ? checkPkce(params) : undefined;
  if (pkceError) return fail(pkceError);
  const scopes = await grantedScopes(services, client, params.get("scope"));
  if (!Array.isArray(scopes)) return fail(scopes);
  // After the scopes: the DG places no check of `resource` in Cognito's order [UNDOC].
  const resource = authorizeResource(params);
  if (resource instanceof OAuthError) return fail(resource);
  const asked = options.federated
    ? await requestedProvider(services, client, params)
    : (checkIdentityProvider(client, params) ?? {});
  if (asked instanceof OAuthError) return fail(asked);
  return {
    kind: "ok",
    request: {
      client,
      redirectUri,
      responseType,
      scopes,
      state,
      nonce: params.get("nonce"),
      codeChallenge: responseType === "code" ? params.get("code_challenge") : undefined,
      prompt: promptOf(site, params.get("prompt")),
      identityProvider: asked.provider,
      resource,
    },
  };
}
