/**
 * User import benchmark: imports generated CSV files of several sizes into a fresh server each and
 * prints rows/s (and rows per CPU-second of the server, which a busy machine disturbs far less)
 * and the server's peak memory, so that a larger file showing the same peak shows a
 * memory that does not grow with the file. Every 20th row is invalid (no verified email) and must
 * be counted as failed, every other row imported. `--heap-mb` caps the server's JavaScript heap:
 * a run that holds rows in memory would fail with a large file, one that streams does not.
 *
 *   npx tsx bench/import.ts                              # 10,000 and 100,000 rows, SQLite
 *   npx tsx bench/import.ts --rows 100000 --postgres postgres://postgres@127.0.0.1:5432/postgres
 *   npx tsx bench/import.ts --rows 10000,300000 --heap-mb 48
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { call, type Target } from "./client.js";
import { cpuMs, freshPostgresDatabase, peakMemoryMb, startServer, stopServer } from "./servers.js";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "10000,100000" },
    "invalid-every": { type: "string", default: "20" },
    postgres: { type: "string" },
    "heap-mb": { type: "string" },
  },
});

const invalidEvery = Number(args["invalid-every"]);

async function ok(target: Target, operation: string, payload: unknown): Promise<Record<string, unknown>> {
  const res = await call(target, operation, payload);
  if (res.status !== 200) throw new Error(`${operation}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The file, generated as it is sent: the bench holds none of it. */
function* csvLines(rows: number): Generator<string> {
  yield "cognito:username,name,email,email_verified,phone_number,cognito:mfa_enabled\n";
  for (let i = 1; i <= rows; i++) {
    const verified = i % invalidEvery === 0 ? "false" : "true";
    yield `user-${i},User ${i}\\, the ${i}th,user${i}@example.com,${verified},+1555${String(i).padStart(7, "0")},false\n`;
  }
}

function upload(url: string, rows: number): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: "PUT",
        path: `${target.pathname}${target.search}`,
        headers: { "x-amz-server-side-encryption": "aws:kms" },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    Readable.from(csvLines(rows)).pipe(req);
  });
}

/** The job's log lines that explain a refused row, read a page at a time. */
async function explainedRows(url: string, poolId: string, jobId: string): Promise<number> {
  let explained = 0;
  for (let after = 0; ; ) {
    const res = await fetch(`${url}/_cognate/user-import-log/${poolId}/${jobId}?after=${after}`);
    const lines = (await res.text()).split("\n").filter(Boolean);
    if (lines.length === 0) return explained;
    explained += lines.filter((line) => /^\[(FAILED|SKIPPED)\] Line Number \d+ - /.test(line)).length;
    after += lines.length;
  }
}

interface Job {
  Status: string;
  ImportedUsers: number;
  FailedUsers: number;
  SkippedUsers: number;
}

async function importOnce(url: string, pid: number | undefined, rows: number) {
  const target = { url, agent: new Agent({ keepAlive: true }) };
  try {
    const pool = (
      await ok(target, "CreateUserPool", { PoolName: "bench", AutoVerifiedAttributes: ["email"] })
    ).UserPool as { Id: string };
    const created = (
      await ok(target, "CreateUserImportJob", {
        UserPoolId: pool.Id,
        JobName: "bench",
        CloudWatchLogsRoleArn: "arn:aws:iam::000000000000:role/import",
      })
    ).UserImportJob as { JobId: string; PreSignedUrl: string };
    const status = await upload(created.PreSignedUrl, rows);
    if (status !== 200) throw new Error(`upload answered ${status}`);
    const uploaded = peakMemoryMb(pid);
    const started = performance.now();
    const cpuBefore = cpuMs(pid);
    await ok(target, "StartUserImportJob", { UserPoolId: pool.Id, JobId: created.JobId });
    let job: Job;
    do {
      await new Promise((r) => setTimeout(r, 100));
      job = (await ok(target, "DescribeUserImportJob", { UserPoolId: pool.Id, JobId: created.JobId }))
        .UserImportJob as Job;
    } while (job.Status === "Pending" || job.Status === "InProgress");
    const seconds = (performance.now() - started) / 1000;
    const cpuSeconds = (cpuMs(pid) - cpuBefore) / 1000;
    const expectedFailed = Math.floor(rows / invalidEvery);
    const explained = await explainedRows(url, pool.Id, created.JobId);
    const correct =
      job.Status === "Succeeded" &&
      job.ImportedUsers === rows - expectedFailed &&
      job.FailedUsers === expectedFailed &&
      explained === expectedFailed;
    return { job, seconds, cpuSeconds, correct, uploaded, explained };
  } finally {
    target.agent.destroy();
  }
}

async function main() {
  const heap = args["heap-mb"] ? `, server heap capped at ${args["heap-mb"]} MB` : "";
  console.log(`every ${invalidEvery}th row invalid; ${args.postgres ? "PostgreSQL" : "SQLite"}${heap}`);
  console.log(
    "rows | seconds | rows/s | rows per server CPU-second | imported | failed | explained in the log | correct | server peak MB (started → uploaded → imported)",
  );
  for (const rows of args.rows.split(",").map(Number)) {
    const db = args.postgres ? await freshPostgresDatabase(args.postgres) : undefined;
    const dataDir = mkdtempSync(join(tmpdir(), "cognate-bench-import-"));
    const heap = args["heap-mb"] ? [`--max-old-space-size=${args["heap-mb"]}`] : [];
    const server = await startServer(db ? { databaseUrl: db.url } : { dataDir }, heap);
    try {
      const before = peakMemoryMb(server.child.pid);
      const { job, seconds, cpuSeconds, correct, uploaded, explained } = await importOnce(
        server.url,
        server.child.pid,
        rows,
      );
      const after = peakMemoryMb(server.child.pid);
      console.log(
        `${rows} | ${seconds.toFixed(1)} | ${Math.round(rows / seconds)} | ${Math.round(rows / cpuSeconds)} | ${job.ImportedUsers} | ${job.FailedUsers} | ${explained} | ${correct} | ${before} → ${uploaded} → ${after}`,
      );
    } finally {
      await stopServer(server);
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

await main();
