/**
 * Trigger functions for the tests: modules written to a temporary directory (each records the
 * events it receives in a file next to it), and a Lambda-Invoke-compatible HTTP endpoint.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigInput } from "../../../src/config/config.js";
import { startTestServer, type TestServer } from "../../support/server.js";

export class FunctionDir {
  readonly path = mkdtempSync(join(tmpdir(), "cognate-functions-"));

  /**
   * Writes a module whose handler records each event, then runs `body` (the handler's body, with
   * `event` and `context` in scope). Returns the module's path.
   */
  module(name: string, body: string, options: { extension?: string; raw?: boolean } = {}): string {
    const file = join(this.path, `${name}${options.extension ?? ".mjs"}`);
    const log = this.logFile(name);
    const source = options.raw
      ? body
      : `import { appendFileSync } from "node:fs";\n` +
        `export const handler = async (event, context) => {\n` +
        `  appendFileSync(${JSON.stringify(log)}, JSON.stringify(event) + "\\n");\n` +
        `${body}\n};\n`;
    writeFileSync(file, source);
    return file;
  }

  logFile(name: string): string {
    return join(this.path, `${name}.events.jsonl`);
  }

  /** Every event the named function received, oldest first. */
  events(name: string): Record<string, unknown>[] {
    const file = this.logFile(name);
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }

  /** The one event the named function received; fails when it received none or several. */
  onlyEvent(name: string): Record<string, unknown> {
    const events = this.events(name);
    if (events.length !== 1) throw new Error(`${name} received ${events.length} events, not 1`);
    return events[0];
  }

  clear(name: string): void {
    rmSync(this.logFile(name), { force: true });
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** The ARN a pool names a test function by. */
export function functionArn(name: string, region = "us-east-1"): string {
  return `arn:aws:lambda:${region}:123456789012:function:${name}`;
}

export interface InvokeRequest {
  functionName: string;
  qualifier: string | null;
  headers: IncomingMessage["headers"];
  event: Record<string, unknown>;
}

/** What a function behind the endpoint does with an event: answer it, or fail as a function. */
export type EndpointFunction = (
  event: Record<string, unknown>,
) => { status?: number; headers?: Record<string, string>; body: string } | Record<string, unknown>;

/** A minimal AWS Lambda Invoke API: POST /2015-03-31/functions/{name}/invocations. */
export class LambdaEndpoint {
  readonly requests: InvokeRequest[] = [];
  private server?: Server;
  url = "";

  constructor(readonly functions: Record<string, EndpointFunction>) {}

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const url = new URL(req.url ?? "/", "http://localhost");
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(url.pathname);
      const name = match ? decodeURIComponent(match[1]) : "";
      const fn = req.method === "POST" ? this.functions[name] : undefined;
      if (!fn) {
        res.writeHead(404, {
          "x-amzn-errortype": "ResourceNotFoundException",
          "content-type": "application/json",
        });
        res.end(JSON.stringify({ Type: "User", message: `Function not found: ${name}` }));
        return;
      }
      const event = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      this.requests.push({
        functionName: name,
        qualifier: url.searchParams.get("Qualifier"),
        headers: req.headers,
        event,
      });
      const answer = fn(event);
      if (typeof answer.body === "string" && !("response" in answer)) {
        const raw = answer as { status?: number; headers?: Record<string, string>; body: string };
        res.writeHead(raw.status ?? 200, raw.headers ?? {});
        res.end(raw.body);
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** A function error as the Invoke API reports it. */
export function functionError(errorMessage: string, errorType = "Error") {
  return {
    headers: { "x-amz-function-error": "Unhandled", "content-type": "application/json" },
    body: JSON.stringify({ errorMessage, errorType }),
  };
}

/**
 * A server whose pools' functions are test modules: `define` writes a module and makes its ARN
 * (`functionArn(name)`) run it. Each test uses its own names: a module, once loaded by a worker,
 * stays loaded.
 */
export class TriggerHarness {
  readonly functions = new FunctionDir();

  private constructor(readonly server: TestServer) {}

  static async start(overrides: ConfigInput = {}): Promise<TriggerHarness> {
    return new TriggerHarness(await startTestServer(overrides));
  }

  /** Writes the module (see FunctionDir.module) and returns the ARN that names it. */
  define(name: string, body: string, options: { extension?: string; raw?: boolean } = {}): string {
    const path = this.functions.module(name, body, options);
    // The invoker reads lambda.functions at each call, so a function can be added to a running server.
    this.server.services.config.lambda.functions[name] = { module: path };
    return functionArn(name);
  }

  events(name: string) {
    return this.functions.events(name);
  }

  onlyEvent(name: string) {
    return this.functions.onlyEvent(name);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    this.functions.remove();
  }
}

/** A handler body that records the event and returns it unchanged. */
export const RETURN_EVENT = "return event;";
