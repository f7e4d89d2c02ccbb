import { CompiledLookup } from "./compiled.js";
import { refuseDuplicate } from "./duplicates.js";
import { date, ms } from "./json.js";
import type { UserPoolDomainsTable } from "./schema.js";
import type { Db } from "./store.js";

/** A pool's domain, as DescribeUserPoolDomain describes it and the domain endpoints find it. */
export interface DomainRecord {
  /** The prefix alone (Cognito domain) or the full host name (custom domain), lower-cased. */
  domain: string;
  poolId: string;
  custom: boolean;
  certificateArn: string | null;
  /** 1: the classic hosted UI; 2: managed login. */
  managedLoginVersion: number;
  cloudFrontDistribution: string;
  /** yyyyMMddHHmmss of the last change. */
  version: string;
  createdAt: Date;
  updatedAt: Date;
}

function toRecord(row: UserPoolDomainsTable): DomainRecord {
  return {
    domain: row.domain,
    poolId: row.pool_id,
    custom: row.custom === 1,
    certificateArn: row.certificate_arn,
    managedLoginVersion: Number(row.managed_login_version),
    cloudFrontDistribution: row.cloudfront_distribution,
    version: row.version,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

function toRow(record: DomainRecord): UserPoolDomainsTable {
  return {
    domain: record.domain,
    pool_id: record.poolId,
    custom: record.custom ? 1 : 0,
    certificate_arn: record.certificateArn,
    managed_login_version: record.managedLoginVersion,
    cloudfront_distribution: record.cloudFrontDistribution,
    version: record.version,
    created_at: ms(record.createdAt),
    updated_at: ms(record.updatedAt),
  };
}

// Every request to a domain endpoint looks its domain up.
const domainByName = new CompiledLookup((db: Db, domain: string) =>
  db.selectFrom("user_pool_domains").selectAll().where("domain", "=", domain),
);

export class DomainRepository {
  constructor(private readonly db: Db) {}

  /** The domain of that name (already lower-cased), whichever pool holds it. */
  async get(domain: string): Promise<DomainRecord | undefined> {
    const row = await domainByName.executeTakeFirst(this.db, domain);
    return row && toRecord(row);
  }

  /** The pool's domains: at most one prefix and one custom domain. */
  async listForPool(poolId: string): Promise<DomainRecord[]> {
    const rows = await this.db
      .selectFrom("user_pool_domains")
      .selectAll()
      .where("pool_id", "=", poolId)
      .orderBy("domain")
      .execute();
    return rows.map(toRecord);
  }

  /** Throws DuplicateKeyError when another pool (or this one) holds the name. */
  async insert(record: DomainRecord): Promise<void> {
    await refuseDuplicate(this.db, "user_pool_domains", () =>
      this.db.insertInto("user_pool_domains").values(toRow(record)).execute(),
    );
  }

  async update(record: DomainRecord): Promise<void> {
    const { domain, ...rest } = toRow(record);
    await this.db.updateTable("user_pool_domains").set(rest).where("domain", "=", domain).execute();
  }

  async delete(domain: string): Promise<void> {
    await this.db.deleteFrom("user_pool_domains").where("domain", "=", domain).execute();
  }
}
