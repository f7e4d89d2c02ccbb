/** Each pool's SAML signing key and certificate (FEDERATION.md §1.7). */
import type { SecretsAtRest } from "./at-rest.js";
import type { CertifiedKey } from "./identity-providers.js";
import { ms } from "./json.js";
import type { Db } from "./store.js";

/** Where a pool's SAML signing key is kept, as its encryption at rest is bound to. */
export const samlSigningKeyPlace = (poolId: string) => `saml_signing_keys:${poolId}`;

export class SamlSigningKeyRepository {
  constructor(
    private readonly db: Db,
    private readonly atRest: SecretsAtRest,
  ) {}

  async get(poolId: string): Promise<CertifiedKey | undefined> {
    const row = await this.db
      .selectFrom("saml_signing_keys")
      .select(["private_key", "certificate"])
      .where("pool_id", "=", poolId)
      .executeTakeFirst();
    return (
      row && {
        privateKey: this.atRest.open(samlSigningKeyPlace(poolId), row.private_key),
        certificate: row.certificate,
      }
    );
  }

  /** Stores the pool's key, unless another request stored one first (then nothing). */
  async insertFirst(poolId: string, key: CertifiedKey, now: Date): Promise<void> {
    await this.db
      .insertInto("saml_signing_keys")
      .values({
        pool_id: poolId,
        private_key: this.atRest.seal(samlSigningKeyPlace(poolId), key.privateKey),
        certificate: key.certificate,
        created_at: ms(now),
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
