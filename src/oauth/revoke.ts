/**
 * `POST /oauth2/revoke` (OAUTH.md §2.7): revokes a refresh token and every token of its sign-in.
 * A token this client does not hold (unknown, another client's, already revoked) is a success.
 */
import { tokenRevocationEnabled } from "../domain/clients.js";
import { hashRefreshToken, isJwt, revokeFamily } from "../domain/tokens.js";
import { authenticateClient } from "./client-auth.js";
import { type EndpointRequest, type EndpointResponse, empty } from "./endpoint.js";
import { OAuthError, OAuthErrors } from "./errors.js";
import { oauthErrorResponse } from "./token.js";

async function revoke(request: EndpointRequest): Promise<EndpointResponse> {
  const form = request.form;
  if (!form || form.repeated()) throw OAuthErrors.invalidRequest();
  let client: Awaited<ReturnType<typeof authenticateClient>>;
  try {
    client = await authenticateClient(request);
  } catch (error) {
    // Bad client credentials are a 401 here, unlike at the token endpoint [DG].
    if (error instanceof OAuthError && error.error === "invalid_client")
      return oauthErrorResponse(error, 401);
    throw error;
  }
  const token = form.get("token");
  if (!token || !tokenRevocationEnabled(client)) throw OAuthErrors.invalidRequest();
  if (isJwt(token)) throw OAuthErrors.unsupportedTokenType();
  const { store } = request.services;
  const record = await store.refreshTokens.get(hashRefreshToken(token));
  if (record && record.clientId === client.id) await revokeFamily(store, record, request.now);
  return empty(200);
}

export async function revokeEndpoint(request: EndpointRequest): Promise<EndpointResponse> {
  try {
    return await revoke(request);
  } catch (error) {
    if (error instanceof OAuthError) return oauthErrorResponse(error);
    throw error;
  }
}
