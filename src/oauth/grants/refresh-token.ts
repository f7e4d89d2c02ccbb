/**
 * `grant_type=refresh_token` (OAUTH.md §2.5): new ID and access tokens with the scopes of the
 * sign-in; a new refresh token only where the client rotates them. Any refresh token of the client
 * works, whether the endpoints or the JSON API issued it.
 */
import { refreshGrant } from "../../auth/refresh-grant.js";
import { CognitoError } from "../../domain/errors.js";
import { OAuthErrors } from "../errors.js";
import { clientMetadataOf } from "./client-metadata.js";
import { type Grant, tokenResponse } from "./grant.js";

export const refreshTokenGrant: Grant = async (request, client) => {
  const refreshToken = request.form?.get("refresh_token");
  if (!refreshToken) throw OAuthErrors.invalidRequest();
  try {
    const result = await refreshGrant(request.services, {
      pool: request.site.pool,
      client,
      refreshToken,
      now: request.now,
      missingUser: "invalidToken",
      clientMetadata: clientMetadataOf(request),
    });
    return tokenResponse(result);
  } catch (error) {
    // Unknown, foreign, revoked, expired, or its user gone or disabled.
    if (error instanceof CognitoError && error.type === "NotAuthorizedException")
      throw OAuthErrors.invalidGrant();
    if (error instanceof CognitoError && error.type === "UserNotFoundException")
      throw OAuthErrors.invalidGrant();
    throw error;
  }
};
