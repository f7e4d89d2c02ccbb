/** Refresh tokens, kept only as the SHA-256 hash of the opaque value handed to the client. */
import type { Db } from "./store.js";

export interface RefreshTokenRecord {
  /** Hex SHA-256 of the token string; the token itself is never stored. */
  tokenHash: string;
  poolId: string;
  clientId: string;
  usernameKey: string;
  username: string;
  sub: string;
  deviceKey: string | null;
  /** The sign-in this token descends from: the same across refreshes and rotations. */
  originJti: string;
  eventId: string;
  authTime: Date;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** When rotation replaced this token by a new one (it stays usable for the grace period). */
  rotatedAt: Date | null;
}

export class RefreshTokenRepository {
  constructor(private readonly db: Db) {}
}
