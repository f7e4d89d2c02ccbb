/**
 * `cognate serve --workers N`: N server processes behind one port (node:cluster). The primary does
 * the start work once (migrations, secrets at rest), forks the workers and hands each new connection
 * to the next one in turn; it serves nothing itself. Everything two requests must agree on is in
 * the store (docs/DEPLOYMENT.md, "What the instances share"), so the workers behave as one server.
 *
 * A worker that dies after it started listening is replaced (after a pause if replacements keep
 * failing); a worker that fails to start during startup stops the whole server with exit 1.
 * SIGTERM or SIGINT to the primary drains every worker (in-flight requests finish) and exits 0;
 * a second one kills them at once and exits 1. A scrape of /metrics on any worker answers for all of
 * them: the primary collects and adds up their registries (metrics/cluster.ts).
 */
import cluster, { type Worker } from "node:cluster";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { type Config, workerCount } from "../config/config.js";
import { tlsMaterial } from "../http/tls.js";
import { joinClusterMetrics, serveClusterMetrics } from "../metrics/cluster.js";
import { openPreparedStore, type RunningServer, startServer } from "../server.js";

/** Longest pause before replacing a worker again when replacements keep dying before they listen. */
const MAX_RESTART_DELAY_MS = 10_000;

/** Runs this process's part: the primary's, or one worker's. */
export async function serveWithWorkers(
  config: Config,
  announce: (url: string, workers: number) => void,
  stopOnSignals: (server: RunningServer) => void,
): Promise<void> {
  if (cluster.isWorker) return runWorker(config, stopOnSignals);
  return runPrimary(config, announce);
}

async function runWorker(config: Config, stopOnSignals: (server: RunningServer) => void): Promise<void> {
  // Ctrl-C in a terminal signals the whole process group: the primary alone decides how to stop.
  process.on("SIGINT", () => undefined);
  const server = await startServer(config);
  joinClusterMetrics(server.services.metrics);
  stopOnSignals(server);
}

function urlOf(config: Config, address: AddressInfo | { port: number }): string {
  const host = config.server.host.includes(":") ? `[${config.server.host}]` : config.server.host;
  return `http://${host}:${address.port}`;
}

async function runPrimary(config: Config, announce: (url: string, workers: number) => void): Promise<void> {
  const count = workerCount(config);
  const log = pino({ level: config.log.level });
  // Once for all: the workers then open a store with nothing left to migrate or reseal.
  const store = await openPreparedStore(config, log);
  await store.close();
  // A generated certificate is made here, so that every worker serves the same one.
  if (config.tls.port !== null) await tlsMaterial(config, new Date());

  const listening = new Set<Worker>();
  let started = false;
  let stopping = false;
  let exitCode = 0;
  let failedRestarts = 0;

  const fork = () => cluster.fork();
  serveClusterMetrics();

  cluster.on("listening", (worker, address) => {
    listening.add(worker);
    failedRestarts = 0;
    if (!started && listening.size === count) {
      started = true;
      announce(urlOf(config, address), count);
    }
  });

  cluster.on("exit", (worker, code, signal) => {
    const hadListened = listening.delete(worker);
    if (stopping) {
      if (code !== 0 && signal === null) exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(exitCode);
      return;
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!started) {
      process.stderr.write(`cognate: a worker failed to start (${how}); stopping\n`);
      stopAll("SIGTERM", 1);
      return;
    }
    process.stderr.write(`cognate: worker ${worker.process.pid} exited (${how}); starting another\n`);
    if (!hadListened) failedRestarts++;
    const delay = Math.min(MAX_RESTART_DELAY_MS, failedRestarts === 0 ? 0 : 250 * 2 ** failedRestarts);
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  /** Signals every worker; exits with `code` once they are gone. */
  function stopAll(signal: NodeJS.Signals, code: number) {
    stopping = true;
    exitCode = code;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    if (workers.length === 0) process.exit(code);
    for (const worker of workers) worker.process.kill(signal);
  }

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${signal}: stopping now, without waiting\n`);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGKILL");
      process.exit(1);
    }
    process.stdout.write(`${signal}: shutting down ${count} workers\n`);
    stopAll("SIGTERM", 0);
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));

  for (let i = 0; i < count; i++) fork();
}
