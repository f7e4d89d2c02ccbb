/**
 * The admin console at /console (src/console) and the page at `/` for browsers; an API call (POST
 * with X-Amz-Target) on these paths is still an API call.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { homePage } from "../console/home.js";
import type { ConsoleRequest } from "../console/request.js";
import { handleConsole } from "../console/routes.js";
import { parseCookies } from "../oauth/cookies.js";
import type { OperationCaller } from "../protocol/dispatch.js";
import type { Services } from "../services.js";

/** The console's pages set their own headers; the API's CORS must not let other sites read them. */
export const CONSOLE_ROUTE_CONFIG = { console: true };

export interface ConsoleOptions {
  services: Services;
  call: OperationCaller;
  rpc: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;
}

function consoleRequest(req: FastifyRequest): ConsoleRequest {
  const url = req.url;
  const at = url.indexOf("?");
  const path = (at === -1 ? url : url.slice(0, at)).slice("/console".length);
  const urlencoded = String(req.headers["content-type"] ?? "").startsWith(
    "application/x-www-form-urlencoded",
  );
  const body =
    req.method === "POST" && urlencoded && Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
  return {
    method: req.method,
    path,
    query: new URLSearchParams(at === -1 ? "" : url.slice(at + 1)),
    form: new URLSearchParams(body),
    headers: req.headers,
    cookies: parseCookies(req.headers.cookie),
    sourceIp: req.socket.remoteAddress ?? req.ip,
  };
}

export function registerConsole(app: FastifyInstance, options: ConsoleOptions): void {
  const { services, call, rpc } = options;

  app.get("/", { config: CONSOLE_ROUTE_CONFIG }, async (req, reply) => {
    // Only browsers get the page; other clients get what they always got.
    if (!String(req.headers.accept ?? "").includes("text/html")) return reply.callNotFound();
    const endpoint = req.headers.host ? `${req.protocol}://${req.headers.host}` : services.baseUrl;
    return reply
      .header("content-type", "text/html; charset=utf-8")
      .header(
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      )
      .send(homePage(services, endpoint));
  });

  if (!services.config.console.enabled) return;
  const handler = async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method === "POST" && req.headers["x-amz-target"] !== undefined) return rpc(req, reply);
    const response = await handleConsole({ services, call }, consoleRequest(req));
    if (response.cookies.length > 0) reply.header("set-cookie", response.cookies);
    return reply
      .code(response.status)
      .headers(response.headers)
      .send(response.body ?? "");
  };
  for (const url of ["/console", "/console/*"]) {
    app.route({ method: ["GET", "POST"], url, config: CONSOLE_ROUTE_CONFIG, handler });
  }
}
