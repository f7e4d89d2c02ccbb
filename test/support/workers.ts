/**
 * `cognate serve --workers N` as a child process, for the tests of worker processes: every call
 * goes over a new connection (no keep-alive), so the primary hands successive calls to successive
 * workers, and the debug log of each request (which carries its process id and request id) tells
 * which worker answered it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callApi, send } from "./raw-http.js";

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  /** The process id of the worker that answered. */
  pid: number;
}

export interface WorkerServer {
  url: string;
  /** One AWS JSON 1.1 call on a new connection. */
  call(operation: string, body: unknown): Promise<Answer>;
  /** A call on a worker other than `pid`'s (the primary hands connections round-robin). */
  callElsewhere(pid: number, operation: string, body: unknown): Promise<Answer>;
  /** GET on a new connection; JSON answer. */
  get(path: string): Promise<unknown>;
  /** GET on a new connection; the answer's status, content type and text. */
  getText(path: string): Promise<{ status: number; contentType: string; text: string }>;
  /** Every worker process id that answered a call so far. */
  served(): Set<number>;
  stop(): Promise<number | null>;
}

/** A connection lost with a dying worker fails the call instead of waiting forever. */
const NO_ANSWER_MS = 20_000;

async function post(url: string, operation: string, payload: unknown) {
  const answer = await callApi(url, operation, payload, { agent: false, timeoutMs: NO_ANSWER_MS });
  return { ...answer, requestId: String(answer.headers["x-amzn-requestid"]) };
}

export async function startWorkerServer(
  options: { workers?: number; databaseUrl?: string } = {},
): Promise<WorkerServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "cognate-workers-"));
  const store = options.databaseUrl ? ["--database-url", options.databaseUrl] : ["--data-dir", dataDir];
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "src/main.ts", "serve", "--port", "0", "--workers", String(options.workers ?? 2)]
      .concat(store)
      .concat(["--log-level", "debug"]),
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  /** Request id → the pid of the worker that logged it. */
  const servedBy = new Map<string, number>();
  const waiting = new Map<string, (pid: number) => void>();
  let pending = "";
  let url: string | undefined;
  const started = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const listening = line.match(/listening on (http:\/\/\S+)/);
        if (listening) resolve(listening[1]);
        if (!line.startsWith("{")) continue;
        const entry = JSON.parse(line) as { msg?: string; requestId?: string; pid: number };
        if (entry.msg !== "request" || !entry.requestId) continue;
        servedBy.set(entry.requestId, entry.pid);
        waiting.get(entry.requestId)?.(entry.pid);
      }
    });
    child.once("exit", (code) => reject(new Error(`cognate serve --workers exited with ${code}`)));
  });
  url = await started;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  /** The worker that answered: its request line may reach the pipe just after the answer. */
  const pidOf = (requestId: string) =>
    new Promise<number>((resolve) => {
      const known = servedBy.get(requestId);
      if (known !== undefined) resolve(known);
      else waiting.set(requestId, resolve);
    });

  const call = async (operation: string, body: unknown): Promise<Answer> => {
    const answer = await post(url as string, operation, body);
    return { status: answer.status, body: answer.body, pid: await pidOf(answer.requestId) };
  };

  /** GET on a new connection: the answer's status, content type and text. */
  const getText = async (path: string) => {
    const answer = await send(url as string, path, { agent: false, timeoutMs: NO_ANSWER_MS });
    return { status: answer.status, contentType: String(answer.headers["content-type"]), text: answer.text };
  };

  return {
    url,
    call,
    async callElsewhere(pid, operation, body) {
      // A cheap call that lands on `pid` puts the other worker next in the primary's turn.
      for (let tries = 0; tries < 8; tries++) {
        if ((await call("ListUserPools", { MaxResults: 1 })).pid === pid) break;
      }
      return call(operation, body);
    },
    get: async (path) => JSON.parse((await getText(path)).text),
    getText,
    served: () => new Set(servedBy.values()),
    async stop() {
      child.kill("SIGTERM");
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}
