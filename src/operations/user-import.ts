/**
 * User import jobs: GetCSVHeader, CreateUserImportJob, StartUserImportJob, StopUserImportJob,
 * DescribeUserImportJob, ListUserImportJobs (ADMINISTRATION.md §1).
 */
import { Errors } from "../domain/errors.js";
import { requirePool } from "../domain/lookup.js";
import { decodeNextToken, encodeNextToken } from "../domain/pagination.js";
import {
  createImportJob,
  csvHeader,
  requireImportJob,
  settleExpiry,
  startImportJob,
  stopImportJob,
  userImportJobType,
} from "../domain/user-import-jobs.js";
import type { JobCursor } from "../store/user-imports.js";
import type { Handler, HandlerTable, RequestContext } from "./types.js";

/** ListUserImportJobs returns at most 50 jobs a page, whatever MaxResults allows [MODEL output]. */
const MAX_PAGE = 50;

const expiry = (ctx: RequestContext) => ctx.services.config.import.expireAfterSeconds;

function cursorOf(token: string | undefined): JobCursor | undefined {
  const key = decodeNextToken(token);
  if (key === undefined) return undefined;
  const match = /^(\d+)\.(import-[0-9a-zA-Z-]+)$/.exec(key);
  if (!match) throw Errors.invalidPaginationToken();
  return { createdAt: new Date(Number(match[1])), jobId: match[2] };
}

const GetCSVHeader: Handler<"GetCSVHeader"> = async (input, ctx) => {
  const pool = await requirePool(ctx.services.store, input.UserPoolId);
  return { UserPoolId: pool.id, CSVHeader: csvHeader(pool) };
};

const CreateUserImportJob: Handler<"CreateUserImportJob"> = async (input, ctx) => {
  const { store, baseUrl } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const job = await createImportJob(store, pool, input, baseUrl, ctx.now);
  return { UserImportJob: userImportJobType(job) };
};

const StartUserImportJob: Handler<"StartUserImportJob"> = async (input, ctx) => {
  const { store, imports, config } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const job = await store.transaction((tx) => startImportJob(tx, pool, input.JobId, ctx.now, expiry(ctx)));
  const run = imports.run(job.jobId);
  if (config.import.synchronous) await run;
  // The answer shows the job as Start left it: Pending, with its start date [DG example].
  return { UserImportJob: userImportJobType(job) };
};

const StopUserImportJob: Handler<"StopUserImportJob"> = async (input, ctx) => {
  const { store } = ctx.services;
  await requirePool(store, input.UserPoolId);
  const job = await store.transaction((tx) =>
    stopImportJob(tx, input.UserPoolId, input.JobId, ctx.now, expiry(ctx)),
  );
  return { UserImportJob: userImportJobType(job) };
};

const DescribeUserImportJob: Handler<"DescribeUserImportJob"> = async (input, ctx) => {
  const { store } = ctx.services;
  await requirePool(store, input.UserPoolId);
  const job = await requireImportJob(store, input.UserPoolId, input.JobId, ctx.now, expiry(ctx));
  return { UserImportJob: userImportJobType(job) };
};

const ListUserImportJobs: Handler<"ListUserImportJobs"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const size = Math.min(input.MaxResults, MAX_PAGE);
  const fetched = await store.userImports.listForPool(pool.id, size + 1, cursorOf(input.PaginationToken));
  const shown = await Promise.all(
    fetched.slice(0, size).map((job) => settleExpiry(store, job, ctx.now, expiry(ctx))),
  );
  const last = shown[shown.length - 1];
  return {
    UserImportJobs: shown.map(userImportJobType),
    PaginationToken:
      fetched.length > size ? encodeNextToken(`${last.createdAt.getTime()}.${last.jobId}`) : undefined,
  };
};

export const userImportHandlers = {
  GetCSVHeader,
  CreateUserImportJob,
  StartUserImportJob,
  StopUserImportJob,
  DescribeUserImportJob,
  ListUserImportJobs,
} satisfies HandlerTable;
