import type { SecretsAtRest } from "./at-rest.js";
import { CompiledLookup } from "./compiled.js";
import { refuseDuplicate } from "./duplicates.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { ClientRecord } from "./records.js";
import type { UserPoolClientsTable } from "./schema.js";
import type { Db } from "./store.js";

/** Where a client's secret is kept, as its encryption at rest is bound to. */
export const clientSecretPlace = (clientId: string) => `user_pool_clients:${clientId}`;

function toRecord(row: UserPoolClientsTable, secrets: SecretsAtRest): ClientRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    name: row.name,
    secret: row.secret === null ? null : secrets.open(clientSecretPlace(row.id), row.secret),
    config: fromJson(row.config, {}),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

function toRow(client: ClientRecord, secrets: SecretsAtRest): UserPoolClientsTable {
  return {
    id: client.id,
    pool_id: client.poolId,
    name: client.name,
    secret: client.secret === null ? null : secrets.seal(clientSecretPlace(client.id), client.secret),
    config: toJson(client.config),
    created_at: ms(client.createdAt),
    updated_at: ms(client.updatedAt),
  };
}

const clientById = new CompiledLookup((db: Db, id: string) =>
  db.selectFrom("user_pool_clients").selectAll().where("id", "=", id),
);

export class ClientRepository {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretsAtRest,
  ) {}

  async get(id: string): Promise<ClientRecord | undefined> {
    const row = await clientById.executeTakeFirst(this.db, id);
    return row && toRecord(row, this.secrets);
  }

  /** Throws DuplicateKeyError when the id is taken. */
  async insert(client: ClientRecord): Promise<void> {
    await refuseDuplicate(this.db, "user_pool_clients", () =>
      this.db.insertInto("user_pool_clients").values(toRow(client, this.secrets)).execute(),
    );
  }

  async update(client: ClientRecord): Promise<void> {
    const { id, ...rest } = toRow(client, this.secrets);
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
    return (await q.execute()).map((row) => toRecord(row, this.secrets));
  }
}
