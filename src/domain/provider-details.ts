/**
 * ProviderDetails by provider type (FEDERATION.md §1.3): the keys each type requires, the values
 * Cognito fills in (social endpoints, discovered OIDC endpoints, SAML metadata locations), and the
 * keys Describe hides. Keys the server owns are recomputed whatever a request says [UNDOC]; other
 * unknown keys are kept and echoed [UNDOC].
 */
import type { FederationConfig } from "../config/federation.js";
import type { IdentityProviderTypeType } from "../protocol/types.generated.js";
import type { IdentityProviderRecord, SamlMetadata } from "../store/identity-providers.js";
import { Errors } from "./errors.js";
import { idpUrlRule, isAllowedIdpUrl } from "./idp-documents.js";
import { discoverOidcEndpoints, OIDC_ENDPOINT_KEYS, type OidcEndpointKey } from "./oidc-discovery.js";
import { fetchSamlMetadata, parseSamlMetadata } from "./saml-metadata.js";

type Details = Record<string, string>;

export interface DetailsContext {
  config: FederationConfig;
  now: Date;
}

/** Stored ProviderDetails, and for SAML what its metadata says. */
export interface ResolvedDetails {
  details: Details;
  samlMetadata: SamlMetadata | null;
}

/** Facebook's Graph API version when none is given [UNDOC: the version of the API reference example]. */
export const DEFAULT_FACEBOOK_API_VERSION = "v17.0";

/** The endpoints Cognito fills in for each social type, as Describe shows them [API examples]. */
function socialEndpoints(type: IdentityProviderTypeType, details: Details): Details {
  switch (type) {
    case "Google":
      return {
        authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
        token_url: "https://www.googleapis.com/oauth2/v4/token",
        token_request_method: "POST",
        attributes_url: "https://people.googleapis.com/v1/people/me?personFields=",
        attributes_url_add_attributes: "true",
        oidc_issuer: "https://accounts.google.com",
      };
    case "Facebook": {
      const version = details.api_version || DEFAULT_FACEBOOK_API_VERSION;
      return {
        api_version: version,
        authorize_url: `https://www.facebook.com/${version}/dialog/oauth`,
        token_url: `https://graph.facebook.com/${version}/oauth/access_token`,
        token_request_method: "GET",
        attributes_url: `https://graph.facebook.com/${version}/me?fields=`,
        attributes_url_add_attributes: "true",
      };
    }
    case "LoginWithAmazon":
      return {
        authorize_url: "https://www.amazon.com/ap/oa",
        token_url: "https://api.amazon.com/auth/o2/token",
        token_request_method: "POST",
        attributes_url: "https://api.amazon.com/user/profile",
        attributes_url_add_attributes: "false",
      };
    default: // SignInWithApple
      return {
        authorize_url: "https://appleid.apple.com/auth/authorize",
        token_url: "https://appleid.apple.com/auth/token",
        token_request_method: "POST",
        oidc_issuer: "https://appleid.apple.com",
        attributes_url_add_attributes: "false",
      };
  }
}

const SOCIAL_OWNED = [
  "authorize_url",
  "token_url",
  "token_request_method",
  "attributes_url",
  "attributes_url_add_attributes",
  "oidc_issuer",
];

/** Keys the server computes: a request's values for them are dropped. */
const SERVER_OWNED: Record<IdentityProviderTypeType, readonly string[]> = {
  Google: SOCIAL_OWNED,
  Facebook: SOCIAL_OWNED,
  LoginWithAmazon: SOCIAL_OWNED,
  SignInWithApple: SOCIAL_OWNED,
  OIDC: ["attributes_url_add_attributes"],
  SAML: ["SSORedirectBindingURI", "SLORedirectBindingURI", "ActiveEncryptionCertificate"],
};

/** Required keys, in the order Cognito's message lists them. */
const REQUIRED: Record<IdentityProviderTypeType, readonly string[]> = {
  Google: ["client_id", "client_secret", "authorize_scopes"],
  Facebook: ["client_id", "client_secret", "authorize_scopes"],
  LoginWithAmazon: ["client_id", "client_secret", "authorize_scopes"],
  SignInWithApple: ["client_id", "team_id", "key_id", "private_key", "authorize_scopes"],
  OIDC: ["client_id", "client_secret", "attributes_request_method", "oidc_issuer", "authorize_scopes"],
  SAML: [],
};

/** Keys Describe never shows: Apple's signing key [API]. */
const HIDDEN: Partial<Record<IdentityProviderTypeType, readonly string[]>> = {
  SignInWithApple: ["private_key"],
};

/** "a, b and c" */
function listed(keys: readonly string[]): string {
  return keys.length === 1 ? keys[0] : `${keys.slice(0, -1).join(", ")} and ${keys[keys.length - 1]}`;
}

function checkRequired(type: IdentityProviderTypeType, details: Details): void {
  const required = REQUIRED[type];
  if (required.some((key) => !details[key])) throw Errors.providerDetailsRequired(listed(required));
}

function checkUrl(key: string, url: string, config: FederationConfig): void {
  if (!isAllowedIdpUrl(url, config)) throw Errors.idpUrlInvalid(key, url, idpUrlRule(config));
}

function scopesOf(details: Details): string[] {
  return details.authorize_scopes.split(/\s+/).filter(Boolean);
}

/**
 * Social providers: the fixed endpoints. Cognito checks scopes against the provider's own list;
 * Cognate only checks that space-separated types are not given commas (Facebook's are) [UNDOC].
 */
function socialDetails(type: IdentityProviderTypeType, details: Details): Details {
  if (type !== "Facebook" && details.authorize_scopes.includes(",")) {
    throw Errors.providerDetailInvalid("authorize_scopes", "must be separated by spaces");
  }
  return { ...details, ...socialEndpoints(type, details) };
}

/** The issuer: HTTPS (unless relaxed), without a trailing slash [DG]. */
function checkIssuer(issuer: string, config: FederationConfig): void {
  if (!isAllowedIdpUrl(issuer, config) || issuer.endsWith("/")) {
    throw Errors.idpUrlInvalid("oidc_issuer", issuer, `${idpUrlRule(config)}, without a trailing slash`);
  }
}

/** OIDC: scopes with openid, a request method, the issuer, and every endpoint given or discovered. */
async function oidcDetails(details: Details, context: DetailsContext): Promise<Details> {
  if (!scopesOf(details).includes("openid")) {
    throw Errors.providerDetailInvalid("authorize_scopes", "must include openid");
  }
  if (details.attributes_request_method !== "GET" && details.attributes_request_method !== "POST") {
    throw Errors.providerDetailInvalid("attributes_request_method", "must be GET or POST");
  }
  checkIssuer(details.oidc_issuer, context.config);
  const keys = Object.keys(OIDC_ENDPOINT_KEYS) as OidcEndpointKey[];
  const missing = keys.some((key) => !details[key]);
  const discovered = missing ? await discoverOidcEndpoints(details.oidc_issuer, context.config) : {};
  const endpoints: Details = {};
  for (const key of keys) {
    const url = details[key] || discovered[key];
    if (url === undefined) continue;
    checkUrl(key, url, context.config);
    endpoints[key] = url;
  }
  return { ...details, ...endpoints, attributes_url_add_attributes: "false" };
}

const SAML_FLAGS = ["IDPSignout", "IDPInit", "EncryptedResponses"];

function checkSamlOptions(details: Details): void {
  for (const flag of SAML_FLAGS) {
    if (details[flag] !== undefined && details[flag] !== "true" && details[flag] !== "false") {
      throw Errors.providerDetailInvalid(flag, "must be true or false");
    }
  }
  const algorithm = details.RequestSigningAlgorithm;
  if (algorithm !== undefined && algorithm !== "rsa-sha256") {
    throw Errors.providerDetailInvalid("RequestSigningAlgorithm", "must be rsa-sha256");
  }
}

/** SAML: exactly one metadata source, read now; the redirect locations it gives are shown. */
async function samlDetails(details: Details, context: DetailsContext): Promise<ResolvedDetails> {
  const { MetadataFile: file, MetadataURL: url } = details;
  if (!file && !url) throw Errors.samlMetadataMissing();
  if (file && url) throw Errors.samlMetadataTwice();
  checkSamlOptions(details);
  const metadata = file
    ? await parseSamlMetadata(file, context.now)
    : await fetchSamlMetadata(url, context.config, context.now);
  if (details.IDPSignout === "true" && !metadata.sloRedirectUrl) throw Errors.samlNoRedirectSlo();
  const locations: Details = { SSORedirectBindingURI: metadata.ssoRedirectUrl };
  if (metadata.sloRedirectUrl) locations.SLORedirectBindingURI = metadata.sloRedirectUrl;
  return { details: { ...details, ...locations }, samlMetadata: metadata };
}

/**
 * ProviderDetails as stored for CreateIdentityProvider or UpdateIdentityProvider (`previous`: the
 * stored ones, whose hidden keys an update may leave out, since Describe never showed them [UNDOC]).
 */
export async function resolveProviderDetails(
  type: IdentityProviderTypeType,
  given: Readonly<Details>,
  previous: Readonly<Details> | undefined,
  context: DetailsContext,
): Promise<ResolvedDetails> {
  const details: Details = { ...given };
  for (const key of SERVER_OWNED[type]) delete details[key];
  for (const key of HIDDEN[type] ?? []) if (!details[key] && previous?.[key]) details[key] = previous[key];
  checkRequired(type, details);
  switch (type) {
    case "SAML":
      return samlDetails(details, context);
    case "OIDC":
      return { details: await oidcDetails(details, context), samlMetadata: null };
    default:
      return { details: socialDetails(type, details), samlMetadata: null };
  }
}

/** Whether a SAML provider wants its assertions encrypted (it then has its own key and certificate). */
export function wantsEncryptedResponses(type: IdentityProviderTypeType, details: Readonly<Details>): boolean {
  return type === "SAML" && details.EncryptedResponses === "true";
}

/** ProviderDetails as Describe shows them: hidden keys left out, the active encryption certificate added. */
export function describedDetails(provider: IdentityProviderRecord): Details {
  const shown: Details = { ...provider.details };
  for (const key of HIDDEN[provider.type] ?? []) delete shown[key];
  if (wantsEncryptedResponses(provider.type, provider.details) && provider.encryptionKey) {
    shown.ActiveEncryptionCertificate = provider.encryptionKey.certificate;
  }
  return shown;
}
