/** Token operations: refresh with rotation, revocation, and global sign-out (TOKENS.md §5). */
import { requireAccessToken } from "../auth/access-token.js";
import { refreshGrant } from "../auth/refresh-grant.js";
import { isConfidential, matchesClientSecret } from "../domain/client-secrets.js";
import { tokenRevocationEnabled } from "../domain/clients.js";
import { Errors } from "../domain/errors.js";
import { requireClientAndPool, requirePool } from "../domain/lookup.js";
import { hashRefreshToken, isJwt, revokeAllForUser, revokeFamily } from "../domain/tokens.js";
import { requireUser } from "../domain/users.js";
import type { ClientRecord } from "../store/records.js";
import type { Handler, HandlerTable } from "./types.js";

/** GetTokensFromRefreshToken takes a raw client secret (not a SECRET_HASH): any active one. */
function checkClientSecret(client: ClientRecord, given: string | undefined): void {
  if (!isConfidential(client)) return;
  if (!given) throw Errors.clientSecretMissing(client.id);
  if (!matchesClientSecret(client, given)) throw Errors.clientSecretMismatch(client.id);
}

const GetTokensFromRefreshToken: Handler<"GetTokensFromRefreshToken"> = async (input, ctx) => {
  const { services, now } = ctx;
  const { client, pool } = await requireClientAndPool(services.store, input.ClientId);
  checkClientSecret(client, input.ClientSecret);
  const result = await refreshGrant(services, {
    pool,
    client,
    refreshToken: input.RefreshToken,
    deviceKey: input.DeviceKey,
    now,
    missingUser: "userNotFound",
    clientMetadata: input.ClientMetadata,
  });
  return { AuthenticationResult: result };
};

/**
 * RevokeToken (RFC 7009 style): revokes a refresh token and every token descended from its sign-in.
 * A token this server never issued is not an error; one issued to another client is [UNDOC].
 */
const RevokeToken: Handler<"RevokeToken"> = async (input, ctx) => {
  const { store } = ctx.services;
  const { client } = await requireClientAndPool(store, input.ClientId);
  if (!tokenRevocationEnabled(client)) throw Errors.tokenRevocationDisabled();
  if (isConfidential(client) && !(input.ClientSecret && matchesClientSecret(client, input.ClientSecret))) {
    throw Errors.revokeClientSecretInvalid(client.id);
  }
  if (isJwt(input.Token)) throw Errors.unsupportedTokenType();
  const record = await store.refreshTokens.get(hashRefreshToken(input.Token));
  if (!record) return {};
  if (record.clientId !== client.id) throw Errors.revokeTokenOtherClient();
  await revokeFamily(store, record, ctx.now);
  return {};
};

const GlobalSignOut: Handler<"GlobalSignOut"> = async (input, ctx) => {
  const { pool, user } = await requireAccessToken(ctx.services, input.AccessToken, ctx.now);
  await revokeAllForUser(ctx.services.store, pool, user, ctx.now);
  return {};
};

const AdminUserGlobalSignOut: Handler<"AdminUserGlobalSignOut"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const user = await requireUser(store, pool, input.Username);
  await revokeAllForUser(store, pool, user, ctx.now);
  return {};
};

export const tokenHandlers = {
  GetTokensFromRefreshToken,
  RevokeToken,
  GlobalSignOut,
  AdminUserGlobalSignOut,
} satisfies HandlerTable;
