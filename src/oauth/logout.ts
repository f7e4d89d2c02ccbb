/**
 * `GET /logout` (OAUTH.md §2.4): ends the browser's session first, whatever follows; then sends the
 * browser to the client's registered `logout_uri` (unchanged, without `state`), or back to the
 * sign-in page for `redirect_uri` + `response_type`, or to the error page. Tokens are not revoked.
 * A session from a SAML provider with IDPSignout goes to the provider's single logout first
 * (FEDERATION.md §2.6).
 */

import { callbackUrls, logoutUrls } from "../domain/clients.js";
import { endBrowserSession } from "./browser-session.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "./endpoint.js";
import { samlSingleLogout } from "./federation/saml-logout.js";
import { clientOfSite, sitePath } from "./site.js";

/** Where the browser goes once signed out. */
async function logoutTarget(request: EndpointRequest): Promise<string> {
  const { query, services, site } = request;
  const client = await clientOfSite(services, site, query.get("client_id"));
  if (client) {
    const logoutUri = query.get("logout_uri");
    if (logoutUri !== undefined && logoutUrls(client).includes(logoutUri)) return logoutUri;
    const redirectUri = query.get("redirect_uri");
    // An unregistered logout_uri leaves the redirect_uri as the target [DG: "else"].
    if (
      redirectUri !== undefined &&
      query.has("response_type") &&
      callbackUrls(client).includes(redirectUri)
    ) {
      return `${sitePath(site, "/login")}?${request.rawQuery}`;
    }
  }
  // The error page shows Cognito's logout message for a query without `error` [OBS].
  return `${sitePath(site, "/error")}?${request.rawQuery}`;
}

export async function logoutEndpoint(request: EndpointRequest): Promise<EndpointResponse> {
  const cleared = await endBrowserSession(request);
  const target = await logoutTarget(request);
  return (await samlSingleLogout(request, target, [cleared])) ?? redirect(target, [cleared]);
}
