/** Per-pool JWT signing keys. */
import type { SecretsAtRest } from "./at-rest.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { SigningKeysTable } from "./schema.js";
import type { Db } from "./store.js";

export type TokenUse = "id" | "access";
export type SigningKeyStatus = "current" | "previous" | "retired";

/** The public half of an RSA key as a JWK. */
export interface PublicJwk {
  kty: "RSA";
  n: string;
  e: string;
}

export interface SigningKeyRecord {
  poolId: string;
  kid: string;
  use: TokenUse;
  status: SigningKeyStatus;
  /** PKCS#8 PEM. */
  privateKey: string;
  publicJwk: PublicJwk;
  createdAt: Date;
  updatedAt: Date;
}

/** Where a signing key is kept, as its encryption at rest is bound to. */
export const signingKeyPlace = (poolId: string, kid: string) => `signing_keys:${poolId}:${kid}`;

function toRecord(row: SigningKeysTable, secrets: SecretsAtRest): SigningKeyRecord {
  return {
    poolId: row.pool_id,
    kid: row.kid,
    use: row.token_use as TokenUse,
    status: row.status as SigningKeyStatus,
    privateKey: secrets.open(signingKeyPlace(row.pool_id, row.kid), row.private_key),
    publicJwk: fromJson(row.public_jwk, { kty: "RSA", n: "", e: "" }),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

function toRow(key: SigningKeyRecord, secrets: SecretsAtRest): SigningKeysTable {
  return {
    pool_id: key.poolId,
    kid: key.kid,
    token_use: key.use,
    status: key.status,
    private_key: secrets.seal(signingKeyPlace(key.poolId, key.kid), key.privateKey),
    public_jwk: toJson(key.publicJwk),
    created_at: ms(key.createdAt),
    updated_at: ms(key.updatedAt),
  };
}

export class SigningKeyRepository {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretsAtRest,
  ) {}

  /** The pool's keys that still verify (current and previous), oldest first. */
  async listLive(poolId: string): Promise<SigningKeyRecord[]> {
    const rows = await this.db
      .selectFrom("signing_keys")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("status", "!=", "retired")
      .orderBy("created_at")
      .orderBy("kid")
      .execute();
    return rows.map((row) => toRecord(row, this.secrets));
  }

  async insert(key: SigningKeyRecord): Promise<void> {
    await this.db.insertInto("signing_keys").values(toRow(key, this.secrets)).execute();
  }

  /** Stores a pool's first key of a use, unless another instance stored one first (then nothing). */
  async insertFirst(key: SigningKeyRecord): Promise<void> {
    await this.db
      .insertInto("signing_keys")
      .values(toRow(key, this.secrets))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Whether the pool has this key and it still verifies. */
  async isLive(poolId: string, kid: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("signing_keys")
      .select("status")
      .where("pool_id", "=", poolId)
      .where("kid", "=", kid)
      .executeTakeFirst();
    return row !== undefined && row.status !== "retired";
  }

  /** Demotes the pool's current keys of one use to `previous` (they keep verifying). */
  async demoteCurrent(poolId: string, use: TokenUse, now: Date): Promise<void> {
    await this.db
      .updateTable("signing_keys")
      .set({ status: "previous", updated_at: ms(now) })
      .where("pool_id", "=", poolId)
      .where("token_use", "=", use)
      .where("status", "=", "current")
      .execute();
  }

  /** Retires a key that no longer signs: it leaves the JWKS and its tokens stop verifying. */
  async retire(poolId: string, kid: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable("signing_keys")
      .set({ status: "retired", updated_at: ms(now) })
      .where("pool_id", "=", poolId)
      .where("kid", "=", kid)
      .where("status", "=", "previous")
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async deleteForPool(poolId: string): Promise<void> {
    await this.db.deleteFrom("signing_keys").where("pool_id", "=", poolId).execute();
  }
}
