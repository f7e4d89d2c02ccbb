/**
 * Every secret at rest, for the server's start: how each is stored (the census), and resealing
 * those not stored as the configuration says now — under the current key, or in clear without one.
 * That is how a first key encrypts what was kept in clear, and how a new key replaces an old one.
 */
import { SecretsAtRest } from "./at-rest.js";
import { clientSecretPlace } from "./clients.js";
import { providerDetailsPlace, providerKeyPlace } from "./identity-providers.js";
import { samlSigningKeyPlace } from "./saml-signing-keys.js";
import { serverSecretPlace } from "./secrets.js";
import { signingKeyPlace } from "./signing-keys.js";
import type { Db } from "./store.js";

/** How many secrets are kept in clear, and how many under each key (by id). */
export interface SecretsCensus {
  clear: number;
  byKey: Record<string, number>;
}

/** One kept secret: where it is, and how to write it back. */
interface Kept {
  place: string;
  stored: string;
  write(value: string): Promise<unknown>;
}

export class ResealingRepository {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretsAtRest,
  ) {}

  private async kept(): Promise<Kept[]> {
    const db = this.db;
    const [server, keys, clients, providers, samlKeys] = await Promise.all([
      db.selectFrom("server_secrets").select(["name", "value"]).execute(),
      db.selectFrom("signing_keys").select(["pool_id", "kid", "private_key"]).execute(),
      db.selectFrom("user_pool_clients").select(["id", "secrets"]).execute(),
      db
        .selectFrom("identity_providers")
        .select(["pool_id", "name", "details", "encryption_private_key"])
        .execute(),
      db.selectFrom("saml_signing_keys").select(["pool_id", "private_key"]).execute(),
    ]);
    const provider = (poolId: string, name: string) =>
      db.updateTable("identity_providers").where("pool_id", "=", poolId).where("name", "=", name);
    return [
      ...server.map((r) => ({
        place: serverSecretPlace(r.name),
        stored: r.value,
        write: (value: string) =>
          db.updateTable("server_secrets").set({ value }).where("name", "=", r.name).execute(),
      })),
      ...keys.map((r) => ({
        place: signingKeyPlace(r.pool_id, r.kid),
        stored: r.private_key,
        write: (value: string) =>
          db
            .updateTable("signing_keys")
            .set({ private_key: value })
            .where("pool_id", "=", r.pool_id)
            .where("kid", "=", r.kid)
            .execute(),
      })),
      ...clients.map((r) => ({
        place: clientSecretPlace(r.id),
        stored: r.secrets,
        write: (value: string) =>
          db.updateTable("user_pool_clients").set({ secrets: value }).where("id", "=", r.id).execute(),
      })),
      ...providers.map((r) => ({
        place: providerDetailsPlace(r.pool_id, r.name),
        stored: r.details,
        write: (value: string) => provider(r.pool_id, r.name).set({ details: value }).execute(),
      })),
      ...providers.flatMap((r) =>
        r.encryption_private_key === null
          ? []
          : [
              {
                place: providerKeyPlace(r.pool_id, r.name),
                stored: r.encryption_private_key,
                write: (value: string) =>
                  provider(r.pool_id, r.name).set({ encryption_private_key: value }).execute(),
              },
            ],
      ),
      ...samlKeys.map((r) => ({
        place: samlSigningKeyPlace(r.pool_id),
        stored: r.private_key,
        write: (value: string) =>
          db
            .updateTable("saml_signing_keys")
            .set({ private_key: value })
            .where("pool_id", "=", r.pool_id)
            .execute(),
      })),
    ];
  }

  async census(): Promise<SecretsCensus> {
    const census: SecretsCensus = { clear: 0, byKey: {} };
    for (const { stored } of await this.kept()) {
      const keyId = SecretsAtRest.keyIdOfValue(stored);
      if (keyId === undefined) census.clear++;
      else census.byKey[keyId] = (census.byKey[keyId] ?? 0) + 1;
    }
    return census;
  }

  /**
   * Reseals every secret not stored as the configuration says now; returns how many. Run it in a
   * transaction: a secret sealed under a key the configuration does not give stops it, changing nothing.
   */
  async reseal(): Promise<number> {
    let resealed = 0;
    for (const { place, stored, write } of await this.kept()) {
      if (this.secrets.isCurrent(stored)) continue;
      await write(this.secrets.seal(place, this.secrets.open(place, stored)));
      resealed++;
    }
    return resealed;
  }
}
