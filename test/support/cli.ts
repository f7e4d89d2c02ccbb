/**
 * The command line as a user runs it, in a child process: from the sources through tsx, or the
 * compiled server (dist/, what `npm start` runs). Only the environment given reaches it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const COMPILED_ENTRY = `${ROOT}dist/main.js`;
/** A hang detector for the child process, not a performance bound. */
const CHILD_TIMEOUT_MS = 60_000;
const LISTENING = /Cognate is listening on (http:\/\/\S+) \(region (\S+),/;

export interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** `npm run build`, for a checkout where `npm install` has not built dist/ yet. */
export function ensureCompiled(): void {
  if (existsSync(COMPILED_ENTRY)) return;
  const run = spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`npm run build failed:\n${run.stdout}${run.stderr}`);
}

/** Runs `cognate <args>`; `compiled` runs dist/main.js with node alone. */
export function cognate(
  args: string[],
  options: { env?: Record<string, string>; compiled?: boolean; nodeFlags?: string[] } = {},
): Cli {
  const entry = options.compiled ? [COMPILED_ENTRY] : ["--import", "tsx", "src/main.ts"];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...entry, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, COGNATE_LOG_LEVEL: "warn", ...options.env },
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (c) => {
    out += c;
  });
  child.stderr?.on("data", (c) => {
    err += c;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
  const exit = new Promise<number | null>((resolve) => {
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Waits for the listening line; returns the URL and the region it reports. */
export async function listeningAt(cli: Cli): Promise<{ url: string; region: string }> {
  for (;;) {
    const m = cli.stdout().match(LISTENING);
    if (m) return { url: m[1], region: m[2] };
    const exited = await Promise.race([
      cli.exit.then(() => true),
      new Promise((r) => setTimeout(r, 50, false)),
    ]);
    if (exited) throw new Error(`exited before listening: ${cli.stderr()}`);
  }
}

/** Waits for the listening line; returns the URL it reports. */
export async function listening(cli: Cli): Promise<string> {
  return (await listeningAt(cli)).url;
}

export async function stop(cli: Cli, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  cli.child.kill(signal);
  return cli.exit;
}

/** The whole output of a command that ends by itself. */
export async function run(
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = cognate(args, options);
  const code = await cli.exit;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}
