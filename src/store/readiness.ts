/**
 * Whether the store can serve: the database answers, and every migration this build knows is
 * applied (an instance started against a database another, older one is still migrating, or one
 * left behind by a failed migration, is not ready).
 */
import { type Kysely, Migrator, sql } from "kysely";
import { isPostgres } from "./dialect.js";
import { migrationProvider } from "./migrations/index.js";
import { currentSchema } from "./postgres.js";
import type { Database } from "./schema.js";

export type Readiness = { ready: true } | { ready: false; reason: string; error?: unknown };

export async function checkReadiness(db: Kysely<Database>): Promise<Readiness> {
  let pending: number;
  try {
    await sql`select 1`.execute(db);
    const schema = isPostgres(db) ? await currentSchema(db) : undefined;
    const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema });
    pending = (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).length;
  } catch (error) {
    return { ready: false, reason: "the database is unreachable", error };
  }
  return pending === 0 ? { ready: true } : { ready: false, reason: `${pending} migrations are not applied` };
}
