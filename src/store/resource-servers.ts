import type { ResourceServerScopeType } from "../protocol/types.generated.js";
import { refuseDuplicate } from "./duplicates.js";
import { fromJson, toJson } from "./json.js";
import type { ResourceServersTable } from "./schema.js";
import type { Db } from "./store.js";

/** A resource server of a pool, as DescribeResourceServer shows it. */
export interface ResourceServerRecord {
  poolId: string;
  identifier: string;
  name: string;
  scopes: ResourceServerScopeType[];
}

function toRecord(row: ResourceServersTable): ResourceServerRecord {
  return {
    poolId: row.pool_id,
    identifier: row.identifier,
    name: row.name,
    scopes: fromJson(row.scopes, []),
  };
}

function toRow(record: ResourceServerRecord): ResourceServersTable {
  return {
    pool_id: record.poolId,
    identifier: record.identifier,
    name: record.name,
    scopes: toJson(record.scopes),
  };
}

export class ResourceServerRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, identifier: string): Promise<ResourceServerRecord | undefined> {
    const row = await this.db
      .selectFrom("resource_servers")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("identifier", "=", identifier)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** A pool's resource servers in identifier order, starting after `afterIdentifier`. */
  async list(poolId: string, limit: number, afterIdentifier?: string): Promise<ResourceServerRecord[]> {
    let q = this.db
      .selectFrom("resource_servers")
      .selectAll()
      .where("pool_id", "=", poolId)
      .orderBy("identifier")
      .limit(limit);
    if (afterIdentifier !== undefined) q = q.where("identifier", ">", afterIdentifier);
    return (await q.execute()).map(toRecord);
  }

  async count(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom("resource_servers")
      .select((eb) => eb.fn.countAll().as("count"))
      .where("pool_id", "=", poolId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Throws DuplicateKeyError when the pool has a resource server with that identifier. */
  async insert(record: ResourceServerRecord): Promise<void> {
    await refuseDuplicate(this.db, "resource_servers", () =>
      this.db.insertInto("resource_servers").values(toRow(record)).execute(),
    );
  }

  async update(record: ResourceServerRecord): Promise<void> {
    await this.db
      .updateTable("resource_servers")
      .set({ name: record.name, scopes: toJson(record.scopes) })
      .where("pool_id", "=", record.poolId)
      .where("identifier", "=", record.identifier)
      .execute();
  }

  async delete(poolId: string, identifier: string): Promise<void> {
    await this.db
      .deleteFrom("resource_servers")
      .where("pool_id", "=", poolId)
      .where("identifier", "=", identifier)
      .execute();
  }
}
