/** Pools' MFA factors, and the TOTP time steps users have spent. */
import type { EmailMfaConfigType, SoftwareTokenMfaConfigType } from "../protocol/types.generated.js";
import { CompiledLookup } from "./compiled.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { Db } from "./store.js";

/** The factors SetUserPoolMfaConfig configured (SMS's texts and role stay in the pool's configuration). */
export interface PoolMfaFactors {
  /** SmsMfaConfiguration was given. */
  sms: boolean;
  softwareToken?: SoftwareTokenMfaConfigType;
  email?: EmailMfaConfigType;
}

export interface PoolMfaConfigRecord {
  poolId: string;
  factors: PoolMfaFactors;
  updatedAt: Date;
}

const mfaConfigByPool = new CompiledLookup((db: Db, poolId: string) =>
  db.selectFrom("pool_mfa_configs").selectAll().where("pool_id", "=", poolId),
);

export class PoolMfaConfigRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string): Promise<PoolMfaConfigRecord | undefined> {
    const row = await mfaConfigByPool.executeTakeFirst(this.db, poolId);
    return (
      row && {
        poolId: row.pool_id,
        factors: fromJson(row.factors, { sms: false }),
        updatedAt: date(row.updated_at),
      }
    );
  }

  /** Replaces the pool's factors. */
  async put(record: PoolMfaConfigRecord): Promise<void> {
    const values = { factors: toJson(record.factors), updated_at: ms(record.updatedAt) };
    await this.db
      .insertInto("pool_mfa_configs")
      .values({ pool_id: record.poolId, ...values })
      .onConflict((oc) => oc.column("pool_id").doUpdateSet(values))
      .execute();
  }
}

export class TotpSpentStepRepository {
  constructor(private readonly db: Db) {}

  /**
   * Records that the user's code of this time step was used; false when it already was (a replay,
   * or a concurrent request with the same code on any instance). Steps past `expiresAt` of the
   * same user are forgotten meanwhile: their codes are refused as too old anyway.
   */
  async spend(poolId: string, sub: string, timeStep: number, now: Date, expiresAt: Date): Promise<boolean> {
    await this.db
      .deleteFrom("totp_spent_steps")
      .where("pool_id", "=", poolId)
      .where("sub", "=", sub)
      .where("expires_at", "<", ms(now))
      .execute();
    const result = await this.db
      .insertInto("totp_spent_steps")
      .values({ pool_id: poolId, sub, time_step: timeStep, expires_at: ms(expiresAt) })
      .onConflict((oc) => oc.columns(["pool_id", "sub", "time_step"]).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}
