/**
 * User import runs in the background: a job whose server stopped mid-run is resumed by the next
 * start after the rows already done (every row counted once, none written twice); a job whose
 * instance died is taken over once its lease lapses; StopUserImportJob ends a run before its next
 * batch. Batches of 10 rows, so that a small file takes several.
 */
import {
  ListUsersCommand,
  StartUserImportJobCommand,
  StopUserImportJobCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchEvent } from "../../../src/domain/user-import-runner.js";
import { createPool } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { createJob, describeJob, jobLog, upload } from "./support.js";

const CONFIG = { import: { batchSize: 10, leaseSeconds: 1 } };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(CONFIG);
});
afterAll(async () => server.stop());

/** `rows` users, the 15th of them without a verified email. */
function csv(rows: number, prefix: string): string {
  const lines = ["cognito:username,email,email_verified"];
  for (let i = 1; i <= rows; i++)
    lines.push(`${prefix}${i},${prefix}${i}@example.com,${i === 15 ? "false" : "true"}`);
  return `${lines.join("\n")}\n`;
}

async function uploadedJob(poolId: string, rows: number, prefix: string): Promise<string> {
  const job = await createJob(server, poolId);
  expect((await upload(job.PreSignedUrl as string, csv(rows, prefix))).status).toBe(200);
  return job.JobId as string;
}

/** The job once its run has ended (the server runs it in the background). */
async function ended(poolId: string, jobId: string) {
  for (let i = 0; i < 400; i++) {
    const job = await describeJob(server, poolId, jobId);
    if (job.Status !== "Pending" && job.Status !== "InProgress") return job;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} did not end`);
}

async function userCount(poolId: string): Promise<number> {
  return server.services.store.users.count(poolId);
}

describe("a running import", () => {
  it("answers Pending at once and runs in the background", async () => {
    const poolId = await createPool(server, { AutoVerifiedAttributes: ["email"] });
    const jobId = await uploadedJob(poolId, 30, "bg");
    const started = await server.client.send(
      new StartUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }),
    );
    expect(started.UserImportJob?.Status).toBe("Pending");
    expect(await ended(poolId, jobId)).toMatchObject({
      Status: "Succeeded",
      ImportedUsers: 29,
      FailedUsers: 1,
    });
  });

  it("is ended by StopUserImportJob before its next batch, and writes nothing after", async () => {
    const poolId = await createPool(server, { AutoVerifiedAttributes: ["email"] });
    const jobId = await uploadedJob(poolId, 200, "stop");
    const runEnded = new Promise((resolve) => server.services.imports.once("end", resolve));
    const firstBatch = new Promise((resolve) => server.services.imports.once("batch", resolve));
    await server.client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }));
    await firstBatch;
    const stopped = await server.client.send(
      new StopUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }),
    );
    await runEnded;
    const job = await describeJob(server, poolId, jobId);
    expect(job).toMatchObject({
      Status: "Stopped",
      CompletionMessage: "The Import Job was stopped by the developer.",
    });
    expect(job.ImportedUsers).toBe(stopped.UserImportJob?.ImportedUsers);
    expect(job.ImportedUsers).toBeLessThan(199);
    expect(await userCount(poolId)).toBe(job.ImportedUsers);
  });

  it("whose instance died is taken over once its lease has lapsed", async () => {
    const poolId = await createPool(server, { AutoVerifiedAttributes: ["email"] });
    const jobId = await uploadedJob(poolId, 25, "dead");
    const stored = await server.services.store.userImports.get(jobId);
    await server.services.store.userImports.update({
      ...stored!,
      status: "InProgress",
      startedAt: new Date(),
      runner: "an-instance-that-died",
      leaseUntil: new Date(Date.now() - 1),
    });
    expect(await ended(poolId, jobId)).toMatchObject({
      Status: "Succeeded",
      ImportedUsers: 24,
      FailedUsers: 1,
    });
  });
});

describe("a server restarted during an import", () => {
  it("resumes the job after the rows already done: each row is counted and written once", async () => {
    const poolId = await createPool(server, { AutoVerifiedAttributes: ["email"] });
    const jobId = await uploadedJob(poolId, 60, "restart");
    let stopping: Promise<void> | undefined;
    const firstBatch = new Promise<BatchEvent>((resolve) =>
      server.services.imports.once("batch", (event: BatchEvent) => {
        // The server begins to stop right after the first batch: the run ends before its second.
        stopping = server.services.imports.close();
        resolve(event);
      }),
    );
    await server.client.send(new StartUserImportJobCommand({ UserPoolId: poolId, JobId: jobId }));
    expect(await firstBatch).toEqual({ jobId, rowsDone: 10 });
    await stopping;
    expect(await describeJob(server, poolId, jobId)).toMatchObject({
      Status: "InProgress",
      ImportedUsers: 10,
    });
    await server.stop({ keepData: true });

    server = await startTestServer(CONFIG, { dataDir: server.dataDir });
    expect(await ended(poolId, jobId)).toMatchObject({
      Status: "Succeeded",
      CompletionMessage: "Import Job Completed Successfully.",
      ImportedUsers: 59,
      SkippedUsers: 0,
      FailedUsers: 1,
    });
    expect(await jobLog(server, poolId, jobId)).toEqual([
      "[INFO] Resumed after data row 10.",
      "[FAILED] Line Number 16 - The User Record does not set any of the auto verified attributes to true. (Example: email_verified to true).",
      "[INFO] Succeeded: 59 imported, 0 skipped, 1 failed.",
    ]);
    expect(await userCount(poolId)).toBe(59);
    const listed = await server.client.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: 'username = "restart60"' }),
    );
    expect(listed.Users?.map((u) => u.UserStatus)).toEqual(["RESET_REQUIRED"]);
  });
});
