/** The classic hosted UI's CSS and logo: the pool's default, and any number of clients' own. */
import { CompiledLookup } from "./compiled.js";
import { date, ms } from "./json.js";
import type { UiCustomizationsTable } from "./schema.js";
import type { Db } from "./store.js";

export interface UiCustomizationRecord {
  poolId: string;
  /** Undefined for the pool's default (ClientId ALL). */
  clientId?: string;
  css: string | null;
  image: { base64: string; contentType: string } | null;
  /** yyyyMMddHHmmss of the last change. */
  version: string;
  createdAt: Date;
  updatedAt: Date;
}

const POOL_DEFAULT = "";

function toRecord(row: UiCustomizationsTable): UiCustomizationRecord {
  return {
    poolId: row.pool_id,
    clientId: row.client_id === POOL_DEFAULT ? undefined : row.client_id,
    css: row.css,
    image:
      row.image !== null && row.image_type !== null
        ? { base64: row.image, contentType: row.image_type }
        : null,
    version: row.version,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

/** Every sign-in page reads it (twice: the client's, then the pool's default). */
const customizationOf = new CompiledLookup((db: Db, poolId: string, clientId: string) =>
  db
    .selectFrom("ui_customizations")
    .selectAll()
    .where("pool_id", "=", poolId)
    .where("client_id", "=", clientId),
);

export class UiCustomizationRepository {
  constructor(private readonly db: Db) {}

  /** The customization set for exactly this client (or the pool's default), without falling back. */
  async get(poolId: string, clientId?: string): Promise<UiCustomizationRecord | undefined> {
    const row = await customizationOf.executeTakeFirst(this.db, poolId, clientId ?? POOL_DEFAULT);
    return row && toRecord(row);
  }

  /** Replaces the customization (insert or update); a replaced one keeps its creation date. */
  async put(record: UiCustomizationRecord): Promise<void> {
    const values = {
      css: record.css,
      image: record.image?.base64 ?? null,
      image_type: record.image?.contentType ?? null,
      version: record.version,
      updated_at: ms(record.updatedAt),
    };
    await this.db
      .insertInto("ui_customizations")
      .values({
        pool_id: record.poolId,
        client_id: record.clientId ?? POOL_DEFAULT,
        ...values,
        created_at: ms(record.createdAt),
      })
      .onConflict((oc) => oc.columns(["pool_id", "client_id"]).doUpdateSet(values))
      .execute();
  }

  /** Forgets a client's customization (the client is deleted). */
  async deleteForClient(poolId: string, clientId: string): Promise<void> {
    await this.db
      .deleteFrom("ui_customizations")
      .where("pool_id", "=", poolId)
      .where("client_id", "=", clientId)
      .execute();
  }
}
