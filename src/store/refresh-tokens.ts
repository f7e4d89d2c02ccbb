/** Refresh tokens, kept only as the SHA-256 hash of the opaque value handed to the client. */
import { CompiledInsert, CompiledLookup } from "./compiled.js";
import { date, ms } from "./json.js";
import type { RefreshTokensTable } from "./schema.js";
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
  /** The OAuth scopes the sign-in was granted (endpoint sign-in); null for API sign-in. */
  scopes: string[] | null;
  /** The resource the sign-in's access tokens are bound to (their `aud`); null when none. */
  resource: string | null;
}

const optionalDate = (value: number | string | null) => (value === null ? null : date(value));

function toRecord(row: RefreshTokensTable): RefreshTokenRecord {
  return {
    tokenHash: row.token_hash,
    poolId: row.pool_id,
    clientId: row.client_id,
    usernameKey: row.username_key,
    username: row.username,
    sub: row.sub,
    deviceKey: row.device_key,
    originJti: row.origin_jti,
    eventId: row.event_id,
    authTime: date(row.auth_time),
    issuedAt: date(row.issued_at),
    expiresAt: date(row.expires_at),
    revokedAt: optionalDate(row.revoked_at),
    rotatedAt: optionalDate(row.rotated_at),
    scopes: row.scopes === null ? null : row.scopes.split(" "),
    resource: row.resource,
  };
}

function toRow(token: RefreshTokenRecord): RefreshTokensTable {
  return {
    token_hash: token.tokenHash,
    pool_id: token.poolId,
    client_id: token.clientId,
    username_key: token.usernameKey,
    username: token.username,
    sub: token.sub,
    device_key: token.deviceKey,
    origin_jti: token.originJti,
    event_id: token.eventId,
    auth_time: ms(token.authTime),
    issued_at: ms(token.issuedAt),
    expires_at: ms(token.expiresAt),
    revoked_at: token.revokedAt ? ms(token.revokedAt) : null,
    rotated_at: token.rotatedAt ? ms(token.rotatedAt) : null,
    scopes: token.scopes === null ? null : token.scopes.join(" "),
    resource: token.resource,
  };
}

/** Which sign-in a token descends from: by `origin_jti`, or by `event_id` for tokens without one. */
export type TokenFamily = { originJti: string } | { eventId: string };

/** One multi-row INSERT per batch, compiled once per batch size. */
const insertTokens = new CompiledInsert((db: Db, rows: RefreshTokensTable[]) =>
  db.insertInto("refresh_tokens").values(rows),
);

/** Rows per multi-row INSERT; far below SQLite's and PostgreSQL's limits on bound parameters. */
const MAX_BATCH_ROWS = 500;

/**
 * Group commit for the one write every sign-in makes: tokens issued by concurrent sign-ins are
 * inserted together, one statement and so one durable commit (one fsync) for all of them. Each
 * caller's promise settles only once its row is committed, so no client ever holds a token that
 * a crash could lose.
 */
class InsertBatcher {
  private pending: { row: RefreshTokensTable; done: (error?: unknown) => void }[] = [];
  private scheduled = false;

  constructor(private readonly db: Db) {}

  insert(row: RefreshTokensTable): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O phase, so that every sign-in that reached this point in the same turn joins.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending.splice(0, MAX_BATCH_ROWS);
    if (this.pending.length > 0) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    try {
      await insertTokens.execute(
        this.db,
        batch.map((b) => b.row),
      );
      for (const b of batch) b.done();
    } catch (error) {
      for (const b of batch) b.done(error ?? new Error("refresh token insert failed"));
    }
  }
}

/** One batcher per database handle (repositories are made per Store, and Stores per transaction). */
const batchers = new WeakMap<Db, InsertBatcher>();

function batcherFor(db: Db): InsertBatcher {
  let batcher = batchers.get(db);
  if (!batcher) {
    batcher = new InsertBatcher(db);
    batchers.set(db, batcher);
  }
  return batcher;
}

const tokenByHash = new CompiledLookup((db: Db, tokenHash: string) =>
  db.selectFrom("refresh_tokens").selectAll().where("token_hash", "=", tokenHash),
);

export class RefreshTokenRepository {
  constructor(private readonly db: Db) {}

  async get(tokenHash: string): Promise<RefreshTokenRecord | undefined> {
    const row = await tokenByHash.executeTakeFirst(this.db, tokenHash);
    return row && toRecord(row);
  }

  /** Stores a token; resolves once it is committed (inside a transaction: with the transaction). */
  async insert(token: RefreshTokenRecord): Promise<void> {
    if (this.db.isTransaction) {
      await this.db.insertInto("refresh_tokens").values(toRow(token)).execute();
      return;
    }
    await batcherFor(this.db).insert(toRow(token));
  }

  /**
   * Marks a token as replaced by rotation, once: the first rotation time is what the grace period
   * counts from. True for the one call that rotated it; of two instances rotating it at once, the
   * database lets exactly one do so.
   */
  async markRotated(tokenHash: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable("refresh_tokens")
      .set({ rotated_at: ms(now) })
      .where("token_hash", "=", tokenHash)
      .where("rotated_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Revokes every refresh token of one sign-in (and so the access and ID tokens descended from it). */
  async revokeFamily(originJti: string, now: Date): Promise<void> {
    await this.db
      .updateTable("refresh_tokens")
      .set({ revoked_at: ms(now) })
      .where("origin_jti", "=", originJti)
      .where("revoked_at", "is", null)
      .execute();
  }

  /** Revokes every refresh token of a user. */
  async revokeAllForUser(poolId: string, usernameKey: string, now: Date): Promise<void> {
    await this.db
      .updateTable("refresh_tokens")
      .set({ revoked_at: ms(now) })
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .where("revoked_at", "is", null)
      .execute();
  }

  /** Whether the sign-in a token descends from has been revoked. */
  async isFamilyRevoked(family: TokenFamily): Promise<boolean> {
    let q = this.db
      .selectFrom("refresh_tokens")
      .select("revoked_at")
      .where("revoked_at", "is not", null)
      .limit(1);
    q =
      "originJti" in family
        ? q.where("origin_jti", "=", family.originJti)
        : q.where("event_id", "=", family.eventId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async deleteForUser(poolId: string, usernameKey: string): Promise<void> {
    await this.db
      .deleteFrom("refresh_tokens")
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .execute();
  }

  /** Forgets tokens that expired before `before` (and with them the revocation of their descendants). */
  async deleteExpired(before: Date): Promise<number> {
    const result = await this.db
      .deleteFrom("refresh_tokens")
      .where("expires_at", "<", ms(before))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
