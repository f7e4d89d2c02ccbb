/** Browser sessions of a domain's sign-in pages (single sign-on), kept by the hash of their cookie. */
import { CompiledInsert, CompiledLookup } from "./compiled.js";
import { date, ms } from "./json.js";
import type { BrowserSessionsTable } from "./schema.js";
import type { Db } from "./store.js";

export interface BrowserSessionRecord {
  /** Hex SHA-256 of the cookie's value. */
  idHash: string;
  poolId: string;
  domain: string;
  usernameKey: string;
  sub: string;
  authTime: Date;
  managedLoginVersion: number;
  expiresAt: Date;
}

function toRecord(row: BrowserSessionsTable): BrowserSessionRecord {
  return {
    idHash: row.id_hash,
    poolId: row.pool_id,
    domain: row.domain,
    usernameKey: row.username_key,
    sub: row.sub,
    authTime: date(row.auth_time),
    managedLoginVersion: Number(row.managed_login_version),
    expiresAt: date(row.expires_at),
  };
}

/** Every sign-in on a domain's pages starts a session; every authorize looks for one. */
const insertSessions = new CompiledInsert((db: Db, rows: BrowserSessionsTable[]) =>
  db.insertInto("browser_sessions").values(rows),
);
const sessionById = new CompiledLookup((db: Db, idHash: string) =>
  db.selectFrom("browser_sessions").selectAll().where("id_hash", "=", idHash),
);

export class BrowserSessionRepository {
  constructor(private readonly db: Db) {}

  async insert(record: BrowserSessionRecord): Promise<void> {
    await insertSessions.execute(this.db, [
      {
        id_hash: record.idHash,
        pool_id: record.poolId,
        domain: record.domain,
        username_key: record.usernameKey,
        sub: record.sub,
        auth_time: ms(record.authTime),
        managed_login_version: record.managedLoginVersion,
        expires_at: ms(record.expiresAt),
      },
    ]);
  }

  async get(idHash: string): Promise<BrowserSessionRecord | undefined> {
    const row = await sessionById.executeTakeFirst(this.db, idHash);
    return row && toRecord(row);
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom("browser_sessions").where("id_hash", "=", idHash).execute();
  }

  /** Ends every session of a domain (its ManagedLoginVersion changed, or it was deleted). */
  async deleteForDomain(domain: string): Promise<void> {
    await this.db.deleteFrom("browser_sessions").where("domain", "=", domain).execute();
  }

  async deleteExpired(before: Date): Promise<void> {
    await this.db.deleteFrom("browser_sessions").where("expires_at", "<", ms(before)).execute();
  }
}
