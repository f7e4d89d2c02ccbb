/**
 * The only place that knows the web framework: the AWS JSON RPC endpoint (POST on any path),
 * CORS, health and readiness (health.ts), and the developer outbox.
 */
import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { CognitoError, Errors } from "../domain/errors.js";
import {
  errorResponse,
  type OperationCaller,
  type RpcRequest,
  type RpcResponse,
} from "../protocol/dispatch.js";
import type { Services } from "../services.js";
import { registerAssets } from "./assets.js";
import { registerAuthEventFeedback } from "./auth-event-feedback.js";
import { registerConsole } from "./console.js";
import { registerDomainEndpoints } from "./domain-endpoints.js";
import { registerHealth } from "./health.js";
import { registerLogs } from "./logs.js";
import { registerMetrics } from "./metrics.js";
import { registerTesting, type TestingHooks } from "./testing.js";
import { registerUserImport } from "./user-import.js";
import { registerWellKnown } from "./wellknown.js";

/** Cognito accepts bodies far larger than any valid request; beyond this it is not a request. */
const BODY_LIMIT = 8 * 1024 * 1024;

/** A request must arrive whole within this time, so a stalled client cannot hold a connection forever. */
const REQUEST_TIMEOUT_MS = 60_000;

const CORS_HEADERS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date",
};

const PREFLIGHT_HEADERS = {
  ...CORS_HEADERS,
  "access-control-allow-methods": "POST, GET, OPTIONS",
  "access-control-allow-headers":
    "content-type, x-amz-target, x-amz-user-agent, cache-control, pragma, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256, amz-sdk-invocation-id, amz-sdk-request",
  "access-control-max-age": "86400",
};

/** Errors the framework raises before the dispatcher runs, as the Cognito error a client can read. */
function asCognitoError(error: unknown): CognitoError {
  if (error instanceof CognitoError) return error;
  const { code, statusCode } = error as { code?: string; statusCode?: number };
  if (code === "FST_ERR_CTP_BODY_TOO_LARGE") return Errors.bodyTooLarge(BODY_LIMIT);
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) return Errors.malformedRequest();
  return Errors.internal();
}

/**
 * A request Node's HTTP parser cannot read (bad Content-Length, broken framing) never reaches
 * Fastify; answer it in the protocol's own form, then close the connection as Node does.
 */
function answerUnreadableRequest(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  if (socket.writable) {
    const response = errorResponse(Errors.malformedRequest(), randomUUID());
    const headers = Object.entries({ ...response.headers, ...CORS_HEADERS, connection: "close" })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    socket.write(
      `HTTP/1.1 400 Bad Request\r\n${headers}content-length: ${Buffer.byteLength(response.body)}\r\n\r\n${response.body}`,
    );
  }
  socket.destroy(error);
}

export interface AppOptions {
  dispatch: (request: RpcRequest) => Promise<RpcResponse>;
  /** The operations in process, for the console (which authenticates its operator itself). */
  call: OperationCaller;
  services: Services;
  logger: Logger;
  /** Serve HTTPS with this certificate and key (PEM) instead of HTTP. */
  https?: { cert: string; key: string };
  /** What the testing endpoints do (served only where configured). */
  testing?: TestingHooks;
}

export function buildApp(options: AppOptions): FastifyInstance {
  const { dispatch, call, services, logger } = options;
  const app = Fastify({
    ...(options.https && { https: options.https }),
    logger: false,
    // The domains' endpoints match in any letter case (/oauth2/userInfo, /oauth2/userinfo) [UNDOC].
    routerOptions: { caseSensitive: false },
    bodyLimit: BODY_LIMIT,
    requestTimeout: REQUEST_TIMEOUT_MS,
    clientErrorHandler: answerUnreadableRequest,
  });

  // Keep every body raw: SigV4 signs the exact bytes, and clients send several content types.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_req, body, done) => done(null, body));

  app.addHook("onSend", async (req, reply) => {
    // The domains' endpoints answer CORS themselves (domain-endpoints.ts); the console allows none.
    const route = req.routeOptions.config as { domainEndpoint?: boolean; console?: boolean } | undefined;
    if (route?.domainEndpoint || route?.console) return;
    reply.headers(CORS_HEADERS);
    if (!reply.hasHeader("x-amzn-requestid")) reply.header("x-amzn-requestid", randomUUID());
  });

  app.setErrorHandler((error, _req, reply) => {
    const response = errorResponse(asCognitoError(error), randomUUID());
    void reply.code(response.status).headers(response.headers).send(Buffer.from(response.body));
  });

  app.options("*", async (_req, reply) => reply.code(200).headers(PREFLIGHT_HEADERS).send());

  // An API call (it names an operation) by a method no route serves, GET or PUT: answered in the
  // protocol's form, as an operation this endpoint does not serve [UNDOC], rather than the
  // framework's own 404 that no client reads.
  app.setNotFoundHandler(async (req, reply) => {
    const target = req.headers["x-amz-target"];
    if (typeof target !== "string") {
      return reply
        .code(404)
        .send({ message: `Route ${req.method}:${req.url} not found`, error: "Not Found", statusCode: 404 });
    }
    const response = errorResponse(Errors.unknownOperation(`${req.method} ${target}`), randomUUID());
    return reply.code(response.status).headers(response.headers).send(Buffer.from(response.body));
  });

  async function rpc(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const response = await dispatch({
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      sourceIp: req.ip,
    });
    return reply
      .code(response.status)
      .headers({ ...response.headers, ...CORS_HEADERS })
      .send(Buffer.from(response.body));
  }

  app.post("*", rpc);
  registerDomainEndpoints(app, { services, logger, rpc });

  registerHealth(app, services, logger);

  registerWellKnown(app, services);
  registerAuthEventFeedback(app, services);
  registerAssets(app, services);
  registerUserImport(app, services);
  registerLogs(app, services);
  registerMetrics(app, services);
  registerConsole(app, { services, call, rpc });
  if (options.testing) registerTesting(app, services, options.testing);

  app.get("/_cognate/outbox", async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const messages = await services.store.outbox.list({
      poolId: q.poolId,
      username: q.username,
      destination: q.destination,
      limit: q.limit ? Math.min(Number(q.limit) || 100, 1000) : 100,
    });
    return { messages };
  });

  return app;
}
