/**
 * `POST /oauth2/token` (OAUTH.md §2.5): a form, an authenticated client, one of the grant types of
 * grants/. Every failure is `400 {"error": …}`; a Cognito error of the engine or a trigger that no
 * grant maps is an `invalid_request` with its message, never a 500.
 */
import { CognitoError } from "../domain/errors.js";
import { authenticateClient } from "./client-auth.js";
import { type EndpointRequest, type EndpointResponse, json } from "./endpoint.js";
import { OAuthError, OAuthErrors } from "./errors.js";
import { GRANTS } from "./grants/index.js";

/** An OAuth error as the token, revocation and userInfo endpoints answer it. */
export function oauthErrorResponse(error: OAuthError, status = 400): EndpointResponse {
  return json(
    status,
    error.description ? { error: error.error, error_description: error.description } : { error: error.error },
  );
}

async function grant(request: EndpointRequest): Promise<EndpointResponse> {
  const form = request.form;
  if (!form || form.repeated()) throw OAuthErrors.invalidRequest();
  const grantType = form.get("grant_type");
  if (!grantType) throw OAuthErrors.invalidRequest();
  const client = await authenticateClient(request);
  const handler = GRANTS[grantType];
  if (!handler) throw OAuthErrors.unsupportedGrantType();
  return json(200, await handler(request, client));
}

export async function tokenEndpoint(request: EndpointRequest): Promise<EndpointResponse> {
  try {
    return await grant(request);
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(error);
    if (error instanceof CognitoError && error.status === 400) {
      return oauthErrorResponse(OAuthErrors.invalidRequest(error.message));
    }
    throw error;
  }
}
