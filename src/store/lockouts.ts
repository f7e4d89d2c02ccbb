/** Failed-password counters per user, for the sign-in lockout. */
import { sql } from "kysely";
import { CompiledLookup } from "./compiled.js";
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

const lockoutByUser = new CompiledLookup((db: Db, poolId: string, usernameKey: string) =>
  db.selectFrom("lockouts").selectAll().where("pool_id", "=", poolId).where("username_key", "=", usernameKey),
);

export class LockoutRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, usernameKey: string): Promise<LockoutRecord | undefined> {
    const row = await lockoutByUser.executeTakeFirst(this.db, poolId, usernameKey);
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

  /**
   * Counts one more failure, atomically (concurrent failures all count, on both databases): the
   * count starts again at 1 when the previous failure is `idleResetMs` old. Returns the new count.
   * Call it in a transaction with `setLockedUntil`, which the count decides.
   */
  async addFailure(poolId: string, usernameKey: string, now: Date, idleResetMs: number): Promise<number> {
    const at = ms(now);
    const row = await this.db
      .insertInto("lockouts")
      .values({
        pool_id: poolId,
        username_key: usernameKey,
        failures: 1,
        locked_until: null,
        last_failure_at: at,
      })
      .onConflict((oc) =>
        oc.columns(["pool_id", "username_key"]).doUpdateSet({
          failures: sql<number>`case when ${at} - lockouts.last_failure_at >= ${idleResetMs} then 1 else lockouts.failures + 1 end`,
          last_failure_at: at,
        }),
      )
      .returning("failures")
      .executeTakeFirstOrThrow();
    return Number(row.failures);
  }

  async setLockedUntil(poolId: string, usernameKey: string, lockedUntil: Date | null): Promise<void> {
    await this.db
      .updateTable("lockouts")
      .set({ locked_until: lockedUntil === null ? null : ms(lockedUntil) })
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
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
