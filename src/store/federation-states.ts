/**
 * Round trips to outside identity providers waiting for their answer, kept by the hash of the
 * handle the provider carries back. Each is taken once: the first caller gets it, on any instance.
 */
import { date, fromJson, ms, toJson } from "./json.js";
import type { FederationStatesTable } from "./schema.js";
import type { Db } from "./store.js";

export type FederationStateKind = "oauth" | "saml" | "logout";

export interface FederationStateRecord<Data = Record<string, unknown>> {
  /** Hex SHA-256 of the handle; the handle itself is never stored. */
  idHash: string;
  poolId: string;
  kind: FederationStateKind;
  providerName: string;
  /** Hex SHA-256 of the browser's binding cookie, or null. */
  browserHash: string | null;
  data: Data;
  expiresAt: Date;
}

function toRecord<Data>(row: FederationStatesTable): FederationStateRecord<Data> {
  return {
    idHash: row.id_hash,
    poolId: row.pool_id,
    kind: row.kind as FederationStateKind,
    providerName: row.provider_name,
    browserHash: row.browser_hash,
    data: fromJson(row.data, {} as Data),
    expiresAt: date(row.expires_at),
  };
}

export class FederationStateRepository {
  constructor(private readonly db: Db) {}

  async insert(record: FederationStateRecord<unknown>): Promise<void> {
    await this.db
      .insertInto("federation_states")
      .values({
        id_hash: record.idHash,
        pool_id: record.poolId,
        kind: record.kind,
        provider_name: record.providerName,
        browser_hash: record.browserHash,
        data: toJson(record.data),
        expires_at: ms(record.expiresAt),
      })
      .execute();
  }

  /** Removes the state and returns it; undefined when there is none or another caller took it first. */
  async take<Data>(idHash: string): Promise<FederationStateRecord<Data> | undefined> {
    const row = await this.db
      .selectFrom("federation_states")
      .selectAll()
      .where("id_hash", "=", idHash)
      .executeTakeFirst();
    if (!row) return undefined;
    const deleted = await this.db
      .deleteFrom("federation_states")
      .where("id_hash", "=", idHash)
      .executeTakeFirst();
    return Number(deleted.numDeletedRows) === 1 ? toRecord<Data>(row) : undefined;
  }

  async deleteExpired(before: Date): Promise<void> {
    await this.db.deleteFrom("federation_states").where("expires_at", "<", ms(before)).execute();
  }
}
