/** Failed-password counters per user, for the sign-in lockout. */
import { date, ms } from "./json.js";
import type { Db } from "./store.js";

export interface LockoutRecord {
  poolId: string;
  usernameKey: string;
  /** Consecutive failed password attempts (attempts refused while locked are not counted). */
  failures: number;
  lockedUntil: Date | null;
  lastFailureAt: Date;
}

export class LockoutRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, usernameKey: string): Promise<LockoutRecord | undefined> {
    const row = await this.db
      .selectFrom("lockouts")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .executeTakeFirst();
    return (
      row && {
        poolId: row.pool_id,
        usernameKey: row.username_key,
        failures: Number(row.failures),
        lockedUntil: row.locked_until === null ? null : date(row.locked_until),
        lastFailureAt: date(row.last_failure_at),
      }
    );
  }

  async put(record: LockoutRecord): Promise<void> {
    const values = {
      pool_id: record.poolId,
      username_key: record.usernameKey,
      failures: record.failures,
      locked_until: record.lockedUntil === null ? null : ms(record.lockedUntil),
      last_failure_at: ms(record.lastFailureAt),
    };
    await this.db
      .insertInto("lockouts")
      .values(values)
      .onConflict((oc) =>
        oc.columns(["pool_id", "username_key"]).doUpdateSet({
          failures: values.failures,
          locked_until: values.locked_until,
          last_failure_at: values.last_failure_at,
        }),
      )
      .execute();
  }

  async delete(poolId: string, usernameKey: string): Promise<void> {
    await this.db
      .deleteFrom("lockouts")
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .execute();
  }
}
