/**
 * GET /metrics: the server's metrics in Prometheus' text format (docs/CONSOLE.md lists them): this
 * process's, or with worker processes all of theirs added up (metrics/cluster.ts).
 */
import type { FastifyInstance } from "fastify";
import { scrapeMetrics } from "../metrics/cluster.js";
import type { Services } from "../services.js";

export function registerMetrics(app: FastifyInstance, services: Services): void {
  app.get("/metrics", async (_req, reply) => {
    const scrape = await scrapeMetrics(services.metrics);
    reply.header("cache-control", "no-store");
    if (scrape.status !== 200)
      return reply.code(scrape.status).type("text/plain; charset=utf-8").send(scrape.body);
    return reply.header("content-type", scrape.contentType).send(scrape.body);
  });
}
