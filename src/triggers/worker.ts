/**
 * One Lambda execution environment in a worker thread: loads the function's module once, then runs
 * `handler(event, context)` for each invocation the pool sends, one at a time, as the Node.js Lambda
 * runtime does (async handlers, callbacks, and the legacy context.succeed / fail / done).
 */
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import type { InvocationRequest, WorkerReply } from "./worker-protocol.js";

type Callback = (error?: unknown, result?: unknown) => void;
type Handler = (event: unknown, context: unknown, callback: Callback) => unknown;

const modulePath: string = workerData.modulePath;
const TYPESCRIPT = /\.[cm]?tsx?$/;

async function loadHandler(): Promise<Handler> {
  const url = pathToFileURL(modulePath).href;
  // tsx only for a TypeScript function: a JavaScript one loads without it.
  const loaded = TYPESCRIPT.test(modulePath)
    ? await (await import("tsx/esm/api")).tsImport(url, url)
    : await import(url);
  // A CommonJS module imported as ESM puts its exports under `default`.
  const handler = loaded.handler ?? loaded.default?.handler;
  if (typeof handler !== "function") {
    throw Object.assign(new Error(`${modulePath} does not export a function named handler`), {
      name: "Runtime.HandlerNotFound",
    });
  }
  return handler as Handler;
}

/** Loaded on the first invocation (the cold start), then kept. */
let handler: Promise<Handler> | undefined;

/** What the Lambda runtime reports for a thrown value: its name and message. */
function describeError(error: unknown): { errorType: string; errorMessage: string } {
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message };
  if (typeof error === "string") return { errorType: "string", errorMessage: error };
  return { errorType: typeof error, errorMessage: String(error) };
}

function lambdaContext(request: InvocationRequest, settle: Callback) {
  const { context } = request;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: context.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: "128",
    awsRequestId: context.awsRequestId,
    logGroupName: `/aws/lambda/${context.functionName}`,
    logStreamName: context.awsRequestId,
    getRemainingTimeInMillis: () => Math.max(context.deadline - Date.now(), 0),
    done: settle,
    succeed: (result: unknown) => settle(null, result),
    fail: (error: unknown) => settle(error ?? new Error("fail")),
  };
}

/**
 * Runs the handler; an async handler's promise decides, otherwise the callback (or, for a handler
 * that takes no callback, its return value). The first answer wins.
 */
function run(fn: Handler, request: InvocationRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle: Callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const returned = fn(request.event, lambdaContext(request, settle), settle);
    if (returned && typeof (returned as PromiseLike<unknown>).then === "function") {
      (returned as PromiseLike<unknown>).then(
        (result) => settle(null, result),
        (error) => settle(error ?? new Error("Promise rejected")),
      );
    } else if (fn.length < 3) {
      // No promise and no callback: the return value is the answer (after a synchronous
      // context.succeed, which settled first).
      setImmediate(() => settle(null, returned));
    }
  });
}

async function invoke(request: InvocationRequest): Promise<WorkerReply> {
  let fn: Handler;
  try {
    handler ??= loadHandler();
    fn = await handler;
  } catch (error) {
    return { id: request.id, kind: "failed", ...describeError(error), fatal: true };
  }
  try {
    const result = await run(fn, request);
    return { id: request.id, kind: "returned", payload: JSON.stringify(result ?? null) };
  } catch (error) {
    return { id: request.id, kind: "failed", ...describeError(error) };
  }
}

parentPort?.on("message", async (request: InvocationRequest) => {
  parentPort?.postMessage(await invoke(request));
});
