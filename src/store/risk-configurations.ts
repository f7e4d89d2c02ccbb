/** Threat-protection risk configurations: one for the pool, and any number of client overrides. */
import type { RiskConfigurationType } from "../protocol/types.generated.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { Db } from "./store.js";

/** What SetRiskConfiguration stored, without the ids and date that DescribeRiskConfiguration adds. */
export type StoredRiskConfiguration = Omit<
  RiskConfigurationType,
  "UserPoolId" | "ClientId" | "LastModifiedDate"
>;

export interface RiskConfigurationRecord {
  poolId: string;
  /** Undefined for the pool's own configuration. */
  clientId?: string;
  config: StoredRiskConfiguration;
  updatedAt: Date;
}

const POOL_LEVEL = "";

export class RiskConfigurationRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, clientId?: string): Promise<RiskConfigurationRecord | undefined> {
    const row = await this.db
      .selectFrom("risk_configurations")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("client_id", "=", clientId ?? POOL_LEVEL)
      .executeTakeFirst();
    return (
      row && {
        poolId: row.pool_id,
        clientId: row.client_id === POOL_LEVEL ? undefined : row.client_id,
        config: fromJson(row.config, {}),
        updatedAt: date(row.updated_at),
      }
    );
  }

  /** Replaces the configuration (insert or update). */
  async put(record: RiskConfigurationRecord): Promise<void> {
    const values = { config: toJson(record.config), updated_at: ms(record.updatedAt) };
    await this.db
      .insertInto("risk_configurations")
      .values({ pool_id: record.poolId, client_id: record.clientId ?? POOL_LEVEL, ...values })
      .onConflict((oc) => oc.columns(["pool_id", "client_id"]).doUpdateSet(values))
      .execute();
  }

  /** Forgets a client's override (the client is deleted). */
  async deleteForClient(poolId: string, clientId: string): Promise<void> {
    await this.db
      .deleteFrom("risk_configurations")
      .where("pool_id", "=", poolId)
      .where("client_id", "=", clientId)
      .execute();
  }
}
