/**
 * The addresses a pool's domain gives outside identity providers (FEDERATION.md §2, §5.1): where
 * they send the browser back, and who Cognate is to SAML providers.
 */
import { publicUrlOf } from "../../domain/domains.js";
import { type EndpointRequest, header } from "../endpoint.js";

/** Where OIDC and social providers send the browser back with a code. */
export const IDP_RESPONSE_PATH = "/oauth2/idpresponse";
/** The SAML assertion consumer service (HTTP-POST). */
export const SAML_RESPONSE_PATH = "/saml2/idpresponse";
/** Where a SAML provider posts its LogoutResponse. */
export const SAML_LOGOUT_PATH = "/saml2/logout";

/** The pool's SAML service provider entity ID, which is also the audience of its assertions [DG]. */
export function spEntityId(poolId: string): string {
  return `urn:amazon:cognito:sp:${poolId}`;
}

/**
 * The absolute URL of one of the site's endpoints as the browser reached it (scheme, Host, and the
 * path form's prefix), so that the provider sends the browser back to the host whose cookies it
 * holds [UNDOC]. Without a Host header: the domain's public URL.
 */
export function siteEndpointUrl(request: EndpointRequest, path: string): string {
  const { site, services } = request;
  const host = header(request, "host");
  const base = host
    ? `${site.secure ? "https" : "http"}://${host}${site.basePath}`
    : publicUrlOf(services, site.domain);
  return `${base}${path}`;
}
