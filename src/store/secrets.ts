import type { Db } from "./store.js";

/** Server-wide secrets (e.g. the key that seals sessions), created once and shared by every instance. */
export class SecretRepository {
  constructor(private readonly db: Db) {}

  /** Returns the stored secret, creating it with `create()` if absent; concurrent creators agree on one. */
  async getOrCreate(name: string, create: () => string): Promise<string> {
    const existing = await this.db
      .selectFrom("server_secrets")
      .select("value")
      .where("name", "=", name)
      .executeTakeFirst();
    if (existing) return existing.value;
    await this.db
      .insertInto("server_secrets")
      .values({ name, value: create(), created_at: Date.now() })
      .onConflict((oc) => oc.column("name").doNothing())
      .execute();
    const row = await this.db
      .selectFrom("server_secrets")
      .select("value")
      .where("name", "=", name)
      .executeTakeFirstOrThrow();
    return row.value;
  }
}
