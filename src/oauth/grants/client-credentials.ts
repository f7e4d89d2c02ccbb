/**
 * `grant_type=client_credentials` (OAUTH.md §5.2): an access token for the client itself, with
 * custom scopes of the pool's resource servers only (all the client allows when none are asked for).
 */

import { allowedOAuthFlows, allowedOAuthScopes, oauthEnabled } from "../../domain/clients.js";
import { customScopesOf } from "../../domain/resource-servers.js";
import { isStandardScope, parseScopes } from "../../domain/scopes.js";
import { issueClientCredentialsToken } from "../../domain/tokens.js";
import type { ClientRecord } from "../../store/records.js";
import { clientCredentialsCustomization } from "../../triggers/pre-token.js";
import type { EndpointRequest } from "../endpoint.js";
import { OAuthErrors } from "../errors.js";
import { clientCredentialsResource } from "../resource-binding.js";
import { clientMetadataOf } from "./client-metadata.js";
import type { Grant } from "./grant.js";

/** The scopes granted: asked for (or all allowed), each a custom scope the client may have and that exists. */
async function grantedScopes(request: EndpointRequest, client: ClientRecord): Promise<string[]> {
  const allowed = allowedOAuthScopes(client).filter((scope) => !isStandardScope(scope));
  const asked = request.form?.get("scope");
  const requested = asked === undefined ? allowed : parseScopes(asked);
  const existing = await customScopesOf(request.services.store, client.poolId);
  if (requested.length === 0 || requested.some((scope) => !allowed.includes(scope)))
    throw OAuthErrors.invalidScope();
  const granted = requested.filter((scope) => existing.has(scope));
  if (granted.length === 0) throw OAuthErrors.invalidScope();
  return granted;
}

export const clientCredentialsGrant: Grant = async (request, client) => {
  // Observed: the switch off gives invalid_grant, the flow not allowed unauthorized_client [OBS].
  if (!oauthEnabled(client)) throw OAuthErrors.invalidGrant();
  if (!allowedOAuthFlows(client).includes("client_credentials")) throw OAuthErrors.unauthorizedClient();
  const scopes = await grantedScopes(request, client);
  const resource = clientCredentialsResource(request.form);
  const { services, site, now } = request;
  const customization = await clientCredentialsCustomization(services, {
    pool: site.pool,
    clientId: client.id,
    scopes,
    clientMetadata: clientMetadataOf(request),
  });
  const token = await issueClientCredentialsToken(services, {
    pool: site.pool,
    client,
    scopes,
    now,
    customization,
    resource,
  });
  return { access_token: token.AccessToken, expires_in: token.ExpiresIn, token_type: "Bearer" };
};
