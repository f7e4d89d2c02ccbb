/** Managed-login branding styles: one per app client, with their image assets. */
import type {
  AssetCategoryType,
  AssetExtensionType,
  ColorSchemeModeType,
} from "../protocol/types.generated.js";
import { refuseDuplicate } from "./duplicates.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { ManagedLoginBrandingAssetsTable, ManagedLoginBrandingsTable } from "./schema.js";
import type { Db } from "./store.js";

export interface BrandingAsset {
  category: AssetCategoryType;
  colorMode: ColorSchemeModeType;
  extension: AssetExtensionType;
  resourceId?: string;
  /** base64. */
  bytes: string;
}

export interface BrandingRecord {
  /** ManagedLoginBrandingId. */
  id: string;
  poolId: string;
  clientId: string;
  useCognitoProvidedValues: boolean;
  /** The Settings document stored, or null. */
  settings: Record<string, unknown> | null;
  /** One per category and colour mode, in that order. */
  assets: BrandingAsset[];
  createdAt: Date;
  updatedAt: Date;
}

function toAsset(row: ManagedLoginBrandingAssetsTable): BrandingAsset {
  return {
    category: row.category as AssetCategoryType,
    colorMode: row.color_mode as ColorSchemeModeType,
    extension: row.extension as AssetExtensionType,
    ...(row.resource_id !== null && { resourceId: row.resource_id }),
    bytes: row.bytes,
  };
}

function brandingRow(record: BrandingRecord): ManagedLoginBrandingsTable {
  return {
    pool_id: record.poolId,
    id: record.id,
    client_id: record.clientId,
    use_cognito_provided_values: record.useCognitoProvidedValues ? 1 : 0,
    settings: record.settings === null ? null : toJson(record.settings),
    created_at: ms(record.createdAt),
    updated_at: ms(record.updatedAt),
  };
}

export class BrandingRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, id: string): Promise<BrandingRecord | undefined> {
    const row = await this.db
      .selectFrom("managed_login_brandings")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("id", "=", id)
      .executeTakeFirst();
    return row && this.withAssets(row);
  }

  async getForClient(poolId: string, clientId: string): Promise<BrandingRecord | undefined> {
    const row = await this.db
      .selectFrom("managed_login_brandings")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("client_id", "=", clientId)
      .executeTakeFirst();
    return row && this.withAssets(row);
  }

  /** The id of the client's style, without reading the style. */
  async idForClient(poolId: string, clientId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("managed_login_brandings")
      .select("id")
      .where("pool_id", "=", poolId)
      .where("client_id", "=", clientId)
      .executeTakeFirst();
    return row?.id;
  }

  async countForPool(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom("managed_login_brandings")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("pool_id", "=", poolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Throws DuplicateKeyError when the client has a style already. Call inside a transaction. */
  async insert(record: BrandingRecord): Promise<void> {
    await refuseDuplicate(this.db, "managed_login_brandings", () =>
      this.db.insertInto("managed_login_brandings").values(brandingRow(record)).execute(),
    );
    await this.insertAssets(record);
  }

  /** Replaces the style's settings and assets. Call inside a transaction. */
  async update(record: BrandingRecord): Promise<void> {
    const { pool_id, id, client_id, created_at, ...changed } = brandingRow(record);
    await this.db
      .updateTable("managed_login_brandings")
      .set(changed)
      .where("pool_id", "=", pool_id)
      .where("id", "=", id)
      .execute();
    await this.deleteAssets(record.poolId, record.id);
    await this.insertAssets(record);
  }

  /** Call inside a transaction. */
  async delete(poolId: string, id: string): Promise<void> {
    await this.deleteAssets(poolId, id);
    await this.db
      .deleteFrom("managed_login_brandings")
      .where("pool_id", "=", poolId)
      .where("id", "=", id)
      .execute();
  }

  /** Forgets a client's style (the client is deleted). Call inside a transaction. */
  async deleteForClient(poolId: string, clientId: string): Promise<void> {
    const id = await this.idForClient(poolId, clientId);
    if (id !== undefined) await this.delete(poolId, id);
  }

  private async withAssets(row: ManagedLoginBrandingsTable): Promise<BrandingRecord> {
    const assets = await this.db
      .selectFrom("managed_login_branding_assets")
      .selectAll()
      .where("pool_id", "=", row.pool_id)
      .where("branding_id", "=", row.id)
      .orderBy("category")
      .orderBy("color_mode")
      .execute();
    return {
      id: row.id,
      poolId: row.pool_id,
      clientId: row.client_id,
      useCognitoProvidedValues: row.use_cognito_provided_values === 1,
      settings: fromJson(row.settings, null),
      assets: assets.map(toAsset),
      createdAt: date(row.created_at),
      updatedAt: date(row.updated_at),
    };
  }

  // One row per statement: an asset may be a megabyte, and 40 of them one statement too many.
  private async insertAssets(record: BrandingRecord): Promise<void> {
    for (const asset of record.assets) {
      await this.db
        .insertInto("managed_login_branding_assets")
        .values({
          pool_id: record.poolId,
          branding_id: record.id,
          category: asset.category,
          color_mode: asset.colorMode,
          extension: asset.extension,
          resource_id: asset.resourceId ?? null,
          bytes: asset.bytes,
        })
        .execute();
    }
  }

  private async deleteAssets(poolId: string, id: string): Promise<void> {
    await this.db
      .deleteFrom("managed_login_branding_assets")
      .where("pool_id", "=", poolId)
      .where("branding_id", "=", id)
      .execute();
  }
}
