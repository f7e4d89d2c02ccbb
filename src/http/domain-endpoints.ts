/**
 * The pools' domains over HTTP (OAUTH.md §1.5, §2): every endpoint of src/oauth/routes.ts on a
 * domain's own host, in the path form `/_domain/<domain>/<endpoint>` on any host, and bare on this
 * server's host for the pool of the app client the request names. A POST that carries
 * `X-Amz-Target` is an API call whatever its path, and goes to the dispatcher.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { decodeRs256 } from "../crypto/jwt.js";
import { PATH_FORM_PREFIX, preferredDomain } from "../domain/domains.js";
import { poolIdOfIssuer } from "../domain/tokens.js";
import { parseCookies } from "../oauth/cookies.js";
import { type EndpointRequest, type EndpointResponse, Params } from "../oauth/endpoint.js";
import { DOMAIN_ROUTES, type DomainRoute } from "../oauth/routes.js";
import { domainByName, domainOfClient, domainOfHost, isPrefixDomainHost, type Site } from "../oauth/site.js";
import { PAGE_CSP } from "../pages/layout.js";
import type { Services } from "../services.js";

/** Marks a route as a domain endpoint, so the API's CORS headers stay off it. */
export const DOMAIN_ROUTE_CONFIG = { domainEndpoint: true };

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  // The pages' URLs carry the authorization request; the app's callback carries the code.
  "referrer-policy": "no-referrer",
};

function queryOf(url: string): string {
  const at = url.indexOf("?");
  return at < 0 ? "" : url.slice(at + 1);
}

function formOf(req: FastifyRequest): Params | undefined {
  const type = String(req.headers["content-type"] ?? "").toLowerCase();
  if (req.method !== "POST" || !type.startsWith("application/x-www-form-urlencoded")) return undefined;
  return new Params(Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "");
}

/** The client a bare endpoint request names: in the query, the form, or the Basic credentials. */
function namedClientId(req: FastifyRequest, query: Params, form: Params | undefined): string | undefined {
  const named = query.get("client_id") ?? form?.get("client_id");
  if (named) return named;
  const authorization = String(req.headers.authorization ?? "");
  if (!/^basic /i.test(authorization)) return undefined;
  const decoded = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

/** The pool a bare userInfo request's bearer token was issued by. */
async function domainOfBearer(services: Services, req: FastifyRequest) {
  const token = /^bearer +(\S+)$/i.exec(String(req.headers.authorization ?? "").trim())?.[1];
  const iss = token ? decodeRs256(token)?.payload.iss : undefined;
  if (typeof iss !== "string") return undefined;
  const pool = await services.store.pools.get(poolIdOfIssuer(iss));
  const domain = pool && preferredDomain(await services.store.domains.listForPool(pool.id));
  return domain && pool ? { domain, pool } : undefined;
}

async function siteOf(
  services: Services,
  req: FastifyRequest,
  pathDomain: string | undefined,
  query: Params,
  form: Params | undefined,
): Promise<Site | undefined> {
  const secure = req.protocol === "https";
  if (pathDomain !== undefined) {
    const found = await domainByName(services, pathDomain);
    return found && { ...found, basePath: `${PATH_FORM_PREFIX}${found.domain.domain}`, secure };
  }
  const host = String(req.headers.host ?? "");
  const byHost = await domainOfHost(services, host);
  if (byHost) return { ...byHost, basePath: "", secure };
  // An unknown domain's host is not this server's own: no resolving by client there.
  if (isPrefixDomainHost(services, host)) return undefined;
  const clientId = namedClientId(req, query, form);
  const byClient = clientId ? await domainOfClient(services, clientId) : await domainOfBearer(services, req);
  return byClient && { ...byClient, basePath: "", secure };
}

function send(reply: FastifyReply, response: EndpointResponse, secure: boolean): FastifyReply {
  const headers: Record<string, string> = { ...SECURITY_HEADERS, ...response.headers };
  if (headers["content-type"]?.startsWith("text/html")) headers["content-security-policy"] = PAGE_CSP;
  if (secure) headers["strict-transport-security"] = "max-age=31536000";
  headers["x-amz-cognito-request-id"] = randomUUID();
  reply.code(response.status).headers(headers);
  if (response.cookies.length > 0) reply.header("set-cookie", response.cookies);
  return reply.send(response.body ?? "");
}

/** CORS for the endpoints browsers' scripts call: the request's origin, the methods and headers Amplify uses. */
function preflight(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const origin = String(req.headers.origin ?? "*");
  return reply
    .code(204)
    .headers({
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "authorization, content-type, x-amz-user-agent",
      "access-control-max-age": "86400",
      vary: "Origin",
    })
    .send();
}

export interface DomainEndpointOptions {
  services: Services;
  logger: Logger;
  /** Answers an API call that arrived on an endpoint path. */
  rpc: (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;
}

function notFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).header("content-type", "text/plain;charset=UTF-8").send("Not Found");
}

export function registerDomainEndpoints(app: FastifyInstance, options: DomainEndpointOptions): void {
  const { services, logger, rpc } = options;

  async function handle(req: FastifyRequest, reply: FastifyReply, route: DomainRoute): Promise<FastifyReply> {
    if (req.method === "POST" && req.headers["x-amz-target"] !== undefined) return rpc(req, reply);
    if (req.method === "OPTIONS") return route.cors ? preflight(req, reply) : reply.code(204).send();
    const handler = route[req.method as "GET" | "POST"];
    if (!handler)
      return reply
        .code(405)
        .header(
          "allow",
          Object.keys(route)
            .filter((m) => m !== "cors")
            .join(", "),
        )
        .send();
    const rawQuery = queryOf(req.url);
    const query = new Params(rawQuery);
    const form = formOf(req);
    const pathDomain = (req.params as { domain?: string }).domain;
    const site = await siteOf(services, req, pathDomain, query, form);
    if (!site) return notFound(reply);
    const request: EndpointRequest = {
      method: req.method,
      rawQuery,
      query,
      form,
      headers: req.headers,
      cookies: parseCookies(req.headers.cookie),
      sourceIp: req.ip,
      site,
      now: services.clock(),
      services,
    };
    try {
      const response = await handler(request);
      if (route.cors && req.headers.origin)
        response.headers["access-control-allow-origin"] = String(req.headers.origin);
      return send(reply, response, site.secure);
    } catch (error) {
      // Never the request: it carries passwords, codes and tokens.
      logger.error({ err: error, path: req.routeOptions.url }, "domain endpoint failed");
      return reply.code(500).header("content-type", "text/plain;charset=UTF-8").send("Internal Server Error");
    }
  }

  for (const [path, route] of Object.entries(DOMAIN_ROUTES)) {
    for (const url of [path, `${PATH_FORM_PREFIX}:domain${path}`]) {
      app.route({
        method: ["GET", "POST", "OPTIONS"],
        url,
        config: DOMAIN_ROUTE_CONFIG,
        handler: (req, reply) => handle(req, reply, route),
      });
    }
  }
}
