/**
 * Liveness and readiness, for a process supervisor and a load balancer. `/health`: the process
 * serves HTTP (200 whatever the database does, so a supervisor does not restart a server that
 * would recover by itself). `/ready`: it can serve requests, that is its store answers and is
 * migrated; 503 otherwise, so a balancer sends the traffic elsewhere meanwhile.
 */
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Services } from "../services.js";
import type { Readiness } from "../store/readiness.js";

/** `/ready` answers within this time: a database that does not answer is not ready. */
const READY_TIMEOUT_MS = 3000;

function withinTimeout(check: Promise<Readiness>): Promise<Readiness> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Readiness>((resolve) => {
    timer = setTimeout(
      () => resolve({ ready: false, reason: "the database does not answer" }),
      READY_TIMEOUT_MS,
    );
  });
  return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
}

export function registerHealth(app: FastifyInstance, services: Services, logger: Logger): void {
  app.get("/health", async () => ({ status: "ok" }));

  app.get("/ready", async (_req, reply) => {
    const check = await withinTimeout(services.store.ready());
    if (check.ready) return { status: "ready" };
    // The database's own words stay in the log: they may name hosts.
    logger.warn({ err: check.error, reason: check.reason }, "not ready");
    return reply.code(503).send({ status: "unavailable", reason: check.reason });
  });
}
