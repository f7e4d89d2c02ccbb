/**
 * Load benchmark: sign-in (AdminInitiateAuth, SRP), refresh, and the OAuth token endpoint and code
 * flow, over a set of users, at several concurrency levels, with 1 and with 2 worker processes.
 * Not a test: it measures and prints requests/s, p50/p95/p99 latency, errors, the peak memory of
 * each worker, the CPU time per request of the servers it started (every process and thread) and of
 * the bench itself, and the floor: what the request's unavoidable cryptography costs on this machine,
 * measured in the same run (bench/floor.ts). On a shared machine requests/s depend on the other load;
 * CPU per request much less.
 *
 *   npm run bench                                   # every scenario, 32 clients, 100,000 users, 1 and 2 workers
 *   npm run bench -- --scenario password --clients 1,8,32 --pool-sizes 1000 --workers 1 --seconds 5
 *   npm run bench -- --postgres postgres://postgres@127.0.0.1:5432/postgres --instances 2
 *   npm run bench -- --entry dist/src/main.js         # the compiled server, without tsx
 *   npm run bench -- --targets http://127.0.0.1:9229,http://127.0.0.1:9230 --database-url postgres://…
 *
 * Without --targets it starts its own servers (child processes, `--workers N` each): one on SQLite
 * in a temporary directory, or --instances of them sharing a fresh PostgreSQL database made on the
 * --postgres server (dropped afterwards), restarted on the same data for each worker count. The load
 * is spread across the targets round-robin, client by client.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Target, Workload } from "./client.js";
import { type Floor, floorOf, measureFloor } from "./floor.js";
import { type OAuthSetup, oauthScenarios, setUpOAuth } from "./oauth.js";
import { scenarios } from "./scenarios.js";
import {
  freshPostgresDatabase,
  peakMemoryMb,
  type ServerProcess,
  serverWorkers,
  startServer,
  stopServer,
  treeCpuMs,
} from "./servers.js";
import { type BenchPool, seedFillerUsers, setUpPool } from "./setup.js";

const { values: args } = parseArgs({
  options: {
    scenario: { type: "string", default: "all" },
    clients: { type: "string", default: "32" },
    users: { type: "string", default: "100" },
    "pool-sizes": { type: "string", default: "100000" },
    seconds: { type: "string", default: "10" },
    /** Seconds of load before each scenario's first measured run, not counted (the JIT warms up). */
    warmup: { type: "string", default: "3" },
    workers: { type: "string", default: "1,2" },
    targets: { type: "string" },
    "database-url": { type: "string" },
    postgres: { type: "string" },
    instances: { type: "string", default: "1" },
    /** The server's entry point: src/main.ts through tsx, or a compiled main.js run by node alone. */
    entry: { type: "string", default: "src/main.ts" },
    /** Node's flags for the server, space-separated: `--node-args=--max-semi-space-size=4` as npm start runs it. */
    "node-args": { type: "string", default: "" },
  },
});

/** Where the bench's own servers keep their data, kept across their restarts. */
async function ownData(): Promise<{
  store: { dataDir: string } | { databaseUrl: string };
  cleanUp(): Promise<void>;
}> {
  if (args.postgres) {
    const db = await freshPostgresDatabase(args.postgres);
    return { store: { databaseUrl: db.url }, cleanUp: () => db.drop() };
  }
  const dataDir = mkdtempSync(join(tmpdir(), "cognate-bench-"));
  return { store: { dataDir }, cleanUp: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** The bench's servers with `workers` processes each; the first alone, so that it alone migrates a fresh database. */
async function startOwnServers(
  store: { dataDir: string } | { databaseUrl: string },
  workers: number,
): Promise<ServerProcess[]> {
  const count = "databaseUrl" in store ? Number(args.instances) : 1;
  const nodeArgs = args["node-args"].split(" ").filter(Boolean);
  const servers = [await startServer(store, nodeArgs, workers, args.entry)];
  for (let i = 1; i < count; i++) servers.push(await startServer(store, nodeArgs, workers, args.entry));
  return servers;
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
    p95: percentile(latencies, 95).toFixed(1),
    p99: percentile(latencies, 99).toFixed(1),
    requests: latencies.length,
    errors,
  };
}

type Scenario = (targets: Target[], pool: BenchPool, oauth: OAuthSetup) => Promise<Workload>;

const ALL_SCENARIOS: Record<string, Scenario> = { ...scenarios, ...oauthScenarios };

function formatFloor(floor: Floor): string {
  return `${floor.exponentiation.toFixed(3)} ms per exponentiation, ${floor.signature.toFixed(3)} ms per RS256 signature`;
}

async function main() {
  const clientLevels = args.clients.split(",").map(Number);
  const poolSizes = args["pool-sizes"].split(",").map(Number);
  const workerCounts = args.targets ? [0] : args.workers.split(",").map(Number);
  const seconds = Number(args.seconds);
  const userCount = Number(args.users);
  const chosen = args.scenario === "all" ? Object.keys(ALL_SCENARIOS) : args.scenario.split(",");
  for (const name of chosen) if (!ALL_SCENARIOS[name]) throw new Error(`no scenario ${name}`);

  let floor = measureFloor();
  console.log(`floor (this machine, now): ${formatFloor(floor)}`);
  const data = args.targets ? undefined : await ownData();
  let servers: ServerProcess[] = [];
  let targets: Target[] = [];
  const connect = (urls: string[]) => {
    for (const t of targets) t.agent.destroy();
    targets = urls.map((url) => ({ url, agent: new Agent({ keepAlive: true, maxSockets: 256 }) }));
  };
  const store = data ? data.store : { databaseUrl: args["database-url"] };
  const peakMemory = () =>
    data
      ? servers
          .map((server) =>
            serverWorkers(server.child.pid)
              .map((pid) => peakMemoryMb(pid) ?? "n/a")
              .join("/"),
          )
          .join("+")
      : "n/a";
  const serversCpuMs = () =>
    data ? servers.reduce((sum, server) => sum + treeCpuMs(server.child.pid), 0) : Number.NaN;
  const perRequest = (ms: number, requests: number) =>
    Number.isNaN(ms) ? "n/a" : (ms / requests).toFixed(2);

  console.log(`${userCount} signing-in users; ${seconds} s per run`);
  console.log(
    "pool size | workers | scenario | clients | req/s | p50 ms | p95 ms | p99 ms | requests | errors | peak MB per worker | server CPU ms/req | floor ms/req (exp / sig) | CPU / floor | bench CPU ms/req",
  );
  try {
    let seeded = 0;
    let pool: BenchPool | undefined;
    let oauth: OAuthSetup | undefined;
    for (const poolSize of poolSizes) {
      for (const workers of workerCounts) {
        if (data) {
          await Promise.all(servers.map(stopServer));
          servers = await startOwnServers(data.store, workers);
          connect(servers.map((server) => server.url));
        } else if (targets.length === 0) {
          connect((args.targets as string).split(","));
        }
        pool ??= await setUpPool(targets[0], userCount);
        oauth ??= await setUpOAuth(targets[0], pool);
        if (poolSize > seeded + userCount) {
          await seedFillerUsers(store, pool.poolId, seeded, poolSize - userCount);
          seeded = poolSize - userCount;
        }
        for (const name of chosen) {
          const workload = await ALL_SCENARIOS[name](targets, pool, oauth);
          await drive(targets, workload, Math.max(...clientLevels), Number(args.warmup));
          // Again now: on a shared machine the cost of the same arithmetic drifts within minutes.
          floor = measureFloor();
          const least = floorOf(name, floor);
          for (const clients of clientLevels) {
            const [serverCpu, benchCpu] = [serversCpuMs(), process.cpuUsage()];
            const r = await drive(targets, workload, clients, seconds);
            const serverMs = (serversCpuMs() - serverCpu) / r.requests;
            const used = process.cpuUsage(benchCpu);
            const bench = perRequest((used.user + used.system) / 1000, r.requests);
            console.log(
              [
                poolSize,
                workers || "n/a",
                name,
                clients,
                r.rps,
                r.p50,
                r.p95,
                r.p99,
                r.requests,
                r.errors,
                peakMemory(),
                Number.isNaN(serverMs) ? "n/a" : serverMs.toFixed(2),
                `${least.toFixed(2)} (${floor.exponentiation.toFixed(2)} / ${floor.signature.toFixed(2)})`,
                Number.isNaN(serverMs) ? "n/a" : (serverMs / least).toFixed(2),
                bench,
              ].join(" | "),
            );
          }
        }
      }
    }
    console.log(`floor at the end: ${formatFloor(measureFloor())}`);
  } finally {
    for (const t of targets) t.agent.destroy();
    await Promise.all(servers.map(stopServer));
    await data?.cleanUp();
  }
}

await main();
