import { type Kysely, PostgresAdapter } from "kysely";

/**
 * User import jobs (ADMINISTRATION.md §1): the jobs, the CSV file each was given (in chunks, so that
 * every instance can read it and none holds it whole in memory), and the lines of each job's log.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? "bytea" : "blob";
  await db.schema
    .createTable("user_import_jobs")
    .addColumn("job_id", "text", (c) => c.primaryKey())
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("job_name", "text", (c) => c.notNull())
    .addColumn("role_arn", "text", (c) => c.notNull())
    .addColumn("presigned_url", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("started_at", "bigint")
    .addColumn("completed_at", "bigint")
    .addColumn("completion_message", "text")
    .addColumn("imported_users", "bigint", (c) => c.notNull())
    .addColumn("skipped_users", "bigint", (c) => c.notNull())
    .addColumn("failed_users", "bigint", (c) => c.notNull())
    // Data rows of the file already processed (imported, skipped or failed): where a resumed run goes on.
    .addColumn("rows_done", "bigint", (c) => c.notNull())
    // The upload whose chunks are the job's file; null until one completed.
    .addColumn("file_upload", "text")
    .addColumn("file_bytes", "bigint")
    // The instance running the job, and until when its claim holds without being renewed.
    .addColumn("runner", "text")
    .addColumn("lease_until", "bigint")
    .execute();
  await db.schema
    .createIndex("user_import_jobs_pool")
    .on("user_import_jobs")
    .columns(["pool_id", "created_at"])
    .execute();
  await db.schema.createIndex("user_import_jobs_status").on("user_import_jobs").column("status").execute();

  await db.schema
    .createTable("user_import_file_chunks")
    .addColumn("job_id", "text", (c) => c.notNull())
    .addColumn("upload_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("bytes", bytes, (c) => c.notNull())
    .addPrimaryKeyConstraint("user_import_file_chunks_pk", ["job_id", "upload_id", "seq"])
    .execute();

  await db.schema
    .createTable("user_import_log")
    .addColumn("job_id", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("line", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_import_log_pk", ["job_id", "seq"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("user_import_log").execute();
  await db.schema.dropTable("user_import_file_chunks").execute();
  await db.schema.dropTable("user_import_jobs").execute();
}
