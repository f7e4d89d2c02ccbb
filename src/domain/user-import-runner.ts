/**
 * The run of a user import job, in the background (ADMINISTRATION.md §1.5–§1.7). The file is read
 * from the store one chunk at a time and parsed as a stream (csv-parse), so memory stays flat
 * whatever its size; rows are applied in batches, each one transaction that also advances the job's
 * counters and `rowsDone`: a row is imported, skipped or failed exactly once, and never half-written.
 *
 * A run holds a lease on its job, renewed by every batch. When the server stops, its runs end after
 * their batch and release their jobs; at the next start (or, for a job whose instance died, once
 * its lease has lapsed) the job is resumed after the rows already done. StopUserImportJob ends a
 * job at once: its run notices before its next batch.
 */
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { pipeline, Readable } from "node:stream";
import type { Logger } from "pino";
import type { Services } from "../services.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { UserImportJobRecord } from "../store/user-imports.js";
import { Errors } from "./errors.js";
import { ACTIVE_STATUSES, COMPLETION_MESSAGES, finishJob, isActive, outcomeOf } from "./user-import-jobs.js";
import {
  headerProblem,
  type ImportColumns,
  importColumns,
  MAX_ROW_CHARACTERS,
  MAX_ROWS,
  userFromRow,
} from "./user-import-rows.js";
import { aliasKeysFor } from "./users.js";

/** One data row of the file, with the line it ends on. */
interface Row {
  fields: string[];
  line: number;
}

/** What a batch did: the counters to add and the log lines to append. */
interface BatchResult {
  imported: number;
  skipped: number;
  failed: number;
  log: string[];
}

/** A reason that ends the whole job, with the log line that explains it. */
class JobFailure extends Error {}

const skippedLine = (line: number) => `[SKIPPED] Line Number ${line} - The user already exists.`;
const failedLine = (line: number, reason: string) => `[FAILED] Line Number ${line} - ${reason}`;

/** A value written `\,` holds a comma [DG]: csv-parse split it; join the parts back. */
function joinEscapedCommas(parts: string[]): string[] {
  const fields: string[] = [];
  let pending: string | undefined;
  for (const part of parts) {
    const joined = pending === undefined ? part : `${pending},${part}`;
    if (joined.endsWith("\\")) {
      pending = joined.slice(0, -1);
      continue;
    }
    fields.push(joined.trim());
    pending = undefined;
  }
  if (pending !== undefined) fields.push(`${pending}\\`.trim());
  return fields;
}

/** The chunks of an upload, in order, read one at a time. */
async function* fileChunks(store: Store, jobId: string, uploadId: string): AsyncGenerator<Buffer> {
  for (let seq = 0; ; seq++) {
    const chunk = await store.userImports.chunk(jobId, uploadId, seq);
    if (!chunk) return;
    yield chunk;
  }
}

/** The file's records, parsed as they are read: the header first, then the data rows. */
async function* records(store: Store, jobId: string, uploadId: string): AsyncGenerator<Row> {
  // The CSV parser loads with the first job run: the runner itself starts with every server.
  const { CsvError, parse } = await import("csv-parse");
  const parser = pipeline(
    Readable.from(fileChunks(store, jobId, uploadId)),
    parse({
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      // Beyond a row's limit the file is refused before a runaway field fills the memory.
      max_record_size: MAX_ROW_CHARACTERS + 1,
    }),
    () => undefined, // errors reach the iteration below
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const characters = record.reduce((n, field) => n + field.length + 1, -1);
      if (characters > MAX_ROW_CHARACTERS) {
        throw new JobFailure(
          failedLine(info.lines, `The line is longer than ${MAX_ROW_CHARACTERS} characters.`),
        );
      }
      yield { fields: joinEscapedCommas(record), line: info.lines };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as InstanceType<typeof CsvError> & { lines?: number }).lines;
    const reason =
      error.code === "CSV_MAX_RECORD_SIZE"
        ? `The line is longer than ${MAX_ROW_CHARACTERS} characters.`
        : "The line is not valid CSV.";
    throw new JobFailure(line === undefined ? `[FAILED] ${reason}` : failedLine(line, reason));
  }
}

/** The attribute an alias key (`email:…`) is of. */
const aliasAttribute = (key: string) => key.slice(0, key.indexOf(":"));

export interface BatchEvent {
  jobId: string;
  rowsDone: number;
}

/**
 * Runs the server's import jobs. Emits `batch` (BatchEvent) after each committed batch, and
 * `end` (jobId) when a run ends, whatever the reason.
 */
export class UserImportRunner extends EventEmitter {
  /** This instance, as the lease holder of the jobs it runs. */
  private readonly id = randomUUID();
  private readonly runs = new Map<string, Promise<void>>();
  private services?: Services;
  private sweeper?: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly logger: Logger) {
    super();
  }

  /** Resumes the jobs whose run stopped, then looks again every half lease. */
  async start(services: Services): Promise<void> {
    this.services = services;
    await this.resumeAbandoned();
    const interval = (services.config.import.leaseSeconds * 1000) / 2;
    this.sweeper = setInterval(() => void this.resumeAbandoned(), interval);
    this.sweeper.unref();
  }

  /** Ends the runs after their current batch, leaving their jobs to be resumed. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    await Promise.allSettled([...this.runs.values()]);
  }

  /** Runs the job here, unless it runs here already; resolves when the run ends. Never rejects. */
  run(jobId: string): Promise<void> {
    const running = this.runs.get(jobId);
    if (running) return running;
    const run = this.execute(jobId)
      .catch((error) => this.logger.error({ err: error, jobId }, "user import run failed"))
      .finally(() => {
        this.runs.delete(jobId);
        this.emit("end", jobId);
      });
    this.runs.set(jobId, run);
    return run;
  }

  private get live(): Services {
    if (!this.services) throw new Error("the import runner was not started");
    return this.services;
  }

  private leaseUntil(): Date {
    return new Date(Date.now() + this.live.config.import.leaseSeconds * 1000);
  }

  /** Active jobs that no live run holds: released by a stopped server, or their lease lapsed. */
  private async resumeAbandoned(): Promise<void> {
    if (this.closing) return;
    try {
      const jobs = await this.live.store.userImports.listByStatus([...ACTIVE_STATUSES]);
      for (const job of jobs) {
        if (!job.runner || (job.leaseUntil?.getTime() ?? 0) < Date.now()) void this.run(job.jobId);
      }
    } catch (error) {
      this.logger.error({ err: error }, "looking for user import jobs to resume failed");
    }
  }

  /** Takes the job for this instance: it must be active, and held by no live run elsewhere. */
  private claim(jobId: string): Promise<UserImportJobRecord | undefined> {
    return this.live.store.transaction(async (tx) => {
      const job = await tx.userImports.getForUpdate(jobId);
      if (!job || !isActive(job)) return undefined;
      if (job.runner && job.runner !== this.id && (job.leaseUntil?.getTime() ?? 0) >= Date.now()) {
        return undefined;
      }
      const claimed: UserImportJobRecord = {
        ...job,
        status: "InProgress",
        runner: this.id,
        leaseUntil: this.leaseUntil(),
      };
      await tx.userImports.update(claimed);
      return claimed;
    });
  }

  private async execute(jobId: string): Promise<void> {
    const claimed = await this.claim(jobId);
    if (!claimed) return;
    const { store } = this.live;
    try {
      const pool = await store.pools.get(claimed.poolId);
      if (!pool) throw new JobFailure("[FAILED] The user pool no longer exists.");
      if (!claimed.fileUpload) throw new JobFailure("[FAILED] No CSV file was uploaded for the job.");
      await this.readFile(claimed, pool, claimed.fileUpload);
    } catch (error) {
      if (!(error instanceof JobFailure)) throw error;
      await this.end(jobId, "Failed", COMPLETION_MESSAGES.unreadable, [error.message]);
    }
  }

  private async readFile(job: UserImportJobRecord, pool: PoolRecord, uploadId: string): Promise<void> {
    const { store, config } = this.live;
    const rows = records(store, job.jobId, uploadId);
    const header = await rows.next();
    if (header.done) throw new JobFailure("[FAILED] The CSV file is empty.");
    const problem = headerProblem(pool, header.value.fields);
    if (problem) throw new JobFailure(`[FAILED] ${problem}`);
    const columns = importColumns(header.value.fields);
    let seen = 0;
    if (job.rowsDone > 0) {
      await store.userImports.appendLog(job.jobId, [`[INFO] Resumed after data row ${job.rowsDone}.`]);
    }
    let batch: Row[] = [];
    for await (const row of rows) {
      if (++seen <= job.rowsDone) continue;
      if (seen > MAX_ROWS) throw new JobFailure(`[FAILED] The CSV file has more than ${MAX_ROWS} users.`);
      batch.push(row);
      if (batch.length < config.import.batchSize) continue;
      if (!(await this.commit(job.jobId, pool, columns, batch))) return;
      batch = [];
      // Other requests get the database between two batches.
      await new Promise((resolve) => setImmediate(resolve));
      if (this.closing) return this.release(job.jobId);
    }
    if (batch.length > 0 && !(await this.commit(job.jobId, pool, columns, batch))) return;
    const done = await store.userImports.get(job.jobId);
    if (done?.status !== "InProgress" || done.runner !== this.id) return;
    const { status, message } = outcomeOf(done);
    await this.end(job.jobId, status, message, []);
  }

  /**
   * Writes one batch, with the job's counters, in one transaction. False when the job is no longer
   * this run's to go on with (stopped, or taken over after the lease lapsed).
   */
  private async commit(
    jobId: string,
    pool: PoolRecord,
    columns: ImportColumns,
    rows: Row[],
  ): Promise<boolean> {
    let committed: UserImportJobRecord | undefined;
    try {
      committed = await this.commitWith(jobId, pool, columns, rows, "together");
    } catch (error) {
      // Another writer took a name between the checks and the insert: each row on its own.
      if (!(error instanceof DuplicateKeyError)) throw error;
      committed = await this.commitWith(jobId, pool, columns, rows, "one by one");
    }
    if (!committed) return false;
    this.emit("batch", { jobId, rowsDone: committed.rowsDone } satisfies BatchEvent);
    this.logger.debug({ jobId, rowsDone: committed.rowsDone }, "user import batch");
    return true;
  }

  private commitWith(
    jobId: string,
    pool: PoolRecord,
    columns: ImportColumns,
    rows: Row[],
    mode: "together" | "one by one",
  ): Promise<UserImportJobRecord | undefined> {
    const now = this.live.clock();
    return this.live.store.transaction(async (tx) => {
      const job = await tx.userImports.getForUpdate(jobId);
      if (job?.status !== "InProgress" || job.runner !== this.id) return undefined;
      const result = await applyRows(tx, pool, columns, rows, now, mode);
      const updated: UserImportJobRecord = {
        ...job,
        imported: job.imported + result.imported,
        skipped: job.skipped + result.skipped,
        failed: job.failed + result.failed,
        rowsDone: job.rowsDone + rows.length,
        leaseUntil: this.leaseUntil(),
      };
      await tx.userImports.update(updated);
      await tx.userImports.appendLog(jobId, result.log);
      return updated;
    });
  }

  /** Ends the job (unless it ended meanwhile or another run holds it), with its last log lines. */
  private async end(jobId: string, status: "Succeeded" | "Failed", message: string, log: string[]) {
    await this.live.store.transaction(async (tx) => {
      const job = await tx.userImports.getForUpdate(jobId);
      if (!job || !isActive(job) || job.runner !== this.id) return;
      await tx.userImports.appendLog(jobId, [
        ...log,
        `[INFO] ${status}: ${job.imported} imported, ${job.skipped} skipped, ${job.failed} failed.`,
      ]);
      await finishJob(tx, job, status, message, this.live.clock());
    });
  }

  /** Gives the job back (the server is stopping): the next start resumes it at once. */
  private async release(jobId: string): Promise<void> {
    await this.live.store.transaction(async (tx) => {
      const job = await tx.userImports.getForUpdate(jobId);
      if (!job || job.runner !== this.id) return;
      await tx.userImports.update({ ...job, runner: null, leaseUntil: null });
    });
  }
}

/** A row's user, unless it is refused: then its log line. */
type Candidate = { row: Row; user: UserRecord; aliasKeys: string[] } | { row: Row; line: string };

/** Every row of the batch applied: new users written, the rest counted and explained. */
async function applyRows(
  tx: Store,
  pool: PoolRecord,
  columns: ImportColumns,
  rows: Row[],
  now: Date,
  mode: "together" | "one by one",
): Promise<BatchResult> {
  const result: BatchResult = { imported: 0, skipped: 0, failed: 0, log: [] };
  const candidates: Candidate[] = rows.map((row) => {
    const outcome = userFromRow(pool, columns, row.fields, now);
    if ("failure" in outcome) return { row, line: failedLine(row.line, outcome.failure) };
    return { row, user: outcome.user, aliasKeys: aliasKeysFor(pool, outcome.user) };
  });
  const users = candidates.filter((c) => "user" in c);
  const takenNames = await tx.users.existingKeys(
    pool.id,
    users.map((c) => c.user.usernameKey),
  );
  const takenAliases = await tx.users.existingAliases(
    pool.id,
    users.flatMap((c) => c.aliasKeys),
  );
  const accepted: { row: Row; user: UserRecord; aliasKeys: string[] }[] = [];
  for (const candidate of candidates) {
    if ("line" in candidate) {
      result.failed++;
      result.log.push(candidate.line);
      continue;
    }
    const { row, user, aliasKeys } = candidate;
    if (takenNames.has(user.usernameKey)) {
      result.skipped++;
      result.log.push(skippedLine(row.line));
      continue;
    }
    const clash = aliasKeys.find((key) => takenAliases.has(key));
    if (clash) {
      result.failed++;
      result.log.push(failedLine(row.line, Errors.aliasExists(aliasAttribute(clash)).message));
      continue;
    }
    // Later rows of the file meet this one as an existing user.
    takenNames.add(user.usernameKey);
    for (const key of aliasKeys) takenAliases.add(key);
    accepted.push({ row, user, aliasKeys });
  }
  if (mode === "together") {
    await tx.users.insertMany(accepted);
    result.imported += accepted.length;
    return result;
  }
  for (const { row, user, aliasKeys } of accepted) {
    const refusal = await insertOne(tx, pool, user, aliasKeys);
    if (refusal === undefined) result.imported++;
    else if (refusal === "skipped") {
      result.skipped++;
      result.log.push(skippedLine(row.line));
    } else {
      result.failed++;
      result.log.push(failedLine(row.line, refusal));
    }
  }
  return result;
}

/** One user with its aliases, or nothing: `skipped` when the name is taken, else the alias refusal. */
async function insertOne(
  tx: Store,
  pool: PoolRecord,
  user: UserRecord,
  aliasKeys: string[],
): Promise<"skipped" | string | undefined> {
  try {
    await tx.users.insert(user);
  } catch (error) {
    if (error instanceof DuplicateKeyError) return "skipped";
    throw error;
  }
  try {
    await tx.users.setAliases(pool.id, user.usernameKey, aliasKeys);
    return undefined;
  } catch (error) {
    if (!(error instanceof DuplicateKeyError)) throw error;
    await tx.users.delete(pool.id, user.usernameKey);
    const held = await tx.users.existingAliases(pool.id, aliasKeys);
    return Errors.aliasExists(aliasAttribute([...held][0] ?? aliasKeys[0])).message;
  }
}
