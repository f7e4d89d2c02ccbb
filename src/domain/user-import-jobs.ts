/**
 * User import jobs (ADMINISTRATION.md §1): the CSV header a pool expects, a job's life from Created
 * to its end (statuses, counters, completion messages, expiry), and the pre-signed URL its file is
 * uploaded to, which this server serves itself (src/http/user-import.ts). The run that reads the
 * file is in user-import-runner.ts, the rules for each row in user-import-rows.ts.
 */
import { sameText } from "../crypto/compare.js";
import { newImportJobId } from "../crypto/random.js";
import type { CreateUserImportJobRequest, UserImportJobType } from "../protocol/types.generated.js";
import type { PoolRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { UserImportJobRecord } from "../store/user-imports.js";
import { Errors } from "./errors.js";
import { ACCOUNT_ID, isCustomAttribute, schemaAttributes } from "./pools.js";
import { deriveBytes } from "./server-keys.js";
import { allowedFirstAuthFactors } from "./sign-in-factors.js";

/** User import jobs per user pool [DG quotas]. */
export const MAX_JOBS_PER_POOL = 1000;

/** The pre-signed URL's validity, as Cognito's `X-Amz-Expires=899` [OBS]. */
export const UPLOAD_URL_EXPIRES_SECONDS = 899;

/** What CompletionMessage says of each ending [API examples, DG; UNDOC for the unreadable file]. */
export const COMPLETION_MESSAGES = {
  succeeded: "Import Job Completed Successfully.",
  tooManyFailures: "Too many users have failed or been skipped during the import.",
  stopped: "The Import Job was stopped by the developer.",
  expired: "The user import job has expired.",
  unreadable: "The CSV file could not be read.",
} as const;

/** The statuses of a job that is to run or running: one at a time per server [DG]. */
export const ACTIVE_STATUSES = ["Pending", "InProgress"] as const;

export function isActive(job: UserImportJobRecord): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(job.status);
}

// ---------------------------------------------------------------------------------------------
// GetCSVHeader

/** Standard attributes the file has no column for: Cognito sets them [DG]. */
const NOT_IN_CSV = new Set(["sub", "identities"]);

/** Columns of Cognito's own after the attributes [DG]. */
export const USERNAME_COLUMN = "cognito:username";
export const MFA_COLUMN = "cognito:mfa_enabled";

/**
 * The columns of the pool's CSV file: its standard attributes in schema order, then its custom
 * attributes in the order they were added (developer-only ones omitted [UNDOC]), then
 * `cognito:mfa_enabled` and `cognito:username` [DG].
 */
export function csvHeader(pool: PoolRecord): string[] {
  const names = schemaAttributes(pool).map((a) => a.Name as string);
  return [
    ...names.filter((name) => !isCustomAttribute(name) && !NOT_IN_CSV.has(name)),
    ...names.filter((name) => name.startsWith("custom:")),
    MFA_COLUMN,
    USERNAME_COLUMN,
  ];
}

// ---------------------------------------------------------------------------------------------
// The pre-signed upload URL

/** `yyyyMMddTHHmmssZ`, as X-Amz-Date. */
export function amzDate(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

export const UPLOAD_PATH_PREFIX = "/_cognate/user-import";

export function uploadPath(poolId: string, jobId: string): string {
  return `${UPLOAD_PATH_PREFIX}/${ACCOUNT_ID}/${poolId}/${jobId}`;
}

/** The URL's signature: the server's keyed hash of the method, the path and the date. */
async function uploadSignature(store: Store, path: string, date: string): Promise<string> {
  return (await deriveBytes(store, "user-import-upload", "PUT", path, date)).toString("hex");
}

/** The URL a job's CSV file is PUT to, shaped as Cognito's S3 one [OBS], served by this server. */
async function preSignedUrl(store: Store, baseUrl: string, path: string, now: Date): Promise<string> {
  const date = amzDate(now);
  const query = [
    "X-Amz-Algorithm=AWS4-HMAC-SHA256",
    `X-Amz-Date=${date}`,
    "X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption",
    `X-Amz-Expires=${UPLOAD_URL_EXPIRES_SECONDS}`,
    `X-Amz-Signature=${await uploadSignature(store, path, date)}`,
  ].join("&");
  return `${baseUrl}${path}?${query}`;
}

/** Why an upload is refused, in S3's terms (the HTTP route words them). */
export type UploadRefusal = "signature" | "expired";

/** Checks the signature and validity of an upload request's URL; undefined when it may go on. */
export async function checkUploadUrl(
  store: Store,
  path: string,
  query: { date?: string; signature?: string },
  now: Date,
): Promise<UploadRefusal | undefined> {
  const date = query.date && parseAmzDate(query.date);
  if (!date || !query.signature) return "signature";
  const expected = await uploadSignature(store, path, query.date as string);
  if (!sameText(expected, query.signature)) return "signature";
  if (now.getTime() > date.getTime() + UPLOAD_URL_EXPIRES_SECONDS * 1000) return "expired";
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Jobs

/** A job as the API shows it: the counters always, the dates once reached [API examples]. */
export function userImportJobType(job: UserImportJobRecord): UserImportJobType {
  return {
    JobName: job.jobName,
    JobId: job.jobId,
    UserPoolId: job.poolId,
    PreSignedUrl: job.preSignedUrl,
    CreationDate: job.createdAt,
    StartDate: job.startedAt ?? undefined,
    CompletionDate: job.completedAt ?? undefined,
    Status: job.status,
    CloudWatchLogsRoleArn: job.roleArn,
    ImportedUsers: job.imported,
    SkippedUsers: job.skipped,
    FailedUsers: job.failed,
    CompletionMessage: job.completionMessage ?? undefined,
  };
}

export async function createImportJob(
  store: Store,
  pool: PoolRecord,
  input: CreateUserImportJobRequest,
  baseUrl: string,
  now: Date,
): Promise<UserImportJobRecord> {
  if ((await store.userImports.countForPool(pool.id)) >= MAX_JOBS_PER_POOL) {
    throw Errors.importJobLimitExceeded(MAX_JOBS_PER_POOL);
  }
  const jobId = newImportJobId();
  const job: UserImportJobRecord = {
    jobId,
    poolId: pool.id,
    jobName: input.JobName,
    roleArn: input.CloudWatchLogsRoleArn,
    preSignedUrl: await preSignedUrl(store, baseUrl, uploadPath(pool.id, jobId), now),
    status: "Created",
    createdAt: now,
    startedAt: null,
    completedAt: null,
    completionMessage: null,
    imported: 0,
    skipped: 0,
    failed: 0,
    rowsDone: 0,
    fileUpload: null,
    fileBytes: null,
    runner: null,
    leaseUntil: null,
  };
  await store.userImports.insert(job);
  return job;
}

/** The job ended: its date and message, its claim released; its file is deleted [DG]. */
export async function finishJob(
  store: Store,
  job: UserImportJobRecord,
  status: UserImportJobRecord["status"],
  message: string,
  at: Date,
): Promise<UserImportJobRecord> {
  const finished: UserImportJobRecord = {
    ...job,
    status,
    completionMessage: message,
    completedAt: at,
    runner: null,
    leaseUntil: null,
  };
  await store.userImports.update(finished);
  await store.userImports.deleteUploads(job.jobId);
  return finished;
}

/**
 * The job as it is now: one left in Created past `expireAfterSeconds` is Expired from then on,
 * with its file deleted. Expiry is settled when the job is read [UNDOC].
 */
export async function settleExpiry(
  store: Store,
  job: UserImportJobRecord,
  now: Date,
  expireAfterSeconds: number,
): Promise<UserImportJobRecord> {
  const expiresAt = job.createdAt.getTime() + expireAfterSeconds * 1000;
  if (job.status !== "Created" || now.getTime() < expiresAt) return job;
  return finishJob(store, job, "Expired", COMPLETION_MESSAGES.expired, new Date(expiresAt));
}

/** The pool's job, settled; `ResourceNotFoundException` when the pool has no such job. */
export async function requireImportJob(
  store: Store,
  poolId: string,
  jobId: string,
  now: Date,
  expireAfterSeconds: number,
  forUpdate = false,
): Promise<UserImportJobRecord> {
  const job = forUpdate ? await store.userImports.getForUpdate(jobId) : await store.userImports.get(jobId);
  if (!job || job.poolId !== poolId) throw Errors.importJobNotFound(jobId);
  return settleExpiry(store, job, now, expireAfterSeconds);
}

/** A pool that offers a passwordless first factor imports users who can sign in with a code [DG]. */
export function offersPasswordlessCodes(pool: PoolRecord): boolean {
  return allowedFirstAuthFactors(pool).some((f) => f === "EMAIL_OTP" || f === "SMS_OTP");
}

/**
 * StartUserImportJob: a Created job of a pool with an auto-verified attribute (or passwordless
 * codes), while no other job of the server runs [DG], becomes Pending with its start date.
 * Call inside a transaction.
 */
export async function startImportJob(
  tx: Store,
  pool: PoolRecord,
  jobId: string,
  now: Date,
  expireAfterSeconds: number,
): Promise<UserImportJobRecord> {
  const job = await requireImportJob(tx, pool.id, jobId, now, expireAfterSeconds, true);
  if (job.status !== "Created") throw Errors.importJobNotCreated(jobId);
  if (!pool.config.AutoVerifiedAttributes?.length && !offersPasswordlessCodes(pool)) {
    throw Errors.importNeedsAutoVerifiedAttributes();
  }
  if ((await tx.userImports.listByStatus([...ACTIVE_STATUSES])).length > 0) {
    throw Errors.importJobAlreadyInProgress();
  }
  const started: UserImportJobRecord = { ...job, status: "Pending", startedAt: now };
  await tx.userImports.update(started);
  return started;
}

/**
 * StopUserImportJob: a Pending or InProgress job is Stopped at once, as the DG's example answers;
 * its run sees that before its next batch and ends without writing it. It cannot be restarted.
 * Call inside a transaction.
 */
export async function stopImportJob(
  tx: Store,
  poolId: string,
  jobId: string,
  now: Date,
  expireAfterSeconds: number,
): Promise<UserImportJobRecord> {
  const job = await requireImportJob(tx, poolId, jobId, now, expireAfterSeconds, true);
  if (!isActive(job)) throw Errors.importJobNotActive(jobId);
  return finishJob(tx, job, "Stopped", COMPLETION_MESSAGES.stopped, now);
}

/** UpdateUserPool, AddCustomAttributes and DeleteUserPool wait for the pool's import to end. */
export async function assertNoImportInProgress(store: Store, poolId: string): Promise<void> {
  if ((await store.userImports.listByStatus([...ACTIVE_STATUSES], poolId)).length > 0) {
    throw Errors.userImportInProgress();
  }
}

/** How a finished run ends: Failed when nothing was imported but rows were refused [UNDOC rule]. */
export function outcomeOf(job: Pick<UserImportJobRecord, "imported" | "skipped" | "failed">): {
  status: "Succeeded" | "Failed";
  message: string;
} {
  if (job.imported === 0 && job.failed + job.skipped > 0) {
    return { status: "Failed", message: COMPLETION_MESSAGES.tooManyFailures };
  }
  return { status: "Succeeded", message: COMPLETION_MESSAGES.succeeded };
}
