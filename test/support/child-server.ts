/**
 * The real server as a child process (`cognate serve` through tsx): for tests that must see it
 * survive a fault, or kill it outright, without taking the test runner with it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const LISTENING = /Cognate is listening on (http:\/\/\S+) \(/;

export interface ChildServer {
  process: ChildProcess;
  url: string;
  /** Resolves with the exit code (null when killed by a signal) once the process has ended. */
  exit: Promise<number | null>;
  /** Whether the process has ended. */
  readonly exited: boolean;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGKILL, then waits for the end. */
  kill(): Promise<void>;
  /** SIGTERM (a clean stop), then waits for the end. */
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  dataDir: string;
  databaseUrl?: string;
  logLevel?: string;
  /** A JSON configuration file. */
  configFile?: string;
  /** More environment variables (COGNATE_ENCRYPTION_KEY…). */
  env?: Record<string, string>;
}

export async function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const args = ["--import", "tsx", "src/main.ts", "serve", "--port", "0", "--data-dir", options.dataDir];
  args.push("--log-level", options.logLevel ?? "silent");
  if (options.configFile) args.push("--config", options.configFile);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(options.databaseUrl && { COGNATE_DATABASE_URL: options.databaseUrl }),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let exited = false;
  const exit = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      exited = true;
      resolve(code);
    }),
  );
  child.stderr?.on("data", (chunk) => {
    out += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const m = out.match(LISTENING);
      if (m) resolve(m[1]);
    });
    void exit.then(() => reject(new Error(`the server exited before listening:\n${out}`)));
  });
  return {
    process: child,
    url,
    exit,
    get exited() {
      return exited;
    },
    output: () => out,
    async kill() {
      if (!exited) child.kill("SIGKILL");
      await exit;
    },
    async stop() {
      if (!exited) child.kill("SIGTERM");
      await exit;
    },
  };
}
