/**
 * SAML single logout (FEDERATION.md §2.6): `/logout` for a browser whose session came from a SAML
 * provider with `IDPSignout` ends the session here, then sends the browser to the provider's
 * single logout service with a signed LogoutRequest (NameID, SessionIndex); the provider posts its
 * LogoutResponse to `/saml2/logout`, and the browser goes on where `/logout` would have sent it.
 * Without IDPSignout, `/logout` only ends the session here.
 */
import { randomUUID } from "node:crypto";
import { browserSessionKeyOf } from "../browser-session.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "../endpoint.js";
import { federationErrorPage } from "./complete.js";
import { logoutRequestUrl, newSamlRequestId, SamlRefusal, validateLogoutResponse } from "./saml.js";
import { beginRoundTrip, finishRoundTrip } from "./state.js";

/**
 * For `/logout`: the redirect to the provider's single logout, when the browser's session came
 * from a SAML provider that wants it; `target` is where the browser goes afterwards. The SAML
 * session is forgotten either way.
 */
export async function samlSingleLogout(
  request: EndpointRequest,
  target: string,
  cookies: string[],
): Promise<EndpointResponse | undefined> {
  const key = browserSessionKeyOf(request);
  const { services, site } = request;
  const session = key && (await services.store.samlSessions.take(key));
  if (!session || session.poolId !== site.pool.id) return undefined;
  const provider = await services.store.identityProviders.get(site.pool.id, session.providerName);
  if (
    provider?.type !== "SAML" ||
    provider.details.IDPSignout !== "true" ||
    !provider.samlMetadata?.sloRedirectUrl
  ) {
    return undefined;
  }
  const requestId = newSamlRequestId(randomUUID());
  const { handle, cookie } = await beginRoundTrip(request, "logout", provider.name, { target, requestId });
  const url = await logoutRequestUrl(request, provider, session.subject, handle, requestId);
  return redirect(url, [...cookies, cookie]);
}

/** `POST /saml2/logout`: the provider's LogoutResponse; then where `/logout` was to send the browser. */
export async function samlLogoutEndpoint(request: EndpointRequest): Promise<EndpointResponse> {
  const samlResponse = request.form?.get("SAMLResponse");
  const state = await finishRoundTrip(request, request.form?.get("RelayState"), "logout", true);
  if (!state || !samlResponse || !state.data.target || !state.data.requestId)
    return federationErrorPage(request);
  const provider = await request.services.store.identityProviders.get(
    request.site.pool.id,
    state.providerName,
  );
  if (provider?.type !== "SAML") return federationErrorPage(request);
  try {
    await validateLogoutResponse(request, provider, samlResponse, state.data.requestId);
  } catch (error) {
    if (error instanceof SamlRefusal) return federationErrorPage(request);
    throw error;
  }
  return redirect(state.data.target);
}
