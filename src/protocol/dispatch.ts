/**
 * AWS JSON 1.1 without HTTP: (target, raw body, context) → (status, headers, body).
 * Finds the operation in the generated table, checks IAM signatures, validates the input,
 * runs the handler and shapes the output or the error as Cognito does.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { CognitoError, Errors } from "../domain/errors.js";
import { SUCCESS } from "../metrics/metrics.js";
import type { CompleteHandlerTable, RequestContext } from "../operations/types.js";
import type { Services } from "../services.js";
import { OPERATIONS, type OperationName, SERVICE } from "./model.generated.js";
import { serializeOutput } from "./serialize.js";
import { validateInput } from "./validate.js";

export interface RpcRequest {
  method: string;
  /** Path with the query string, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
}

export interface RpcResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Checks the SigV4 signature of an IAM-authorized request; returns the region of its scope, if any. */
export type IamAuthorizer = (request: RpcRequest, now: Date) => Promise<string | undefined>;

export interface DispatcherOptions {
  handlers: CompleteHandlerTable;
  services: Services;
  authorizeIam: IamAuthorizer;
  defaultRegion: string;
  logger: Logger;
}

const CONTENT_TYPE = "application/x-amz-json-1.1";

function headerValue(headers: RpcRequest["headers"], name: string): string {
  const v = headers[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
}

function operationOf(target: string): OperationName {
  const prefix = `${SERVICE.targetPrefix}.`;
  const name = target.startsWith(prefix) ? target.slice(prefix.length) : "";
  if (!Object.hasOwn(OPERATIONS, name)) throw Errors.unknownOperation(target);
  return name as OperationName;
}

/** Fatal: a body that is not UTF-8 is refused, not silently repaired with U+FFFD. */
const UTF8 = new TextDecoder("utf-8", { fatal: true });

function parseBody(body: Buffer): unknown {
  let text: string;
  try {
    text = UTF8.decode(body).trim();
  } catch {
    throw Errors.bodyNotUtf8();
  }
  if (text === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw Errors.bodyNotJson();
  }
}

/** Clients read the header with a small limit (Node: 16 KiB for all headers); the body keeps it all. */
const ERROR_MESSAGE_HEADER_MAX = 2048;

/** Header values must be printable ASCII and short; the body keeps the exact text. */
function headerSafe(message: string): string {
  const printable = message.replace(/[^\x20-\x7e]/g, "?");
  return printable.length > ERROR_MESSAGE_HEADER_MAX
    ? `${printable.slice(0, ERROR_MESSAGE_HEADER_MAX - 3)}...`
    : printable;
}

export function errorResponse(error: CognitoError, requestId: string): RpcResponse {
  return {
    status: error.status,
    headers: {
      "content-type": CONTENT_TYPE,
      "x-amzn-requestid": requestId,
      "x-amzn-errortype": `${error.type}:`,
      "x-amzn-errormessage": headerSafe(error.message),
    },
    body: JSON.stringify({ __type: error.type, message: error.message }),
  };
}

/** The metrics' outcome: the error type the response names, or success. */
function outcomeOf(response: RpcResponse): string {
  const type = response.headers["x-amzn-errortype"];
  return type === undefined ? SUCCESS : type.slice(0, type.indexOf(":"));
}

/** An operation called in process: its input as the wire's JSON, its output as the wire's JSON. */
export type OperationCaller = (
  operation: OperationName,
  input: Record<string, unknown>,
  connection: { sourceIp: string; headers?: RpcRequest["headers"] },
) => Promise<Record<string, unknown>>;

/**
 * The operations for callers inside the server that have already authenticated an operator (the
 * console): no HTTP and no signature, but the same validation, quotas and handlers as the API, so
 * they can do nothing the API would refuse. A refusal is thrown as the API's CognitoError.
 */
export function createOperationCaller(
  options: Pick<DispatcherOptions, "handlers" | "services" | "defaultRegion">,
): OperationCaller {
  const { handlers, services, defaultRegion } = options;
  return async (operation, given, connection) => {
    const ctx: RequestContext = {
      requestId: randomUUID(),
      now: services.clock(),
      region: defaultRegion,
      sourceIp: connection.sourceIp,
      headers: connection.headers ?? {},
      services,
    };
    // A JSON round trip, so that the input is exactly what the wire would carry.
    const input = validateInput(OPERATIONS[operation].input, JSON.parse(JSON.stringify(given)));
    services.requestRates.takeOperation(operation, input as Record<string, unknown>);
    const handler = handlers[operation] as (input: unknown, ctx: RequestContext) => Promise<unknown>;
    return (serializeOutput(await handler(input, ctx)) ?? {}) as Record<string, unknown>;
  };
}

export function createDispatcher(options: DispatcherOptions) {
  const { handlers, services, authorizeIam, defaultRegion, logger } = options;

  async function invoke(op: OperationName, request: RpcRequest, ctx: RequestContext): Promise<unknown> {
    const descriptor = OPERATIONS[op];
    const parsed = parseBody(request.body);
    if (descriptor.auth === "iam") ctx.region = (await authorizeIam(request, ctx.now)) ?? defaultRegion;
    const input = validateInput(descriptor.input, parsed);
    // Cognito's quotas, when configured: a throttled request is not run.
    ctx.services.requestRates.takeOperation(op, input as Record<string, unknown>);
    const handler = handlers[op] as (input: unknown, ctx: RequestContext) => Promise<unknown>;
    return serializeOutput(await handler(input, ctx));
  }

  return async function dispatch(request: RpcRequest): Promise<RpcResponse> {
    const requestId = randomUUID();
    const started = process.hrtime.bigint();
    let op: string = "unknown";
    let response: RpcResponse;
    try {
      const operation = operationOf(headerValue(request.headers, "x-amz-target"));
      op = operation;
      const ctx: RequestContext = {
        requestId,
        now: services.clock(),
        region: defaultRegion,
        sourceIp: request.sourceIp,
        headers: request.headers,
        services,
      };
      const output = await invoke(operation, request, ctx);
      response = {
        status: 200,
        headers: { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId },
        body: JSON.stringify(output ?? {}),
      };
    } catch (error) {
      if (error instanceof CognitoError) {
        response = errorResponse(error, requestId);
      } else {
        // Log the stack, never the request: its body may hold passwords and tokens.
        logger.error({ err: error, requestId, op }, "internal error");
        response = errorResponse(Errors.internal(), requestId);
      }
    }
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    services.metrics.request(op, outcomeOf(response), ms / 1000);
    logger.debug(
      { requestId, op, status: response.status, error: response.headers["x-amzn-errortype"], ms },
      "request",
    );
    return response;
  };
}
