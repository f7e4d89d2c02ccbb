/**
 * Load benchmark of sign-in: AdminInitiateAuth over a set of users at several concurrency levels.
 * Not a test: it measures and prints requests/s, p50/p99 latency, errors and the server's peak memory.
 *
 *   npm run bench                                   # every scenario, 1/8/32 clients, pools of 1,000 and 100,000 users
 *   npm run bench -- --scenario password --clients 32 --pool-sizes 1000 --seconds 5
 *   npm run bench -- --targets http://127.0.0.1:9229,http://127.0.0.1:9230 --database-url postgres://…
 *
 * Without --targets it starts its own server (a child process, SQLite in a temporary directory).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Target, Workload } from "./client.js";
import { scenarios } from "./scenarios.js";
import { seedFillerUsers, setUpPool } from "./setup.js";

const { values: args } = parseArgs({
  options: {
    scenario: { type: "string", default: "all" },
    clients: { type: "string", default: "1,8,32" },
    users: { type: "string", default: "100" },
    "pool-sizes": { type: "string", default: "1000,100000" },
    seconds: { type: "string", default: "10" },
    targets: { type: "string" },
    "database-url": { type: "string" },
  },
});

interface ServerProcess {
  url: string;
  child: ChildProcess;
  dataDir: string;
}

async function startServer(): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), "cognate-bench-"));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/main.ts", "serve", "--port", "0", "--data-dir", dataDir, "--log-level", "warn"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, child, dataDir };
}

/** Peak resident memory of a process, from the kernel's accounting. */
function peakMemoryMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return undefined;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function drive(targets: Target[], workload: Workload, clients: number, seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      const target = targets[worker % targets.length];
      for (let i = 0; performance.now() < deadline; i++) {
        const start = performance.now();
        const ok = await workload.once(target, worker, i).catch(() => false);
        latencies.push(performance.now() - start);
        if (!ok) errors++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    rps: Math.round(latencies.length / seconds),
    p50: percentile(latencies, 50).toFixed(1),
    p99: percentile(latencies, 99).toFixed(1),
    requests: latencies.length,
    errors,
  };
}

async function main() {
  const clientLevels = args.clients.split(",").map(Number);
  const poolSizes = args["pool-sizes"].split(",").map(Number);
  const seconds = Number(args.seconds);
  const userCount = Number(args.users);
  const chosen = args.scenario === "all" ? Object.keys(scenarios) : args.scenario.split(",");

  const own = args.targets ? undefined : await startServer();
  const urls = args.targets ? args.targets.split(",") : [own!.url];
  const targets = urls.map((url) => ({ url, agent: new Agent({ keepAlive: true, maxSockets: 256 }) }));
  const store = own ? { dataDir: own.dataDir } : { databaseUrl: args["database-url"] };

  console.log(`targets: ${urls.join(", ")}; ${userCount} signing-in users; ${seconds} s per run`);
  console.log(
    "pool size | scenario | clients | req/s | p50 ms | p99 ms | requests | errors | server peak MB",
  );
  try {
    let seeded = 0;
    const pool = await setUpPool(targets[0], userCount);
    for (const poolSize of poolSizes) {
      if (poolSize > seeded + userCount) {
        await seedFillerUsers(store, pool.poolId, poolSize - userCount - seeded);
        seeded = poolSize - userCount;
      }
      for (const name of chosen) {
        const workload = await scenarios[name](targets, pool);
        for (const clients of clientLevels) {
          const r = await drive(targets, workload, clients, seconds);
          console.log(
            `${poolSize} | ${name} | ${clients} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.requests} | ${r.errors} | ${peakMemoryMb(own?.child.pid) ?? "n/a"}`,
          );
        }
      }
    }
  } finally {
    for (const t of targets) t.agent.destroy();
    if (own) {
      own.child.kill("SIGTERM");
      await new Promise((r) => own.child.once("exit", r));
      rmSync(own.dataDir, { recursive: true, force: true });
    }
  }
}

await main();
