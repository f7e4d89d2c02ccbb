import { CompiledLookup } from "./compiled.js";
import { forUpdate } from "./dialect.js";
import { refuseDuplicate } from "./duplicates.js";
import { date, deepFreeze, fromJson, ms, toJson } from "./json.js";
import type { PoolConfig, PoolRecord } from "./records.js";
import type { UserPoolsTable } from "./schema.js";
import type { Db } from "./store.js";
import { UserImportRepository } from "./user-imports.js";

/** Distinct pool settings kept parsed; beyond this the oldest give way. */
const MAX_PARSED_CONFIGS = 256;
const parsedConfigs = new Map<string, PoolConfig>();

/**
 * A pool's settings from their stored text. Every request reads its pool, and its settings are
 * kilobytes of JSON; one text always parses to the same value, so each is parsed once and the
 * value shared, frozen so that no caller can change it for another. Nothing is cached but the
 * parsing: the row is read every time, and a changed pool has a new text.
 */
function parsedConfig(text: string): PoolConfig {
  let config = parsedConfigs.get(text);
  if (!config) {
    config = deepFreeze(fromJson<PoolConfig>(text, {} as PoolConfig));
    if (parsedConfigs.size >= MAX_PARSED_CONFIGS)
      parsedConfigs.delete(parsedConfigs.keys().next().value as string);
    parsedConfigs.set(text, config);
  }
  return config;
}

function toRecord(row: UserPoolsTable): PoolRecord {
  return {
    id: row.id,
    name: row.name,
    config: parsedConfig(row.config),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

const poolById = new CompiledLookup((db: Db, id: string) =>
  db.selectFrom("user_pools").selectAll().where("id", "=", id),
);

export class PoolRepository {
  constructor(private readonly db: Db) {}

  async get(id: string): Promise<PoolRecord | undefined> {
    const row = await poolById.executeTakeFirst(this.db, id);
    return row && toRecord(row);
  }

  /**
   * Reads the pool inside `store.transaction()` and holds it until commit: a check of how many of
   * something the pool has (a quota) and the write that follows are not interleaved with another's.
   */
  async getForUpdate(id: string): Promise<PoolRecord | undefined> {
    const query = this.db.selectFrom("user_pools").selectAll().where("id", "=", id);
    const row = await forUpdate(this.db, query).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Throws DuplicateKeyError when the id is taken. */
  async insert(pool: PoolRecord): Promise<void> {
    await refuseDuplicate(this.db, "user_pools", () =>
      this.db
        .insertInto("user_pools")
        .values({
          id: pool.id,
          name: pool.name,
          config: toJson(pool.config),
          created_at: ms(pool.createdAt),
          updated_at: ms(pool.updatedAt),
        })
        .execute(),
    );
  }

  async update(pool: PoolRecord): Promise<void> {
    await this.db
      .updateTable("user_pools")
      .set({ name: pool.name, config: toJson(pool.config), updated_at: ms(pool.updatedAt) })
      .where("id", "=", pool.id)
      .execute();
  }

  /** Pools in id order, starting after `afterId`. */
  async list(limit: number, afterId?: string): Promise<PoolRecord[]> {
    let q = this.db.selectFrom("user_pools").selectAll().orderBy("id").limit(limit);
    if (afterId !== undefined) q = q.where("id", ">", afterId);
    return (await q.execute()).map(toRecord);
  }

  /** Deletes the pool and everything in it. */
  async delete(id: string): Promise<void> {
    for (const table of [
      "user_pool_clients",
      "users",
      "user_aliases",
      "groups",
      "group_members",
      "outbox",
      "codes",
      "auth_sessions",
      "lockouts",
      "refresh_tokens",
      "signing_keys",
      "devices",
      "risk_configurations",
      "auth_events",
      "pool_mfa_configs",
      "totp_spent_steps",
      "webauthn_configs",
      "webauthn_credentials",
      "webauthn_registrations",
      "resource_servers",
      "ui_customizations",
      "managed_login_brandings",
      "managed_login_branding_assets",
      "terms",
      "identity_providers",
      "identity_provider_identifiers",
      "saml_signing_keys",
      "identity_links",
      "log_delivery_configurations",
      "user_attempts",
      "authorization_codes",
      "browser_sessions",
      "federation_states",
      "saml_assertions",
      "saml_sessions",
    ] as const) {
      await this.db.deleteFrom(table).where("pool_id", "=", id).execute();
    }
    await new UserImportRepository(this.db).deleteForPool(id);
    await this.db.deleteFrom("user_pools").where("id", "=", id).execute();
  }
}
