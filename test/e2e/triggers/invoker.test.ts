/**
 * The Lambda invoker on its own: module functions in worker threads (async, callback and CommonJS
 * handlers, TypeScript, load failures, crashes, the deadline) and functions behind the Lambda
 * Invoke API (answers, function errors, service errors, resolution, signing).
 */
import { writeFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type LambdaConfig, lambdaConfigSchema } from "../../../src/config/lambda.js";
import { ConfiguredInvoker } from "../../../src/triggers/invoke.js";
import type { InvocationOutcome } from "../../../src/triggers/outcomes.js";
import { FunctionDir, functionArn, functionError, LambdaEndpoint } from "./support.js";

const dir = new FunctionDir();
let invokers: ConfiguredInvoker[] = [];

function invokerFor(config: Partial<LambdaConfig>): ConfiguredInvoker {
  const invoker = new ConfiguredInvoker(lambdaConfigSchema.parse(config), "us-east-1");
  invokers.push(invoker);
  return invoker;
}

function moduleInvoker(name: string, path: string, extra: Partial<LambdaConfig> = {}) {
  return invokerFor({ functions: { [name]: { module: path } }, ...extra });
}

function payloadOf(outcome: InvocationOutcome): unknown {
  if (outcome.kind !== "returned") throw new Error(`expected an answer, got ${JSON.stringify(outcome)}`);
  return JSON.parse(outcome.payload);
}

afterEach(async () => {
  await Promise.all(invokers.map((i) => i.close()));
  invokers = [];
});
afterAll(() => dir.remove());

describe("module functions", () => {
  it("run the handler with the event and a Lambda context, and answer what it returns", async () => {
    const path = dir.module(
      "echo",
      "return { event, context: { functionName: context.functionName, arn: context.invokedFunctionArn, " +
        "requestId: context.awsRequestId, remaining: context.getRemainingTimeInMillis(), version: context.functionVersion } };",
    );
    const invoker = moduleInvoker("echo", path);
    const out = payloadOf(await invoker.invoke(functionArn("echo"), { hello: "world" })) as {
      event: unknown;
      context: Record<string, unknown>;
    };
    expect(out.event).toEqual({ hello: "world" });
    expect(out.context.functionName).toBe("echo");
    expect(out.context.arn).toBe(functionArn("echo"));
    expect(out.context.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.context.version).toBe("$LATEST");
    expect(out.context.remaining).toBeGreaterThan(0);
    expect(out.context.remaining).toBeLessThanOrEqual(5000);
    expect(dir.onlyEvent("echo")).toEqual({ hello: "world" });
  });

  it("run TypeScript modules", async () => {
    const path = dir.module(
      "typed",
      "interface E { n: number }\nexport const handler = async (event: E): Promise<E> => ({ n: event.n + 1 });\n",
      { extension: ".ts", raw: true },
    );
    expect(payloadOf(await moduleInvoker("typed", path).invoke(functionArn("typed"), { n: 41 }))).toEqual({
      n: 42,
    });
  });

  it("run CommonJS modules with callback-style handlers", async () => {
    const path = dir.module(
      "callback",
      "exports.handler = function (event, context, callback) { setTimeout(() => callback(null, { got: event.n }), 1); };\n",
      { extension: ".cjs", raw: true },
    );
    expect(
      payloadOf(await moduleInvoker("callback", path).invoke(functionArn("callback"), { n: 7 })),
    ).toEqual({
      got: 7,
    });
  });

  it("report a thrown error, or one passed to the callback, as a function error", async () => {
    const thrower = dir.module("thrower", "throw new TypeError('no such customer');");
    expect(await moduleInvoker("thrower", thrower).invoke(functionArn("thrower"), {})).toEqual({
      kind: "failed",
      errorType: "TypeError",
      errorMessage: "no such customer",
    });
    const caller = dir.module(
      "caller",
      "exports.handler = (event, context, callback) => callback('plain text');\n",
      { extension: ".cjs", raw: true },
    );
    expect(await moduleInvoker("caller", caller).invoke(functionArn("caller"), {})).toEqual({
      kind: "failed",
      errorType: "string",
      errorMessage: "plain text",
    });
  });

  it("keep a worker between invocations, as a warm Lambda environment", async () => {
    const path = dir.module(
      "counter",
      "let calls = 0;\nexport const handler = async () => ({ calls: ++calls });\n",
      {
        raw: true,
      },
    );
    const invoker = moduleInvoker("counter", path);
    expect(payloadOf(await invoker.invoke(functionArn("counter"), {}))).toEqual({ calls: 1 });
    expect(payloadOf(await invoker.invoke(functionArn("counter"), {}))).toEqual({ calls: 2 });
  });

  it("report a module that cannot be loaded, and load it afresh once it is fixed", async () => {
    const path = dir.module("broken", "export const notTheHandler = 1;\n", { raw: true });
    const invoker = moduleInvoker("broken", path);
    const first = await invoker.invoke(functionArn("broken"), {});
    expect(first).toMatchObject({ kind: "failed", errorType: "Runtime.HandlerNotFound" });
    writeFileSync(path, "export const handler = async () => ({ fixed: true });\n");
    expect(payloadOf(await invoker.invoke(functionArn("broken"), {}))).toEqual({ fixed: true });
  });

  it("report a runtime that exits as a function error, and start a new one", async () => {
    const path = dir.module("exiter", "if (event.exit) process.exit(3);\nreturn { alive: true };");
    const invoker = moduleInvoker("exiter", path);
    expect(await invoker.invoke(functionArn("exiter"), { exit: true })).toEqual({
      kind: "failed",
      errorType: "Runtime.ExitError",
      errorMessage: "Runtime exited with error: exit status 3",
    });
    expect(payloadOf(await invoker.invoke(functionArn("exiter"), {}))).toEqual({ alive: true });
  });

  it("report a runtime that runs out of memory as Lambda does, and start a new one", async () => {
    const path = dir.module(
      "hoarder",
      "if (event.hoard) { const h = []; for (;;) h.push(new Array(1_000_000).fill(h.length)); }\nreturn { alive: true };",
    );
    // A deadline far beyond the time the heap limit takes to be reached.
    const invoker = moduleInvoker("hoarder", path, { timeoutMs: 60_000 });
    expect(await invoker.invoke(functionArn("hoarder"), { hoard: true })).toEqual({
      kind: "failed",
      errorType: "Runtime.ExitError",
      errorMessage: "Runtime exited with error: signal: killed",
    });
    expect(payloadOf(await invoker.invoke(functionArn("hoarder"), {}))).toEqual({ alive: true });
  });

  it("give up on a function at the deadline without holding up other invocations of it", async () => {
    const path = dir.module(
      "sleeper",
      "if (event.hang) await new Promise(() => setInterval(() => {}, 1000));\nreturn { ok: true };",
    );
    // Long enough for a second worker to start beside the hanging one on a loaded machine.
    const invoker = moduleInvoker("sleeper", path, { timeoutMs: 5000 });
    let hangingSettled = false;
    const hanging = invoker.invoke(functionArn("sleeper"), { hang: true }).then((outcome) => {
      hangingSettled = true;
      return outcome;
    });
    expect(payloadOf(await invoker.invoke(functionArn("sleeper"), {}))).toEqual({ ok: true });
    expect(hangingSettled).toBe(false);
    expect(await hanging).toEqual({
      kind: "unavailable",
      reason: "Socket timeout while invoking Lambda function",
    });
    expect(payloadOf(await invoker.invoke(functionArn("sleeper"), {}))).toEqual({ ok: true });
  });

  it("are found by full ARN before function name", async () => {
    const byName = dir.module("by-name", "return { by: 'name' };");
    const byArn = dir.module("by-arn", "return { by: 'arn' };");
    const invoker = invokerFor({
      functions: { shared: { module: byName }, [functionArn("shared", "eu-west-1")]: { module: byArn } },
    });
    expect(payloadOf(await invoker.invoke(functionArn("shared", "eu-west-1"), {}))).toEqual({ by: "arn" });
    expect(payloadOf(await invoker.invoke(functionArn("shared"), {}))).toEqual({ by: "name" });
  });

  it("are not found when neither configured nor served by a default endpoint", async () => {
    expect(await invokerFor({}).invoke(functionArn("nowhere"), {})).toEqual({
      kind: "unavailable",
      reason: "ResourceNotFoundException",
    });
  });
});

describe("functions behind the Lambda Invoke API", () => {
  let endpoint: LambdaEndpoint;
  beforeAll(async () => {
    endpoint = await new LambdaEndpoint({
      answer: (event) => ({ ...event, response: { answered: true } }),
      fails: () => functionError("Bad password", "UserError"),
      garbage: () => ({ body: "not json at all" }),
    }).start();
  });
  afterAll(async () => endpoint.stop());

  it("answer with the function's output", async () => {
    const invoker = invokerFor({ endpoint: endpoint.url });
    const outcome = await invoker.invoke(functionArn("answer"), { request: { a: "1" } });
    expect(payloadOf(outcome)).toEqual({ request: { a: "1" }, response: { answered: true } });
    const request = endpoint.requests.at(-1);
    expect(request?.functionName).toBe("answer");
    expect(request?.headers["x-amz-invocation-type"]).toBe("RequestResponse");
    expect(request?.headers.authorization).toBeUndefined();
  });

  it("report X-Amz-Function-Error as a function error with the body's message and type", async () => {
    expect(await invokerFor({ endpoint: endpoint.url }).invoke(functionArn("fails"), {})).toEqual({
      kind: "failed",
      errorType: "UserError",
      errorMessage: "Bad password",
    });
  });

  it("pass output that is not JSON on unchanged, for the trigger to refuse", async () => {
    expect(await invokerFor({ endpoint: endpoint.url }).invoke(functionArn("garbage"), {})).toEqual({
      kind: "returned",
      payload: "not json at all",
    });
  });

  it("report the Lambda service's error, or the connection's, as the reason it could not run", async () => {
    expect(await invokerFor({ endpoint: endpoint.url }).invoke(functionArn("missing"), {})).toEqual({
      kind: "unavailable",
      reason: "ResourceNotFoundException",
    });
    const closed = new LambdaEndpoint({});
    await closed.start();
    await closed.stop();
    expect(await invokerFor({ endpoint: closed.url }).invoke(functionArn("answer"), {})).toEqual({
      kind: "unavailable",
      reason: "ECONNREFUSED",
    });
  });

  it("invoke a listed function at its own endpoint under its own name, with the ARN's qualifier", async () => {
    const invoker = invokerFor({
      endpoint: "http://127.0.0.1:9",
      functions: { "legacy-name": { endpoint: endpoint.url, functionName: "answer" } },
    });
    const outcome = await invoker.invoke(`${functionArn("legacy-name")}:live`, {});
    expect(outcome.kind).toBe("returned");
    expect(endpoint.requests.at(-1)).toMatchObject({ functionName: "answer", qualifier: "live" });
  });

  it("sign requests with SigV4 for AWS Lambda when credentials are configured", async () => {
    const invoker = invokerFor({
      endpoint: endpoint.url,
      credentials: { accessKeyId: "AKIDLAMBDA", secretAccessKey: "lambda-secret" },
    });
    await invoker.invoke(functionArn("answer", "eu-central-1"), {});
    const authorization = String(endpoint.requests.at(-1)?.headers.authorization);
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLAMBDA\/\d{8}\/eu-central-1\/lambda\/aws4_request, SignedHeaders=.*host.*, Signature=[0-9a-f]{64}$/,
    );
  });
});
