/** Terms documents (terms of use, privacy policy) that app clients' sign-up pages link. */
import type { TermsEnforcementType, TermsSourceType } from "../protocol/types.generated.js";
import { refuseDuplicate } from "./duplicates.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { TermsTable } from "./schema.js";
import type { Db } from "./store.js";

export interface TermsRecord {
  /** TermsId. */
  id: string;
  poolId: string;
  clientId: string;
  /** terms-of-use or privacy-policy. */
  name: string;
  source: TermsSourceType;
  enforcement: TermsEnforcementType;
  /** Language id (cognito:default, cognito:english, …) → URL. */
  links: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

function toRecord(row: TermsTable): TermsRecord {
  return {
    id: row.id,
    poolId: row.pool_id,
    clientId: row.client_id,
    name: row.name,
    source: row.source as TermsSourceType,
    enforcement: row.enforcement as TermsEnforcementType,
    links: fromJson(row.links, {}),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

function toRow(record: TermsRecord): TermsTable {
  return {
    pool_id: record.poolId,
    id: record.id,
    client_id: record.clientId,
    name: record.name,
    source: record.source,
    enforcement: record.enforcement,
    links: toJson(record.links),
    created_at: ms(record.createdAt),
    updated_at: ms(record.updatedAt),
  };
}

export class TermsRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, id: string): Promise<TermsRecord | undefined> {
    const row = await this.db
      .selectFrom("terms")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** The client's documents: at most one of each name. */
  async listForClient(poolId: string, clientId: string): Promise<TermsRecord[]> {
    const rows = await this.db
      .selectFrom("terms")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("client_id", "=", clientId)
      .orderBy("name")
      .execute();
    return rows.map(toRecord);
  }

  /** A pool's documents in id order, starting after `afterId`. */
  async list(poolId: string, limit: number, afterId?: string): Promise<TermsRecord[]> {
    let query = this.db
      .selectFrom("terms")
      .selectAll()
      .where("pool_id", "=", poolId)
      .orderBy("id")
      .limit(limit);
    if (afterId !== undefined) query = query.where("id", ">", afterId);
    return (await query.execute()).map(toRecord);
  }

  /** Throws DuplicateKeyError when the client has a document of that name. */
  async insert(record: TermsRecord): Promise<void> {
    await refuseDuplicate(this.db, "terms", () =>
      this.db.insertInto("terms").values(toRow(record)).execute(),
    );
  }

  /** Throws DuplicateKeyError when the new name is another document's of the client. */
  async update(record: TermsRecord): Promise<void> {
    const { pool_id, id, client_id, created_at, ...changed } = toRow(record);
    await refuseDuplicate(this.db, "terms", () =>
      this.db.updateTable("terms").set(changed).where("pool_id", "=", pool_id).where("id", "=", id).execute(),
    );
  }

  async delete(poolId: string, id: string): Promise<void> {
    await this.db.deleteFrom("terms").where("pool_id", "=", poolId).where("id", "=", id).execute();
  }

  /** Forgets a client's documents (the client is deleted). */
  async deleteForClient(poolId: string, clientId: string): Promise<void> {
    await this.db
      .deleteFrom("terms")
      .where("pool_id", "=", poolId)
      .where("client_id", "=", clientId)
      .execute();
  }
}
