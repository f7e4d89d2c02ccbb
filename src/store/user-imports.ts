/**
 * User import jobs: the jobs, their CSV files (kept in chunks of at most a megabyte, read back one
 * at a time) and their logs. A job row is the one record of a run's progress: its counters and
 * `rowsDone` change in the same transaction as the users a batch creates.
 */
import type { UserImportJobStatusType } from "../protocol/types.generated.js";
import { forUpdate } from "./dialect.js";
import { date, ms } from "./json.js";
import type { UserImportJobsTable } from "./schema.js";
import type { Db } from "./store.js";

export interface UserImportJobRecord {
  jobId: string;
  poolId: string;
  jobName: string;
  roleArn: string;
  preSignedUrl: string;
  status: UserImportJobStatusType;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  completionMessage: string | null;
  imported: number;
  skipped: number;
  failed: number;
  /** Data rows of the file processed so far (imported, skipped or failed). */
  rowsDone: number;
  /** The upload holding the job's file, once one completed. */
  fileUpload: string | null;
  fileBytes: number | null;
  /** The instance running the job and until when its claim holds. */
  runner: string | null;
  leaseUntil: Date | null;
}

const orNull = (value: number | null) => (value === null ? null : date(value));
const msOrNull = (value: Date | null) => (value === null ? null : ms(value));

function toRecord(row: UserImportJobsTable): UserImportJobRecord {
  return {
    jobId: row.job_id,
    poolId: row.pool_id,
    jobName: row.job_name,
    roleArn: row.role_arn,
    preSignedUrl: row.presigned_url,
    status: row.status as UserImportJobStatusType,
    createdAt: date(row.created_at),
    startedAt: orNull(row.started_at),
    completedAt: orNull(row.completed_at),
    completionMessage: row.completion_message,
    imported: Number(row.imported_users),
    skipped: Number(row.skipped_users),
    failed: Number(row.failed_users),
    rowsDone: Number(row.rows_done),
    fileUpload: row.file_upload,
    fileBytes: row.file_bytes === null ? null : Number(row.file_bytes),
    runner: row.runner,
    leaseUntil: orNull(row.lease_until),
  };
}

function toRow(job: UserImportJobRecord): UserImportJobsTable {
  return {
    job_id: job.jobId,
    pool_id: job.poolId,
    job_name: job.jobName,
    role_arn: job.roleArn,
    presigned_url: job.preSignedUrl,
    status: job.status,
    created_at: ms(job.createdAt),
    started_at: msOrNull(job.startedAt),
    completed_at: msOrNull(job.completedAt),
    completion_message: job.completionMessage,
    imported_users: job.imported,
    skipped_users: job.skipped,
    failed_users: job.failed,
    rows_done: job.rowsDone,
    file_upload: job.fileUpload,
    file_bytes: job.fileBytes,
    runner: job.runner,
    lease_until: msOrNull(job.leaseUntil),
  };
}

/** Where a listing goes on: after this job in newest-first order. */
export interface JobCursor {
  createdAt: Date;
  jobId: string;
}

export class UserImportRepository {
  constructor(private readonly db: Db) {}

  async get(jobId: string): Promise<UserImportJobRecord | undefined> {
    const row = await this.db
      .selectFrom("user_import_jobs")
      .selectAll()
      .where("job_id", "=", jobId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Reads the job for a read-modify-write inside a transaction (see users.getForUpdate). */
  async getForUpdate(jobId: string): Promise<UserImportJobRecord | undefined> {
    const query = this.db.selectFrom("user_import_jobs").selectAll().where("job_id", "=", jobId);
    const row = await forUpdate(this.db, query).executeTakeFirst();
    return row && toRecord(row);
  }

  async insert(job: UserImportJobRecord): Promise<void> {
    await this.db.insertInto("user_import_jobs").values(toRow(job)).execute();
  }

  async update(job: UserImportJobRecord): Promise<void> {
    const { job_id, ...rest } = toRow(job);
    await this.db.updateTable("user_import_jobs").set(rest).where("job_id", "=", job_id).execute();
  }

  async countForPool(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom("user_import_jobs")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("pool_id", "=", poolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Jobs in these states, of one pool or (without `poolId`) of every pool. */
  async listByStatus(statuses: UserImportJobStatusType[], poolId?: string): Promise<UserImportJobRecord[]> {
    let q = this.db.selectFrom("user_import_jobs").selectAll().where("status", "in", statuses);
    if (poolId !== undefined) q = q.where("pool_id", "=", poolId);
    return (await q.orderBy("created_at").orderBy("job_id").execute()).map(toRecord);
  }

  /** The pool's jobs, newest first, after `cursor`. */
  async listForPool(poolId: string, limit: number, cursor?: JobCursor): Promise<UserImportJobRecord[]> {
    let q = this.db
      .selectFrom("user_import_jobs")
      .selectAll()
      .where("pool_id", "=", poolId)
      .orderBy("created_at", "desc")
      .orderBy("job_id", "desc")
      .limit(limit);
    if (cursor) {
      const at = ms(cursor.createdAt);
      q = q.where((eb) =>
        eb.or([
          eb("created_at", "<", at),
          eb.and([eb("created_at", "=", at), eb("job_id", "<", cursor.jobId)]),
        ]),
      );
    }
    return (await q.execute()).map(toRecord);
  }

  // -------------------------------------------------------------------------------------------
  // The file, in chunks

  async putChunk(jobId: string, uploadId: string, seq: number, bytes: Buffer): Promise<void> {
    await this.db
      .insertInto("user_import_file_chunks")
      .values({ job_id: jobId, upload_id: uploadId, seq, bytes })
      .execute();
  }

  /** One chunk of an upload, or undefined past its end. */
  async chunk(jobId: string, uploadId: string, seq: number): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom("user_import_file_chunks")
      .select("bytes")
      .where("job_id", "=", jobId)
      .where("upload_id", "=", uploadId)
      .where("seq", "=", seq)
      .executeTakeFirst();
    return row && Buffer.from(row.bytes);
  }

  /** Deletes the job's uploads but `keep` (none: every upload). */
  async deleteUploads(jobId: string, keep?: string): Promise<void> {
    let q = this.db.deleteFrom("user_import_file_chunks").where("job_id", "=", jobId);
    if (keep !== undefined) q = q.where("upload_id", "!=", keep);
    await q.execute();
  }

  async deleteUpload(jobId: string, uploadId: string): Promise<void> {
    await this.db
      .deleteFrom("user_import_file_chunks")
      .where("job_id", "=", jobId)
      .where("upload_id", "=", uploadId)
      .execute();
  }

  // -------------------------------------------------------------------------------------------
  // The log

  /** Appends lines after the job's last one. */
  async appendLog(jobId: string, lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    const last = await this.db
      .selectFrom("user_import_log")
      .select((eb) => eb.fn.max("seq").as("seq"))
      .where("job_id", "=", jobId)
      .executeTakeFirst();
    const first = Number(last?.seq ?? 0) + 1;
    // A few hundred rows a statement keeps every dialect within its limit on bound values.
    for (let i = 0; i < lines.length; i += 500) {
      await this.db
        .insertInto("user_import_log")
        .values(lines.slice(i, i + 500).map((line, j) => ({ job_id: jobId, seq: first + i + j, line })))
        .execute();
    }
  }

  /** The job's log lines in order, after line `afterSeq`. */
  async log(jobId: string, limit: number, afterSeq = 0): Promise<{ seq: number; line: string }[]> {
    const rows = await this.db
      .selectFrom("user_import_log")
      .select(["seq", "line"])
      .where("job_id", "=", jobId)
      .where("seq", ">", afterSeq)
      .orderBy("seq")
      .limit(limit)
      .execute();
    return rows.map((r) => ({ seq: Number(r.seq), line: r.line }));
  }

  /** Deletes the pool's jobs with their files and logs. */
  async deleteForPool(poolId: string): Promise<void> {
    const jobs = this.db.selectFrom("user_import_jobs").select("job_id").where("pool_id", "=", poolId);
    await this.db.deleteFrom("user_import_file_chunks").where("job_id", "in", jobs).execute();
    await this.db.deleteFrom("user_import_log").where("job_id", "in", jobs).execute();
    await this.db.deleteFrom("user_import_jobs").where("pool_id", "=", poolId).execute();
  }
}
