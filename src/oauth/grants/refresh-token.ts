/**
 * `grant_type=refresh_token` (OAUTH.md §2.5): new ID and access tokens with the scopes of the
 * sign-in; a new refresh token only where the client rotates them. Any refresh token of the client
 * works, whether the endpoints or the JSON API issued it.
 */
import { refreshGrant } from "../../auth/refresh-grant.js";
import { CognitoError } from "../../domain/errors.js";
import { OAuthErrors } from "../errors.js";
import { checkTokenResource } from "../resource-binding.js";
import { clientMetadataOf } from "./client-metadata.js";
import { type Grant, tokenResponse } from "./grant.js";

/** What the token check throws for a token that is unknown, foreign, revoked, expired, rotated out, or whose user is gone or disabled. */
const REFUSED_TOKEN: ReadonlySet<string> = new Set([
  "NotAuthorizedException",
  "UserNotFoundException",
  "RefreshTokenReuseException",
]);

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
      assertRecord: (record) => checkTokenResource(request.form, record.resource),
    });
    return tokenResponse(result);
  } catch (error) {
    if (error instanceof CognitoError && REFUSED_TOKEN.has(error.type)) throw OAuthErrors.invalidGrant();
    throw error;
  }
};
