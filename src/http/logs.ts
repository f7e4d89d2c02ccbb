/**
 * What the `memory` log-delivery sink keeps of a pool (ADMINISTRATION.md §3.4):
 * `GET /_cognate/logs/<userPoolId>[?source=userNotification|userAuthEvents]`, oldest first.
 */
import type { FastifyInstance } from "fastify";
import type { Services } from "../services.js";

/** The record's eventSource for each of the API's EventSource names. */
const SOURCES: Record<string, string> = {
  userNotification: "USER_NOTIFICATION",
  userAuthEvents: "USER_AUTH_EVENTS",
};

export function registerLogs(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { poolId: string }; Querystring: { source?: string } }>(
    "/_cognate/logs/:poolId",
    async (req) => {
      const source =
        req.query.source === undefined ? undefined : (SOURCES[req.query.source] ?? req.query.source);
      return { records: services.logSinks.recent(req.params.poolId, source) };
    },
  );
}
