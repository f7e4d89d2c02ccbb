/**
 * Where an OIDC or social provider is reached at sign-in (FEDERATION.md §2.2, §2.3), and what the
 * round trip to it carries. OIDC endpoints are its ProviderDetails (discovered at Create/Update);
 * the social providers' are the ones Describe shows unless `federation.providerEndpointOverrides`
 * points them elsewhere.
 */
import type { FederationConfig } from "../../config/federation.js";
import type { IdentityProviderTypeType } from "../../protocol/types.generated.js";
import type { IdentityProviderRecord } from "../../store/identity-providers.js";

export interface OAuthProviderEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  /** Facebook's token endpoint is called with GET [UNDOC]. */
  tokenMethod: "GET" | "POST";
  attributesUrl?: string;
  /** OIDC's attributes_request_method; social providers are read with GET. */
  attributesMethod: "GET" | "POST";
  /** The mapped attribute names are appended to attributesUrl (Google's personFields, Facebook's fields). */
  addAttributes: boolean;
  jwksUri?: string;
  /** The `iss` of the provider's ID tokens, for the types that issue them. */
  issuer?: string;
}

/** The keys of the social providers with ID tokens [UNDOC: their published JWKS]. */
const SOCIAL_JWKS: Partial<Record<IdentityProviderTypeType, string>> = {
  Google: "https://www.googleapis.com/oauth2/v3/certs",
  SignInWithApple: "https://appleid.apple.com/auth/keys",
};

export function providerEndpoints(
  config: FederationConfig,
  provider: IdentityProviderRecord,
): OAuthProviderEndpoints {
  const details = provider.details;
  const override =
    provider.type === "OIDC" || provider.type === "SAML"
      ? undefined
      : config.providerEndpointOverrides[provider.type];
  return {
    authorizeUrl: override?.authorize_url ?? details.authorize_url,
    tokenUrl: override?.token_url ?? details.token_url,
    tokenMethod: details.token_request_method === "GET" ? "GET" : "POST",
    attributesUrl: override?.attributes_url ?? details.attributes_url,
    attributesMethod: details.attributes_request_method === "POST" ? "POST" : "GET",
    addAttributes: details.attributes_url_add_attributes === "true",
    jwksUri: override?.jwks_uri ?? details.jwks_uri ?? SOCIAL_JWKS[provider.type],
    issuer: override?.issuer ?? details.oidc_issuer,
  };
}

/** The types whose providers answer with an ID token, which is then required. */
export function issuesIdTokens(type: IdentityProviderTypeType): boolean {
  return type === "OIDC" || type === "Google" || type === "SignInWithApple";
}

/** Types whose providers take PKCE by default [UNDOC: the providers' documentation]. */
const PKCE_BY_DEFAULT: ReadonlySet<IdentityProviderTypeType> = new Set(["OIDC", "Google", "LoginWithAmazon"]);

/**
 * Whether the round trip carries a nonce (checked in the ID token) and PKCE: by default a nonce
 * for the types with ID tokens and PKCE for those documented to take it; the ProviderDetails keys
 * `cognate:send_nonce` and `cognate:use_pkce` ("true"/"false") decide otherwise [UNDOC].
 */
export function roundTripProtections(provider: IdentityProviderRecord): { nonce: boolean; pkce: boolean } {
  const flag = (key: string, fallback: boolean) =>
    provider.details[key] === undefined ? fallback : provider.details[key] === "true";
  return {
    nonce: flag("cognate:send_nonce", issuesIdTokens(provider.type)),
    pkce: flag("cognate:use_pkce", PKCE_BY_DEFAULT.has(provider.type)),
  };
}

/** Sign in with Apple posts its answer when names or emails are asked for (Apple requires form_post). */
export function usesFormPost(provider: IdentityProviderRecord): boolean {
  if (provider.type !== "SignInWithApple") return false;
  const scopes = (provider.details.authorize_scopes ?? "").split(/\s+/);
  return scopes.includes("name") || scopes.includes("email");
}
