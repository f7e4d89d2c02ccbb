/**
 * Tokens: ID and access JWTs with Cognito's claims, and opaque refresh tokens kept hashed.
 */
import type { AuthenticationResultType } from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../store/records.js";
import type { RefreshTokenRecord } from "../store/refresh-tokens.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";

export type { RefreshTokenRecord };

export interface SignInGrant {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  now: Date;
  /** Time of the authentication; defaults to `now`. */
  authTime?: Date;
  deviceKey?: string;
}

/** Signs ID + access tokens, creates and stores a refresh token (hashed); returns Cognito's AuthenticationResult. */
export async function issueTokens(
  _services: Services,
  _grant: SignInGrant,
): Promise<AuthenticationResultType> {
  throw Errors.internal();
}

/** Finds a refresh token for this client or throws NotAuthorizedException with Cognito's message. */
export async function lookupRefreshToken(
  _services: Services,
  _client: ClientRecord,
  _refreshToken: string,
  _now: Date,
): Promise<RefreshTokenRecord> {
  throw Errors.internal();
}

/** New ID + access tokens from a refresh token (same auth_time, origin_jti, event_id); no RefreshToken. */
export async function issueRefreshedTokens(
  _services: Services,
  _args: { pool: PoolRecord; client: ClientRecord; user: UserRecord; record: RefreshTokenRecord; now: Date },
): Promise<AuthenticationResultType> {
  throw Errors.internal();
}

/** Revokes every refresh token of the user and the access tokens descended from them (sign-out, disable). */
export async function revokeAllForUser(
  _store: Store,
  _pool: PoolRecord,
  _user: UserRecord,
  _now: Date = new Date(),
): Promise<void> {
  throw Errors.internal();
}
