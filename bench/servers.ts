/** The bench's own servers: `cognate serve` child processes, their data, and what the kernel says they used. */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";

export interface ServerProcess {
  url: string;
  child: ChildProcess;
}

/**
 * Starts `cognate serve` on a free port, on SQLite in `dataDir` or on `databaseUrl`, with Node's
 * `nodeArgs`, as `workers` processes behind the port.
 */
export async function startServer(
  where: { dataDir: string } | { databaseUrl: string },
  nodeArgs: string[] = [],
  workers = 1,
  /** The server's entry: TypeScript through tsx (the default), or compiled JavaScript run by node alone. */
  entry = "src/main.ts",
): Promise<ServerProcess> {
  const store = "dataDir" in where ? ["--data-dir", where.dataDir] : ["--database-url", where.databaseUrl];
  const loader = entry.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      ...loader,
      entry,
      "serve",
      "--port",
      "0",
      "--workers",
      String(workers),
      ...store,
      "--log-level",
      "warn",
    ],
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
  return { url, child };
}

export async function stopServer(server: ServerProcess): Promise<void> {
  server.child.kill("SIGTERM");
  await new Promise((r) => server.child.once("exit", r));
}

/** A fresh database on the PostgreSQL server of `adminUrl`; returns its URL and how to drop it. */
export async function freshPostgresDatabase(
  adminUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: pg } = await import("pg");
  const name = `cognate_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Peak resident memory of a process, from the kernel's accounting. */
export function peakMemoryMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1]);
    return Math.round(kb / 1024);
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, in ms) a process has used so far, all its threads included. Divided by
 * the requests of a run, it measures the server's cost per request even on a busy machine, where
 * requests per second mostly measure the other load.
 */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** The live child processes of `pid`, from the kernel. */
function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return text ? text.split(" ").map(Number) : [];
  } catch {
    return [];
  }
}

/** `pid` and every live process under it. */
export function processTree(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  return [pid, ...childrenOf(pid).flatMap((child) => processTree(child))];
}

function isNode(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "node";
  } catch {
    return false;
  }
}

/**
 * The processes that serve requests: the server itself, or with several workers the workers (the
 * primary only hands connections over; tsx's esbuild helper is no server).
 */
export function serverWorkers(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const workers = childrenOf(pid).filter(isNode);
  return workers.length > 0 ? workers : [pid];
}

/** CPU time (ms) of `pid` and every live process under it. */
export function treeCpuMs(pid: number | undefined): number {
  return processTree(pid).reduce((sum, p) => sum + cpuMs(p), 0);
}
