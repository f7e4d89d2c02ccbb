import { date, ms } from "./json.js";
import type { Db } from "./store.js";

/** A one-time code, kept only as a hash. */
export interface CodeRecord {
  poolId: string;
  usernameKey: string;
  purpose: string;
  codeHash: string;
  expiresAt: Date;
  attempts: number;
  createdAt: Date;
}

export class CodeRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, usernameKey: string, purpose: string): Promise<CodeRecord | undefined> {
    const row = await this.db
      .selectFrom("codes")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .where("purpose", "=", purpose)
      .executeTakeFirst();
    return (
      row && {
        poolId: row.pool_id,
        usernameKey: row.username_key,
        purpose: row.purpose,
        codeHash: row.code_hash,
        expiresAt: date(row.expires_at),
        attempts: Number(row.attempts),
        createdAt: date(row.created_at),
      }
    );
  }

  /** Stores a code, replacing an earlier one for the same purpose. */
  async put(code: CodeRecord): Promise<void> {
    const values = {
      pool_id: code.poolId,
      username_key: code.usernameKey,
      purpose: code.purpose,
      code_hash: code.codeHash,
      expires_at: ms(code.expiresAt),
      attempts: code.attempts,
      created_at: ms(code.createdAt),
    };
    await this.db
      .insertInto("codes")
      .values(values)
      .onConflict((oc) =>
        oc.columns(["pool_id", "username_key", "purpose"]).doUpdateSet({
          code_hash: values.code_hash,
          expires_at: values.expires_at,
          attempts: values.attempts,
          created_at: values.created_at,
        }),
      )
      .execute();
  }

  /**
   * Counts one more attempt in the database (concurrent attempts all count) and returns the new
   * total, or undefined when there is no such code.
   */
  async recordAttempt(poolId: string, usernameKey: string, purpose: string): Promise<number | undefined> {
    const row = await this.db
      .updateTable("codes")
      .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .where("purpose", "=", purpose)
      .returning("attempts")
      .executeTakeFirst();
    return row && Number(row.attempts);
  }

  /** Deletes the code; true for the one caller that deleted it (use it to consume a code once). */
  async delete(poolId: string, usernameKey: string, purpose: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom("codes")
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .where("purpose", "=", purpose)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
