/** Challenge sessions of sign-ins in progress, keyed by the hash of the opaque Session string. */
import { date, fromJson, ms, toJson } from "./json.js";
import type { AuthSessionsTable } from "./schema.js";
import type { Db } from "./store.js";

export interface AuthSessionRecord {
  /** Hex SHA-256 of the Session string. */
  id: string;
  poolId: string;
  clientId: string;
  usernameKey: string;
  challengeName: string;
  /** What the next step needs; its shape belongs to auth/session. */
  state: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

function toRecord(row: AuthSessionsTable): AuthSessionRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    clientId: row.client_id,
    usernameKey: row.username_key,
    challengeName: row.challenge_name,
    state: fromJson(row.state, {}),
    createdAt: date(row.created_at),
    expiresAt: date(row.expires_at),
    usedAt: row.used_at === null ? null : date(row.used_at),
  };
}

export class AuthSessionRepository {
  constructor(private readonly db: Db) {}

  async get(id: string): Promise<AuthSessionRecord | undefined> {
    const row = await this.db.selectFrom("auth_sessions").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toRecord(row);
  }

  async insert(session: AuthSessionRecord): Promise<void> {
    await this.db
      .insertInto("auth_sessions")
      .values({
        id: session.id,
        pool_id: session.poolId,
        client_id: session.clientId,
        username_key: session.usernameKey,
        challenge_name: session.challengeName,
        state: toJson(session.state),
        created_at: ms(session.createdAt),
        expires_at: ms(session.expiresAt),
        used_at: session.usedAt === null ? null : ms(session.usedAt),
      })
      .execute();
  }

  /** Marks the session used; false when it already was (another answer got there first). */
  async consume(id: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable("auth_sessions")
      .set({ used_at: ms(now) })
      .where("id", "=", id)
      .where("used_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Forgets sessions that expired before `before`. */
  async purgeExpired(before: Date): Promise<void> {
    await this.db.deleteFrom("auth_sessions").where("expires_at", "<", ms(before)).execute();
  }
}
