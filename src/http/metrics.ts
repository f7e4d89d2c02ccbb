/** GET /metrics: this process's metrics in Prometheus' text format (docs/CONSOLE.md lists them). */
import type { FastifyInstance } from "fastify";
import type { Services } from "../services.js";

export function registerMetrics(app: FastifyInstance, services: Services): void {
  app.get("/metrics", async (_req, reply) => {
    const { contentType, body } = await services.metrics.scrape();
    return reply.header("content-type", contentType).header("cache-control", "no-store").send(body);
  });
}
