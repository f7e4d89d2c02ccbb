/**
 * `grant_type=authorization_code` (OAUTH.md §2.5): the code, once, by the client it was issued to,
 * with the redirect URI of the authorization request and the PKCE verifier of its challenge. A
 * code presented again revokes what its first use issued (RFC 6749 §4.1.2).
 */
import { createHash } from "node:crypto";
import { sameText } from "../../crypto/compare.js";
import { allowedOAuthFlows, oauthEnabled, readableAttributes } from "../../domain/clients.js";
import { scopesReadable } from "../../domain/scopes.js";
import { hashRefreshToken, reissuedNow, revokeFamily } from "../../domain/tokens.js";
import type { ClientRecord } from "../../store/records.js";
import { type CodeGrant, redeemCode } from "../codes.js";
import type { EndpointRequest } from "../endpoint.js";
import { OAuthErrors } from "../errors.js";
import { checkTokenResource } from "../resource-binding.js";
import { type Grant, tokenResponse } from "./grant.js";

/** S256: base64url(SHA-256(verifier)) is the challenge. */
function verifierMatches(challenge: string, verifier: string | undefined): boolean {
  if (!verifier) return false;
  return sameText(createHash("sha256").update(verifier).digest("base64url"), challenge);
}

async function revokeReplayed(request: EndpointRequest, refreshTokenHash: string): Promise<void> {
  const { store } = request.services;
  const record = await store.refreshTokens.get(refreshTokenHash);
  if (record) await revokeFamily(store, record, request.now);
}

/**
 * The tokens' user must still exist and be enabled when the code is exchanged, and the client read
 * every attribute the granted scopes imply. A `resource` sent along must be the one the
 * authorization request bound.
 */
async function assertGrantStands(
  request: EndpointRequest,
  client: ClientRecord,
  tokens: CodeGrant["tokens"],
): Promise<void> {
  const { store } = request.services;
  const record = await store.refreshTokens.get(hashRefreshToken(tokens.RefreshToken));
  const user = record && (await store.users.get(record.poolId, record.usernameKey));
  if (!record || !user || user.sub !== record.sub || !user.enabled) throw OAuthErrors.invalidGrant();
  if (!scopesReadable(readableAttributes(request.site.pool, client), record.scopes ?? [])) {
    throw OAuthErrors.invalidGrant();
  }
  checkTokenResource(request.form, record.resource);
}

export const authorizationCodeGrant: Grant = async (request, client) => {
  if (!oauthEnabled(client) || !allowedOAuthFlows(client).includes("code"))
    throw OAuthErrors.unauthorizedClient();
  const code = request.form?.get("code");
  const redirectUri = request.form?.get("redirect_uri");
  if (!code || !redirectUri) throw OAuthErrors.invalidRequest();
  const redemption = await redeemCode(request.services, code, request.now);
  if (redemption.kind === "replayed") await revokeReplayed(request, redemption.record.refreshTokenHash);
  if (redemption.kind !== "redeemed") throw OAuthErrors.invalidGrant();
  const { record, tokens } = redemption;
  if (record.clientId !== client.id || record.redirectUri !== redirectUri) throw OAuthErrors.invalidGrant();
  // A verifier sent for a code without a challenge is ignored [UNDOC].
  if (record.codeChallenge && !verifierMatches(record.codeChallenge, request.form?.get("code_verifier"))) {
    throw OAuthErrors.invalidGrant();
  }
  await assertGrantStands(request, client, tokens);
  // The tokens were signed when the code was issued; they are handed out as issued now.
  const reissued = await reissuedNow(request.services, record.poolId, tokens, request.now);
  return tokenResponse({ ...reissued, RefreshToken: tokens.RefreshToken });
};
