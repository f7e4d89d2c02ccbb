/** Attempts per user and action, for the per-user hourly limits. */
import { ms } from "./json.js";
import type { Db } from "./store.js";

export class UserAttemptRepository {
  constructor(private readonly db: Db) {}

  /**
   * Records an attempt at `now` unless the user made `limit` of them since `since`; false when
   * refused. The user's older attempts of the action are forgotten on the way.
   */
  async record(
    poolId: string,
    usernameKey: string,
    action: string,
    limit: number,
    since: Date,
    now: Date,
  ): Promise<boolean> {
    const ofUser = { pool_id: poolId, username_key: usernameKey, action };
    await this.db
      .deleteFrom("user_attempts")
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .where("action", "=", action)
      .where("at", "<=", ms(since))
      .execute();
    const row = await this.db
      .selectFrom("user_attempts")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .where("action", "=", action)
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= limit) return false;
    await this.db
      .insertInto("user_attempts")
      .values({ ...ofUser, at: ms(now) })
      .execute();
    return true;
  }
}
