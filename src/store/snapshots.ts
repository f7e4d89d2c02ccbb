/**
 * Snapshots of the whole SQLite database, for test suites (docs/OPERATIONS.md): `save` writes a
 * consistent copy of the database to a file (VACUUM INTO), `restore` puts every table back as the
 * copy has it, in one transaction, while the server runs. PostgreSQL has no equivalent here: use
 * its own tools (a template database, pg_dump) there.
 */
import { type Kysely, sql } from "kysely";
import { isPostgres } from "./dialect.js";
import type { Database } from "./schema.js";

export class SnapshotsUnsupported extends Error {}

export class SnapshotRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private requireSqlite(): void {
    if (isPostgres(this.db)) {
      throw new SnapshotsUnsupported(
        "snapshots are for SQLite: on PostgreSQL use a template database or pg_dump",
      );
    }
  }

  async save(file: string): Promise<void> {
    this.requireSqlite();
    await sql`vacuum into ${file}`.execute(this.db);
  }

  async restore(file: string): Promise<void> {
    this.requireSqlite();
    // ATTACH cannot run inside a transaction: attach first, copy every table in one, detach after.
    await sql`attach database ${file} as snapshot`.execute(this.db);
    try {
      await this.db.transaction().execute(async (tx) => {
        const tables = await sql<{ name: string }>`
          select name from snapshot.sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(
          tx,
        );
        for (const { name } of tables.rows) {
          await sql`delete from main.${sql.id(name)}`.execute(tx);
          await sql`insert into main.${sql.id(name)} select * from snapshot.${sql.id(name)}`.execute(tx);
        }
      });
    } finally {
      await sql`detach database snapshot`.execute(this.db);
    }
  }
}
