/**
 * Sending the browser to an outside identity provider (FEDERATION.md §2.2, §2.4): the round trip
 * is stored, then the browser goes to the provider's authorization endpoint (OIDC and social
 * providers: the code flow with state, and nonce and PKCE where the provider takes them) or to
 * its SAML single sign-on service with an AuthnRequest.
 */
import { createHash, randomUUID } from "node:crypto";
import { randomToken } from "../../crypto/random.js";
import type { IdentityProviderRecord } from "../../store/identity-providers.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "../endpoint.js";
import { providerEndpoints, roundTripProtections, usesFormPost } from "./oauth-endpoints.js";
import { authnRequestUrl, newSamlRequestId } from "./saml.js";
import { beginRoundTrip } from "./state.js";
import { IDP_RESPONSE_PATH, siteEndpointUrl } from "./urls.js";

async function startOAuth(
  request: EndpointRequest,
  provider: IdentityProviderRecord,
): Promise<EndpointResponse> {
  const endpoints = providerEndpoints(request.services.config.federation, provider);
  const protections = roundTripProtections(provider);
  const nonce = protections.nonce ? randomToken(24) : undefined;
  const codeVerifier = protections.pkce ? randomToken(48) : undefined;
  const returnUrl = siteEndpointUrl(request, IDP_RESPONSE_PATH);
  const { handle, cookie } = await beginRoundTrip(request, "oauth", provider.name, {
    query: request.rawQuery,
    nonce,
    codeVerifier,
    returnUrl,
  });
  const url = new URL(endpoints.authorizeUrl);
  const params = url.searchParams;
  params.set("response_type", "code");
  params.set("client_id", provider.details.client_id ?? "");
  params.set("redirect_uri", returnUrl);
  // As stored: Facebook's scopes keep their commas [DG].
  params.set("scope", provider.details.authorize_scopes ?? "");
  params.set("state", handle);
  if (nonce) params.set("nonce", nonce);
  if (codeVerifier) {
    params.set("code_challenge", createHash("sha256").update(codeVerifier).digest("base64url"));
    params.set("code_challenge_method", "S256");
  }
  if (usesFormPost(provider)) params.set("response_mode", "form_post");
  return redirect(url.href, [cookie]);
}

async function startSaml(
  request: EndpointRequest,
  provider: IdentityProviderRecord,
): Promise<EndpointResponse> {
  const requestId = newSamlRequestId(randomUUID());
  const { handle, cookie } = await beginRoundTrip(request, "saml", provider.name, {
    query: request.rawQuery,
    requestId,
  });
  return redirect(await authnRequestUrl(request, provider, handle, requestId), [cookie]);
}

/** Sends the browser to the provider for the authorization request in this request's query (already checked). */
export function redirectToProvider(
  request: EndpointRequest,
  provider: IdentityProviderRecord,
): Promise<EndpointResponse> {
  return provider.type === "SAML" ? startSaml(request, provider) : startOAuth(request, provider);
}
