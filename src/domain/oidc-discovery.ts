/**
 * OpenID Connect discovery at CreateIdentityProvider / UpdateIdentityProvider (FEDERATION.md §1.3):
 * Cognito reads `<oidc_issuer>/.well-known/openid-configuration` for the endpoints not given; Cognate
 * does it once and stores the URLs in ProviderDetails [UNDOC], so sign-in needs no discovery.
 */
import type { FederationConfig } from "../config/federation.js";
import { Errors } from "./errors.js";
import { fetchIdpDocument, IdpDocumentError } from "./idp-documents.js";

/** ProviderDetails keys of the endpoints, and the discovery members that give them. */
export const OIDC_ENDPOINT_KEYS = {
  authorize_url: "authorization_endpoint",
  token_url: "token_endpoint",
  attributes_url: "userinfo_endpoint",
  jwks_uri: "jwks_uri",
} as const;

export type OidcEndpointKey = keyof typeof OIDC_ENDPOINT_KEYS;

/** Endpoints sign-in cannot do without; userInfo is optional (the ID token may say everything). */
const REQUIRED: readonly OidcEndpointKey[] = ["authorize_url", "token_url", "jwks_uri"];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

async function readDiscovery(url: string, config: FederationConfig): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await fetchIdpDocument(url, config);
  } catch (error) {
    if (!(error instanceof IdpDocumentError)) throw error;
    const reason =
      error.status === undefined ? "it could not be read" : `it answered with HTTP status ${error.status}`;
    throw Errors.oidcDiscoveryFailed(url, reason);
  }
  try {
    const document: unknown = JSON.parse(text);
    if (isObject(document)) return document;
  } catch {
    // reported below
  }
  throw Errors.oidcDiscoveryFailed(url, "it is not a JSON object");
}

/**
 * The provider's endpoints from its discovery document. Its `issuer` must be `issuer` exactly, as
 * OpenID Connect Discovery requires; the authorization, token and JWKS endpoints must be present.
 */
export async function discoverOidcEndpoints(
  issuer: string,
  config: FederationConfig,
): Promise<Partial<Record<OidcEndpointKey, string>>> {
  const url = `${issuer}/.well-known/openid-configuration`;
  const document = await readDiscovery(url, config);
  if (document.issuer !== issuer) throw Errors.oidcDiscoveryFailed(url, `its issuer is not ${issuer}`);
  const endpoints: Partial<Record<OidcEndpointKey, string>> = {};
  for (const [key, member] of Object.entries(OIDC_ENDPOINT_KEYS) as [OidcEndpointKey, string][]) {
    const value = document[member];
    if (typeof value === "string" && value !== "") endpoints[key] = value;
    else if (REQUIRED.includes(key)) throw Errors.oidcDiscoveryFailed(url, `it has no ${member}`);
  }
  return endpoints;
}
