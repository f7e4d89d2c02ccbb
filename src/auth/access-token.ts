/**
 * The gate of every token-authorized operation (TOKENS.md §3.1): a well-formed RS256 JWT signed by
 * the pool's access-token key, `token_use=access`, unexpired, not revoked, with the sign-in scope,
 * of a user who still exists. The pool is the one the issuer names; its key is what binds the token
 * to it (the issuer's base may change with the server's address; the pool's key does not).
 */
import { decodeRs256, signatureValid } from "../crypto/jwt.js";
import { Errors } from "../domain/errors.js";
import { SIGNIN_SCOPE } from "../domain/scopes.js";
import { poolIdOfIssuer } from "../domain/tokens.js";
import type { Services } from "../services.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { TokenFamily } from "../store/refresh-tokens.js";

/** Claims of an access token from API sign-in (TOKENS.md §3). */
export interface AccessTokenClaims {
  sub: string;
  device_key?: string;
  "cognito:groups"?: string[];
  iss: string;
  client_id: string;
  origin_jti?: string;
  event_id: string;
  token_use: "access";
  scope: string;
  auth_time: number;
  exp: number;
  iat: number;
  jti?: string;
  username: string;
}

const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

function isAccessClaims(p: Record<string, unknown>): p is Record<string, unknown> & AccessTokenClaims {
  return (
    p.token_use === "access" &&
    typeof p.sub === "string" &&
    typeof p.iss === "string" &&
    typeof p.client_id === "string" &&
    typeof p.event_id === "string" &&
    typeof p.scope === "string" &&
    typeof p.exp === "number" &&
    typeof p.iat === "number" &&
    typeof p.username === "string" &&
    (p.origin_jti === undefined || typeof p.origin_jti === "string")
  );
}

/** Signature, pool, kind and shape; anything wrong here is just an invalid token. */
async function verifiedClaims(
  services: Services,
  token: string,
  now: Date,
): Promise<{ pool: PoolRecord; claims: AccessTokenClaims }> {
  const jwt = decodeRs256(token);
  const iss = jwt?.payload.iss;
  if (!jwt || typeof iss !== "string") throw Errors.invalidAccessToken();
  const poolId = poolIdOfIssuer(iss);
  if (!POOL_ID.test(poolId)) throw Errors.invalidAccessToken();
  const pool = await services.store.pools.get(poolId);
  if (!pool) throw Errors.invalidAccessToken();
  const key = await services.keys.verificationKey(pool.id, jwt.kid, now);
  // An ID token, or a token of another pool, is signed with another key.
  if (key?.use !== "access" || !signatureValid(jwt, key.publicKey)) throw Errors.invalidAccessToken();
  if (!isAccessClaims(jwt.payload)) throw Errors.invalidAccessToken();
  return { pool, claims: jwt.payload };
}

function familyOf(claims: AccessTokenClaims): TokenFamily {
  return claims.origin_jti ? { originJti: claims.origin_jti } : { eventId: claims.event_id };
}

/**
 * Verifies an access token (signature, token_use, expiry, revocation, user exists/enabled, scope:
 * the sign-in scope for the API, `openid` for userInfo) → its pool, user and claims, or throws
 * Cognito's error.
 */
export async function requireAccessToken(
  services: Services,
  token: string,
  now: Date,
  requiredScope: string = SIGNIN_SCOPE,
): Promise<{ pool: PoolRecord; user: UserRecord; claims: AccessTokenClaims }> {
  const { pool, claims } = await verifiedClaims(services, token, now);
  if (now.getTime() >= claims.exp * 1000) throw Errors.accessTokenExpired();
  const [revoked, user] = await Promise.all([
    services.store.refreshTokens.isFamilyRevoked(familyOf(claims)),
    services.store.users.getBySub(pool.id, claims.sub),
  ]);
  // A deleted user's tokens were revoked with it; that it is gone is what Cognito says.
  if (!user) throw Errors.userNotFound();
  if (revoked) throw Errors.accessTokenRevoked();
  if (!claims.scope.split(" ").includes(requiredScope)) throw Errors.accessTokenScope();
  // Disabling a user revokes its tokens; this holds even for tokens no revocation could name.
  if (!user.enabled) throw Errors.accessTokenRevoked();
  if (user.status === "RESET_REQUIRED") throw Errors.passwordResetRequired();
  if (user.status === "UNCONFIRMED") throw Errors.userNotConfirmed();
  return { pool, user, claims };
}
