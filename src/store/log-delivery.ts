/** Each pool's log delivery configuration: the LogConfigurations SetLogDeliveryConfiguration set. */
import type { LogConfigurationType } from "../protocol/types.generated.js";
import { fromJson, ms, toJson } from "./json.js";
import type { Db } from "./store.js";

export class LogDeliveryRepository {
  constructor(private readonly db: Db) {}

  /** The pool's configurations; none when it never set any. */
  async get(poolId: string): Promise<LogConfigurationType[]> {
    const row = await this.db
      .selectFrom("log_delivery_configurations")
      .select("configurations")
      .where("pool_id", "=", poolId)
      .executeTakeFirst();
    return fromJson<LogConfigurationType[]>(row?.configurations, []);
  }

  async put(poolId: string, configurations: LogConfigurationType[], now: Date): Promise<void> {
    const values = { configurations: toJson(configurations), updated_at: ms(now) };
    await this.db
      .insertInto("log_delivery_configurations")
      .values({ pool_id: poolId, ...values })
      .onConflict((oc) => oc.column("pool_id").doUpdateSet(values))
      .execute();
  }
}
