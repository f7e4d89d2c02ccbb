/**
 * Endpoints for test suites, served only where `testing.resetEndpoint` is true and only to
 * loopback callers (docs/OPERATIONS.md):
 *   POST /_cognate/reset                      {"poolId"?} — removes one pool or all, then the seed is applied again
 *   POST /_cognate/snapshots/<name>           — saves the SQLite database as <dataDir>/snapshots/<name>.db
 *   POST /_cognate/snapshots/<name>/restore   — puts it back
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Services } from "../services.js";
import { SnapshotsUnsupported } from "../store/snapshots.js";

export interface TestingHooks {
  /** Removes one pool (or all) and applies the seed again; returns the removed ids. */
  reset(poolId?: string): Promise<string[]>;
  /** Forgets what the server caches about pools, after a restore. */
  forgetPools(): Promise<void>;
}

const SNAPSHOT_NAME = /^[\w-]{1,64}$/;

function isLoopbackAddress(ip: string): boolean {
  return ip === "::1" || ip.startsWith("127.") || ip.startsWith("::ffff:127.");
}

function refused(req: FastifyRequest, reply: FastifyReply): boolean {
  if (isLoopbackAddress(req.ip)) return false;
  reply.code(403).send({ message: "the testing endpoints answer loopback callers only" });
  return true;
}

function snapshotFile(services: Services, name: string): string {
  const dir = join(services.config.store.dataDir, "snapshots");
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.db`);
}

async function withSnapshot(
  services: Services,
  req: FastifyRequest<{ Params: { name: string } }>,
  reply: FastifyReply,
  work: (file: string) => Promise<void>,
) {
  if (refused(req, reply)) return reply;
  if (!SNAPSHOT_NAME.test(req.params.name)) return reply.code(400).send({ message: "bad snapshot name" });
  try {
    await work(snapshotFile(services, req.params.name));
  } catch (error) {
    if (error instanceof SnapshotsUnsupported) return reply.code(501).send({ message: error.message });
    throw error;
  }
  return { snapshot: req.params.name };
}

/** `{"poolId": …}` in the body (kept raw, as every body of this app is), if any. */
function poolIdOf(body: unknown): string | undefined {
  let parsed: unknown = body;
  if (Buffer.isBuffer(body)) {
    try {
      parsed = body.length > 0 ? JSON.parse(body.toString("utf8")) : {};
    } catch {
      parsed = {};
    }
  }
  const poolId = (parsed as { poolId?: unknown } | null)?.poolId;
  return typeof poolId === "string" ? poolId : undefined;
}

export function registerTesting(app: FastifyInstance, services: Services, hooks: TestingHooks): void {
  if (!services.config.testing.resetEndpoint) return;
  app.post("/_cognate/reset", async (req, reply) => {
    if (refused(req, reply)) return reply;
    return { reset: await hooks.reset(poolIdOf(req.body)) };
  });
  app.post<{ Params: { name: string } }>("/_cognate/snapshots/:name", (req, reply) =>
    withSnapshot(services, req, reply, async (file) => {
      rmSync(file, { force: true });
      await services.store.snapshots.save(file);
    }),
  );
  app.post<{ Params: { name: string } }>("/_cognate/snapshots/:name/restore", (req, reply) =>
    withSnapshot(services, req, reply, async (file) => {
      if (!existsSync(file)) throw new SnapshotsUnsupported(`no snapshot ${req.params.name}`);
      await services.store.snapshots.restore(file);
      await hooks.forgetPools();
    }),
  );
}
