/** A pool's outside identity providers and the identifiers that name them. */
import type { IdentityProviderTypeType } from "../protocol/types.generated.js";
import type { SecretsAtRest } from "./at-rest.js";
import { refuseDuplicate } from "./duplicates.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { IdentityProvidersTable } from "./schema.js";
import type { Db } from "./store.js";

/** What a SAML provider's metadata says, as sign-in needs it. */
export interface SamlMetadata {
  entityId: string;
  /** base64 DER of each signing certificate. */
  signingCertificates: string[];
  ssoRedirectUrl: string;
  sloRedirectUrl: string | null;
}

/** A private key with its certificate. */
export interface CertifiedKey {
  /** PKCS#8 PEM. */
  privateKey: string;
  /** base64 DER. */
  certificate: string;
}

export interface IdentityProviderRecord {
  poolId: string;
  name: string;
  type: IdentityProviderTypeType;
  /** ProviderDetails as stored, including the keys Describe hides. */
  details: Record<string, string>;
  attributeMapping: Record<string, string>;
  idpIdentifiers: string[];
  samlMetadata: SamlMetadata | null;
  /** SAML with EncryptedResponses: the key assertions are encrypted to. */
  encryptionKey: CertifiedKey | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Where a listing in creation order goes on from. */
export interface ProviderListPosition {
  createdAt: Date;
  name: string;
}

/**
 * Where a provider's secrets are kept, as their encryption at rest is bound to: its details (client
 * secrets, Apple's private key) and its SAML encryption key.
 */
export const providerDetailsPlace = (poolId: string, name: string) => `identity_providers:${poolId}:${name}`;
export const providerKeyPlace = (poolId: string, name: string) =>
  `identity_providers:${poolId}:${name}:encryption`;

function toRecord(row: IdentityProvidersTable, atRest: SecretsAtRest): IdentityProviderRecord {
  const { encryption_private_key: sealedKey, encryption_certificate: certificate } = row;
  const privateKey = sealedKey && atRest.open(providerKeyPlace(row.pool_id, row.name), sealedKey);
  return {
    poolId: row.pool_id,
    name: row.name,
    type: row.provider_type as IdentityProviderTypeType,
    details: fromJson(atRest.open(providerDetailsPlace(row.pool_id, row.name), row.details), {}),
    attributeMapping: fromJson(row.attribute_mapping, {}),
    idpIdentifiers: fromJson(row.idp_identifiers, []),
    samlMetadata: fromJson(row.saml_metadata, null),
    encryptionKey: privateKey && certificate ? { privateKey, certificate } : null,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

function toRow(record: IdentityProviderRecord, atRest: SecretsAtRest): IdentityProvidersTable {
  return {
    pool_id: record.poolId,
    name: record.name,
    provider_type: record.type,
    details: atRest.seal(providerDetailsPlace(record.poolId, record.name), toJson(record.details)),
    attribute_mapping: toJson(record.attributeMapping),
    idp_identifiers: toJson(record.idpIdentifiers),
    saml_metadata: record.samlMetadata && toJson(record.samlMetadata),
    encryption_private_key: record.encryptionKey
      ? atRest.seal(providerKeyPlace(record.poolId, record.name), record.encryptionKey.privateKey)
      : null,
    encryption_certificate: record.encryptionKey?.certificate ?? null,
    created_at: ms(record.createdAt),
    updated_at: ms(record.updatedAt),
  };
}

export class IdentityProviderRepository {
  constructor(
    private readonly db: Db,
    private readonly atRest: SecretsAtRest,
  ) {}

  async get(poolId: string, name: string): Promise<IdentityProviderRecord | undefined> {
    const row = await this.db
      .selectFrom("identity_providers")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && toRecord(row, this.atRest);
  }

  /** The provider one of whose IdpIdentifiers is `identifier`. */
  async getByIdentifier(poolId: string, identifier: string): Promise<IdentityProviderRecord | undefined> {
    const row = await this.db
      .selectFrom("identity_provider_identifiers")
      .innerJoin("identity_providers", (j) =>
        j
          .onRef("identity_providers.pool_id", "=", "identity_provider_identifiers.pool_id")
          .onRef("identity_providers.name", "=", "identity_provider_identifiers.provider_name"),
      )
      .selectAll("identity_providers")
      .where("identity_provider_identifiers.pool_id", "=", poolId)
      .where("identity_provider_identifiers.identifier", "=", identifier)
      .executeTakeFirst();
    return row && toRecord(row, this.atRest);
  }

  /** A pool's providers in creation order (then name), starting after `after`. */
  async list(poolId: string, limit: number, after?: ProviderListPosition): Promise<IdentityProviderRecord[]> {
    let q = this.db
      .selectFrom("identity_providers")
      .selectAll()
      .where("pool_id", "=", poolId)
      .orderBy("created_at")
      .orderBy("name")
      .limit(limit);
    if (after) {
      const at = ms(after.createdAt);
      q = q.where((eb) =>
        eb.or([eb("created_at", ">", at), eb.and([eb("created_at", "=", at), eb("name", ">", after.name)])]),
      );
    }
    return (await q.execute()).map((row) => toRecord(row, this.atRest));
  }

  /** Every provider of the pool, name → type, without opening any details. */
  async types(poolId: string): Promise<Map<string, IdentityProviderTypeType>> {
    const rows = await this.db
      .selectFrom("identity_providers")
      .select(["name", "provider_type"])
      .where("pool_id", "=", poolId)
      .execute();
    return new Map(rows.map((row) => [row.name, row.provider_type as IdentityProviderTypeType]));
  }

  async count(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom("identity_providers")
      .select((eb) => eb.fn.countAll().as("count"))
      .where("pool_id", "=", poolId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Throws DuplicateKeyError when the pool has a provider of that name. */
  async insert(record: IdentityProviderRecord): Promise<void> {
    await refuseDuplicate(this.db, "identity_providers", () =>
      this.db.insertInto("identity_providers").values(toRow(record, this.atRest)).execute(),
    );
  }

  async update(record: IdentityProviderRecord): Promise<void> {
    const { pool_id, name, created_at: _created, ...rest } = toRow(record, this.atRest);
    await this.db
      .updateTable("identity_providers")
      .set(rest)
      .where("pool_id", "=", pool_id)
      .where("name", "=", name)
      .execute();
  }

  /**
   * Makes `identifiers` the ones that name the provider; DuplicateKeyError (table
   * identity_provider_identifiers) when another provider of the pool has one of them.
   */
  async setIdentifiers(poolId: string, name: string, identifiers: readonly string[]): Promise<void> {
    await this.deleteIdentifiers(poolId, name);
    if (identifiers.length === 0) return;
    await refuseDuplicate(this.db, "identity_provider_identifiers", () =>
      this.db
        .insertInto("identity_provider_identifiers")
        .values(identifiers.map((identifier) => ({ pool_id: poolId, identifier, provider_name: name })))
        .execute(),
    );
  }

  /** Deletes the provider with its identifiers. */
  async delete(poolId: string, name: string): Promise<void> {
    await this.deleteIdentifiers(poolId, name);
    await this.db
      .deleteFrom("identity_providers")
      .where("pool_id", "=", poolId)
      .where("name", "=", name)
      .execute();
  }

  private async deleteIdentifiers(poolId: string, name: string): Promise<void> {
    await this.db
      .deleteFrom("identity_provider_identifiers")
      .where("pool_id", "=", poolId)
      .where("provider_name", "=", name)
      .execute();
  }
}
