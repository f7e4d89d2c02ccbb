/**
 * New tokens from a refresh token with rotation where the client has it (TOKENS.md §5): what
 * GetTokensFromRefreshToken and the token endpoint's `refresh_token` grant share. The tokens keep
 * the sign-in's scopes; PreTokenGeneration runs with `TokenGeneration_RefreshTokens`.
 */
import { refreshTokenRotation } from "../domain/clients.js";
import {
  issueRefreshedTokens,
  type RefreshRequest,
  type RefreshTokenRecord,
  resolveRefreshToken,
  rotateRefreshToken,
} from "../domain/tokens.js";
import type { AuthenticationResultType } from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import type { StringMap } from "../triggers/events.js";
import { tokenCustomizationFor } from "../triggers/pre-token.js";

export async function refreshGrant(
  services: Services,
  request: RefreshRequest & {
    clientMetadata?: StringMap;
    /** A check of the token's record before anything is issued (the token endpoint's `resource`). */
    assertRecord?: (record: RefreshTokenRecord) => void;
  },
): Promise<AuthenticationResultType> {
  const { pool, client, now } = request;
  const { record, user } = await resolveRefreshToken(services, request);
  request.assertRecord?.(record);
  const customization = await tokenCustomizationFor(services, {
    pool,
    clientId: client.id,
    source: "TokenGeneration_RefreshTokens",
    user,
    clientMetadata: request.clientMetadata,
    scopes: record.scopes ?? undefined,
  });
  const result = await issueRefreshedTokens(services, { pool, client, user, record, now, customization });
  if (refreshTokenRotation(client).enabled) {
    result.RefreshToken = await rotateRefreshToken(services, { pool, client, user, record, now });
  }
  return result;
}
