import type { SecretsAtRest } from "./at-rest.js";
import { CompiledLookup } from "./compiled.js";
import { forUpdate } from "./dialect.js";
import { refuseDuplicate } from "./duplicates.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { ClientRecord, ClientSecretRecord } from "./records.js";
import type { UserPoolClientsTable } from "./schema.js";
import type { Db } from "./store.js";

/** A secret as the `secrets` column holds it. */
interface StoredSecret {
  id: string;
  value: string;
  createdAt: number;
}

/** Where a client's secrets are kept, as their encryption at rest is bound to. */
export const clientSecretPlace = (clientId: string) => `user_pool_clients:${clientId}`;

function secretsFromJson(text: string): ClientSecretRecord[] {
  return fromJson<StoredSecret[]>(text, []).map((s) => ({
    id: s.id,
    value: s.value,
    createdAt: date(s.createdAt),
  }));
}

function secretsToJson(secrets: readonly ClientSecretRecord[]): string {
  return toJson(secrets.map((s): StoredSecret => ({ id: s.id, value: s.value, createdAt: ms(s.createdAt) })));
}

/** The `secrets` column's value: the JSON list, sealed under the configured key (secrets at rest). */
function sealedSecrets(
  clientId: string,
  secrets: readonly ClientSecretRecord[],
  atRest: SecretsAtRest,
): string {
  return atRest.seal(clientSecretPlace(clientId), secretsToJson(secrets));
}

function toRecord(row: UserPoolClientsTable, atRest: SecretsAtRest): ClientRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    name: row.name,
    secrets: secretsFromJson(atRest.open(clientSecretPlace(row.id), row.secrets)),
    config: fromJson(row.config, {}),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

function toRow(client: ClientRecord, atRest: SecretsAtRest): UserPoolClientsTable {
  return {
    id: client.id,
    pool_id: client.poolId,
    name: client.name,
    secrets: sealedSecrets(client.id, client.secrets, atRest),
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
    private readonly atRest: SecretsAtRest,
  ) {}

  async get(id: string): Promise<ClientRecord | undefined> {
    const row = await clientById.executeTakeFirst(this.db, id);
    return row && toRecord(row, this.atRest);
  }

  /** Throws DuplicateKeyError when the id is taken. */
  async insert(client: ClientRecord): Promise<void> {
    await refuseDuplicate(this.db, "user_pool_clients", () =>
      this.db.insertInto("user_pool_clients").values(toRow(client, this.atRest)).execute(),
    );
  }

  /**
   * Reads the client for a read-modify-write of its secrets inside `store.transaction()`: a
   * concurrent change of the same client waits until this transaction ends.
   */
  async getForUpdate(id: string): Promise<ClientRecord | undefined> {
    const query = this.db.selectFrom("user_pool_clients").selectAll().where("id", "=", id);
    const row = await forUpdate(this.db, query).executeTakeFirst();
    return row && toRecord(row, this.atRest);
  }

  /** Name and configuration; the secrets change only through `setSecrets`. */
  async update(client: ClientRecord): Promise<void> {
    const {
      id,
      pool_id: _pool,
      secrets: _secrets,
      created_at: _created,
      ...rest
    } = toRow(client, this.atRest);
    await this.db.updateTable("user_pool_clients").set(rest).where("id", "=", id).execute();
  }

  async setSecrets(id: string, secrets: readonly ClientSecretRecord[]): Promise<void> {
    await this.db
      .updateTable("user_pool_clients")
      .set({ secrets: sealedSecrets(id, secrets, this.atRest) })
      .where("id", "=", id)
      .execute();
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
    return (await q.execute()).map((row) => toRecord(row, this.atRest));
  }
}
