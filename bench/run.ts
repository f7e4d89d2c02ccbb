/**
 * Load benchmark of sign-in: AdminInitiateAuth over a set of users at several concurrency levels.
 * Not a test: it measures and prints requests/s, p50/p99 latency, errors and the server's peak memory,
 * and the CPU time per request of the servers it started (every thread) and of the bench itself:
 * on a shared machine, requests/s depend on the other load, CPU per request much less.
 *
 *   npm run bench                                   # every scenario, 1/8/32 clients, pools of 1,000 and 100,000 users
 *   npm run bench -- --scenario password --clients 32 --pool-sizes 1000 --seconds 5
 *   npm run bench -- --postgres postgres://postgres@127.0.0.1:5432/postgres --instances 2
 *   npm run bench -- --targets http://127.0.0.1:9229,http://127.0.0.1:9230 --database-url postgres://…
 *
 * Without --targets it starts its own servers (child processes): one on SQLite in a temporary
 * directory, or --instances of them sharing a fresh PostgreSQL database made on the --postgres server
 * (dropped afterwards). The load is spread across the targets round-robin, client by client.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Target, Workload } from "./client.js";
import { scenarios } from "./scenarios.js";
import {
  cpuMs,
  freshPostgresDatabase,
  peakMemoryMb,
  type ServerProcess,
  startServer,
  stopServer,
} from "./servers.js";
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
    postgres: { type: "string" },
    instances: { type: "string", default: "1" },
  },
});

/** The servers the bench runs itself, and where their data lives. */
async function startOwnServers(): Promise<{
  servers: ServerProcess[];
  store: { dataDir?: string; databaseUrl?: string };
  cleanUp(): Promise<void>;
}> {
  if (args.postgres) {
    const db = await freshPostgresDatabase(args.postgres);
    // One instance first, so that it alone migrates the fresh database.
    const servers = [await startServer({ databaseUrl: db.url })];
    for (let i = 1; i < Number(args.instances); i++) servers.push(await startServer({ databaseUrl: db.url }));
    return {
      servers,
      store: { databaseUrl: db.url },
      async cleanUp() {
        await Promise.all(servers.map(stopServer));
        await db.drop();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), "cognate-bench-"));
  const servers = [await startServer({ dataDir })];
  return {
    servers,
    store: { dataDir },
    async cleanUp() {
      await Promise.all(servers.map(stopServer));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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

  const own = args.targets ? undefined : await startOwnServers();
  const urls = own ? own.servers.map((server) => server.url) : (args.targets as string).split(",");
  const targets = urls.map((url) => ({ url, agent: new Agent({ keepAlive: true, maxSockets: 256 }) }));
  const store = own ? own.store : { databaseUrl: args["database-url"] };
  const peakMemory = () =>
    own ? own.servers.map((server) => peakMemoryMb(server.child.pid) ?? "n/a").join("+") : "n/a";
  const serversCpuMs = () =>
    own ? own.servers.reduce((sum, server) => sum + cpuMs(server.child.pid), 0) : Number.NaN;
  const perRequest = (ms: number, requests: number) =>
    Number.isNaN(ms) ? "n/a" : (ms / requests).toFixed(2);

  console.log(`targets: ${urls.join(", ")}; ${userCount} signing-in users; ${seconds} s per run`);
  console.log(
    "pool size | scenario | clients | req/s | p50 ms | p99 ms | requests | errors | server peak MB | server CPU ms/req | bench CPU ms/req",
  );
  try {
    let seeded = 0;
    const pool = await setUpPool(targets[0], userCount);
    for (const poolSize of poolSizes) {
      if (poolSize > seeded + userCount) {
        await seedFillerUsers(store, pool.poolId, seeded, poolSize - userCount);
        seeded = poolSize - userCount;
      }
      for (const name of chosen) {
        const workload = await scenarios[name](targets, pool);
        for (const clients of clientLevels) {
          const [serverCpu, benchCpu] = [serversCpuMs(), process.cpuUsage()];
          const r = await drive(targets, workload, clients, seconds);
          const server = perRequest(serversCpuMs() - serverCpu, r.requests);
          const used = process.cpuUsage(benchCpu);
          const bench = perRequest((used.user + used.system) / 1000, r.requests);
          console.log(
            `${poolSize} | ${name} | ${clients} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.requests} | ${r.errors} | ${peakMemory()} | ${server} | ${bench}`,
          );
        }
      }
    }
  } finally {
    for (const t of targets) t.agent.destroy();
    await own?.cleanUp();
  }
}

await main();
