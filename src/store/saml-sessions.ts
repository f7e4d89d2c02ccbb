/**
 * What SAML sign-in keeps: the assertions already used (for as long as they could be accepted),
 * and the SAML session behind a browser session, which single logout names to the provider.
 */
import { refuseDuplicate } from "./duplicates.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { Db } from "./store.js";

export class SamlAssertionRepository {
  constructor(private readonly db: Db) {}

  /** Records an assertion as used; DuplicateKeyError when it was used before. */
  async insert(poolId: string, providerName: string, assertionId: string, expiresAt: Date): Promise<void> {
    await refuseDuplicate(this.db, "saml_assertions", () =>
      this.db
        .insertInto("saml_assertions")
        .values({
          pool_id: poolId,
          provider_name: providerName,
          assertion_id: assertionId,
          expires_at: ms(expiresAt),
        })
        .execute(),
    );
  }

  async deleteExpired(before: Date): Promise<void> {
    await this.db.deleteFrom("saml_assertions").where("expires_at", "<", ms(before)).execute();
  }
}

/** The subject of a SAML session, as a LogoutRequest names it. */
export interface SamlSubject {
  nameId: string;
  nameIdFormat: string | null;
  nameQualifier: string | null;
  spNameQualifier: string | null;
  sessionIndex: string | null;
}

export interface SamlSessionRecord {
  /** The browser session's id hash. */
  sessionHash: string;
  poolId: string;
  providerName: string;
  subject: SamlSubject;
  expiresAt: Date;
}

export class SamlSessionRepository {
  constructor(private readonly db: Db) {}

  async insert(record: SamlSessionRecord): Promise<void> {
    await this.db
      .insertInto("saml_sessions")
      .values({
        session_hash: record.sessionHash,
        pool_id: record.poolId,
        provider_name: record.providerName,
        subject: toJson(record.subject),
        expires_at: ms(record.expiresAt),
      })
      .execute();
  }

  /** Removes the browser session's SAML session and returns it, if it has one. */
  async take(sessionHash: string): Promise<SamlSessionRecord | undefined> {
    const row = await this.db
      .selectFrom("saml_sessions")
      .selectAll()
      .where("session_hash", "=", sessionHash)
      .executeTakeFirst();
    if (!row) return undefined;
    await this.db.deleteFrom("saml_sessions").where("session_hash", "=", sessionHash).execute();
    return {
      sessionHash: row.session_hash,
      poolId: row.pool_id,
      providerName: row.provider_name,
      subject: fromJson(row.subject, {} as SamlSubject),
      expiresAt: date(row.expires_at),
    };
  }

  async deleteExpired(before: Date): Promise<void> {
    await this.db.deleteFrom("saml_sessions").where("expires_at", "<", ms(before)).execute();
  }
}
