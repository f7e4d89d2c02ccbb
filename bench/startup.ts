/**
 * Startup benchmark: starts the compiled server as `npm start` does (its script from package.json,
 * node's flags included, without npm itself) on a fresh data directory several times and prints, for each run, the time from spawning the
 * process to the first answered API request, and the process's resident memory once idle. The
 * targets: ready in under a second, under 100 MB idle, one process.
 *
 *   npm run build && npm run bench:startup             # 5 runs, SQLite
 *   npx tsx bench/startup.ts --runs 10 --idle-ms 3000
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    "idle-ms": { type: "string", default: "2000" },
  },
});

/** `npm start`'s command: node, its flags, the compiled entry and `serve`. */
const START = (JSON.parse(readFileSync("package.json", "utf8")).scripts.start as string).split(/\s+/);
if (START[0] !== "node") throw new Error(`npm start does not run node directly: ${START.join(" ")}`);
const ENTRY = START.find((word) => word.endsWith(".js")) ?? "dist/main.js";

const READY_MS = 1000;
const IDLE_MB = 100;

/** The URL the server prints once it listens. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`the server exited (${code}) before listening:\n${out}`)));
  });
}

/** Resident set size in MB, from /proc (Linux) or ps. */
function rssMb(pid: number): number {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(status, "utf8"))?.[1];
    return Number(kb) / 1024;
  }
  throw new Error("no /proc: measure RSS with ps on this system");
}

/**
 * CPU time the process has used (user + system), in ms: what startup costs, which a busy machine
 * disturbs far less than the wall-clock time.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function firstAnswer(url: string): Promise<void> {
  const res = await fetch(`${url}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools",
    },
    body: JSON.stringify({ MaxResults: 1 }),
  });
  if (res.status !== 200) throw new Error(`ListUserPools answered ${res.status}: ${await res.text()}`);
}

interface Run {
  readyMs: number;
  cpuMs: number;
  idleMb: number;
}

async function oneRun(): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), "cognate-startup-"));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...START.slice(1), "--port", "0", "--data-dir", dataDir, "--log-level", "error"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  try {
    await firstAnswer(await listeningUrl(child));
    const readyMs = performance.now() - started;
    const cpu = cpuMs(child.pid!);
    await new Promise((resolve) => setTimeout(resolve, Number(args["idle-ms"])));
    return { readyMs, cpuMs: cpu, idleMb: rssMb(child.pid!) };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!existsSync(ENTRY)) {
  process.stderr.write(`${ENTRY} is missing: run npm run build (npm install does) first\n`);
  process.exit(1);
}
const runs: Run[] = [];
for (let i = 0; i < Number(args.runs); i++) {
  const run = await oneRun();
  runs.push(run);
  process.stdout.write(
    `run ${i + 1}: ready in ${run.readyMs.toFixed(0)} ms (${run.cpuMs} ms CPU), idle RSS ${run.idleMb.toFixed(1)} MB\n`,
  );
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ready = median(runs.map((r) => r.readyMs));
const cpu = median(runs.map((r) => r.cpuMs));
const idle = median(runs.map((r) => r.idleMb));
process.stdout.write(
  `${START.join(" ")}\nmedian: ready in ${ready.toFixed(0)} ms (target < ${READY_MS}; ${cpu} ms CPU), idle RSS ${idle.toFixed(1)} MB (target < ${IDLE_MB}), one process\n`,
);
