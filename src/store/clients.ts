import { CompiledLookup } from "./compiled.js";
import { refuseDuplicate } from "./duplicates.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { ClientRecord } from "./records.js";
import type { UserPoolClientsTable } from "./schema.js";
import type { Db } from "./store.js";

function toRecord(row: UserPoolClientsTable): ClientRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    name: row.name,
    secret: row.secret,
    config: fromJson(row.config, {}),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

function toRow(client: ClientRecord): UserPoolClientsTable {
  return {
    id: client.id,
    pool_id: client.poolId,
    name: client.name,
    secret: client.secret,
    config: toJson(client.config),
    created_at: ms(client.createdAt),
    updated_at: ms(client.updatedAt),
  };
}

const clientById = new CompiledLookup((db: Db, id: string) =>
  db.selectFrom("user_pool_clients").selectAll().where("id", "=", id),
);

export class ClientRepository {
  constructor(private readonly db: Db) {}

  async get(id: string): Promise<ClientRecord | undefined> {
    const row = await clientById.executeTakeFirst(this.db, id);
    return row && toRecord(row);
  }

  /** Throws DuplicateKeyError when the id is taken. */
  async insert(client: ClientRecord): Promise<void> {
    await refuseDuplicate(this.db, "user_pool_clients", () =>
      this.db.insertInto("user_pool_clients").values(toRow(client)).execute(),
    );
  }

  async update(client: ClientRecord): Promise<void> {
    const { id, ...rest } = toRow(client);
    await this.db.updateTable("user_pool_clients").set(rest).where("id", "=", id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom("user_pool_clients").where("id", "=", id).execute();
  }

  /** A pool's clients in id order, starting after `afterId`. */
  async list(poolId: string, limit: number, afterId?: string): Promise<ClientRecord[]> {
    let q = this.db
      .selectFrom("user_pool_clients")
      .selectAll()
      .where("pool_id", "=", poolId)
      .orderBy("id")
      .limit(limit);
    if (afterId !== undefined) q = q.where("id", ">", afterId);
    return (await q.execute()).map(toRecord);
  }
}
