/** Links from outside identities to the users they sign in as (FEDERATION.md §4). */
import { refuseDuplicate } from "./duplicates.js";
import { date, ms } from "./json.js";
import type { IdentityLinksTable } from "./schema.js";
import type { Db } from "./store.js";

/** The source of a link: a provider's attribute and value (`Cognito_Subject` for the subject). */
export interface LinkSource {
  providerName: string;
  attributeName: string;
  attributeValue: string;
}

export interface IdentityLinkRecord extends LinkSource {
  poolId: string;
  /** The user the identity signs in as. */
  usernameKey: string;
  /** The provider's subject, when known: at once for a link by subject, at first use for one by attribute. */
  subject: string | null;
  createdAt: Date;
}

function toRecord(row: IdentityLinksTable): IdentityLinkRecord {
  return {
    poolId: row.pool_id,
    providerName: row.provider_name,
    attributeName: row.attribute_name,
    attributeValue: row.attribute_value,
    usernameKey: row.username_key,
    subject: row.subject,
    createdAt: date(row.created_at),
  };
}

export class IdentityLinkRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, source: LinkSource): Promise<IdentityLinkRecord | undefined> {
    const row = await this.db
      .selectFrom("identity_links")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("provider_name", "=", source.providerName)
      .where("attribute_name", "=", source.attributeName)
      .where("attribute_value", "=", source.attributeValue)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** The link of the provider's identity with this subject, by subject or (once used) by attribute. */
  async findBySubject(
    poolId: string,
    providerName: string,
    subject: string,
  ): Promise<IdentityLinkRecord | undefined> {
    const row = await this.db
      .selectFrom("identity_links")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("provider_name", "=", providerName)
      .where("subject", "=", subject)
      .orderBy("created_at")
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async listForUser(poolId: string, usernameKey: string): Promise<IdentityLinkRecord[]> {
    const rows = await this.db
      .selectFrom("identity_links")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .orderBy("created_at")
      .execute();
    return rows.map(toRecord);
  }

  async listForProvider(poolId: string, providerName: string): Promise<IdentityLinkRecord[]> {
    const rows = await this.db
      .selectFrom("identity_links")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("provider_name", "=", providerName)
      .orderBy("created_at")
      .execute();
    return rows.map(toRecord);
  }

  /** The attribute names the provider's links use, each once. */
  async attributeNames(poolId: string, providerName: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("identity_links")
      .select("attribute_name")
      .distinct()
      .where("pool_id", "=", poolId)
      .where("provider_name", "=", providerName)
      .execute();
    return rows.map((row) => row.attribute_name);
  }

  /** Throws DuplicateKeyError when the source is linked already. */
  async insert(link: IdentityLinkRecord): Promise<void> {
    await refuseDuplicate(this.db, "identity_links", () =>
      this.db
        .insertInto("identity_links")
        .values({
          pool_id: link.poolId,
          provider_name: link.providerName,
          attribute_name: link.attributeName,
          attribute_value: link.attributeValue,
          username_key: link.usernameKey,
          subject: link.subject,
          created_at: ms(link.createdAt),
        })
        .execute(),
    );
  }

  async setSubject(poolId: string, source: LinkSource, subject: string): Promise<void> {
    await this.db
      .updateTable("identity_links")
      .set({ subject })
      .where("pool_id", "=", poolId)
      .where("provider_name", "=", source.providerName)
      .where("attribute_name", "=", source.attributeName)
      .where("attribute_value", "=", source.attributeValue)
      .execute();
  }

  async delete(poolId: string, source: LinkSource): Promise<void> {
    await this.db
      .deleteFrom("identity_links")
      .where("pool_id", "=", poolId)
      .where("provider_name", "=", source.providerName)
      .where("attribute_name", "=", source.attributeName)
      .where("attribute_value", "=", source.attributeValue)
      .execute();
  }

  async deleteForProvider(poolId: string, providerName: string): Promise<void> {
    await this.db
      .deleteFrom("identity_links")
      .where("pool_id", "=", poolId)
      .where("provider_name", "=", providerName)
      .execute();
  }
}
