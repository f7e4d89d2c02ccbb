/** The gate of every token-authorized operation: a valid, unrevoked access token of an existing user. */
import { Errors } from "../domain/errors.js";
import type { Services } from "../services.js";
import type { PoolRecord, UserRecord } from "../store/records.js";

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

/** Verifies an access token (signature, token_use, expiry, revocation, user, scope), or throws Cognito's error. */
export async function requireAccessToken(
  _services: Services,
  _token: string,
  _now: Date,
): Promise<{ pool: PoolRecord; user: UserRecord; claims: AccessTokenClaims }> {
  throw Errors.internal();
}
