import type { SecretsAtRest } from "./at-rest.js";
import type { Db } from "./store.js";

/** Where a server secret is kept, as its encryption at rest is bound to. */
export const serverSecretPlace = (name: string) => `server_secrets:${name}`;

/** Server-wide secrets (e.g. the key that seals sessions), created once and shared by every instance. */
export class SecretRepository {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretsAtRest,
  ) {}

  /** Returns the stored secret, creating it with `create()` if absent; concurrent creators agree on one. */
  async getOrCreate(name: string, create: () => string): Promise<string> {
    const existing = await this.read(name);
    if (existing !== undefined) return existing;
    await this.db
      .insertInto("server_secrets")
      .values({ name, value: this.secrets.seal(serverSecretPlace(name), create()), created_at: Date.now() })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    const stored = await this.read(name);
    if (stored === undefined) throw new Error(`server secret ${name} was not stored`);
    return stored;
  }

  private async read(name: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("server_secrets")
      .select("value")
      .where("name", "=", name)
      .executeTakeFirst();
    return row && this.secrets.open(serverSecretPlace(name), row.value);
  }
}
