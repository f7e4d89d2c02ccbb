/**
 * /metrics of `cognate serve --workers 2` answers for the whole server, on SQLite and on
 * PostgreSQL: sign-ins answered by both workers (every call on a new connection; the request log
 * says which worker answered) are all counted on every scrape, whichever worker the scrape reaches.
 * A worker that does not report in time fails the scrape with 503 rather than showing part of the
 * numbers. (A single process's /metrics: test/e2e/console/metrics.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD } from "../../support/fixtures.js";
import {
  createTestSchema,
  dropTestSchema,
  postgresReachable,
  schemaDatabaseUrl,
} from "../../support/postgres.js";
import { parseExposition, type Sample, sampleValue } from "../../support/prometheus.js";
import { type Answer, startWorkerServer, type WorkerServer } from "../../support/workers.js";

const postgres = await postgresReachable();

/** Sign-ins made, each on a new connection: the primary hands them to both workers in turn. */
const SIGN_INS = 10;
/** Scrapes compared, each on a new connection too: both workers answer some. */
const SCRAPES = 6;

/** Every sample of `name` with `labels`, added up (e.g. a request counter over its outcomes). */
function total(samples: Sample[], name: string, labels: Record<string, string>): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

function clusterMetrics(database: "sqlite" | "postgres") {
  let server: WorkerServer;
  let schema: string | undefined;
  let poolId: string;
  let clientId: string;

  const ok = (answer: Answer) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    if (database === "postgres") schema = await createTestSchema();
    server = await startWorkerServer({ databaseUrl: schema && schemaDatabaseUrl(schema) });
    poolId = (ok(await server.call("CreateUserPool", { PoolName: "metrics" })).UserPool as { Id: string }).Id;
    clientId = (
      ok(
        await server.call("CreateUserPoolClient", {
          UserPoolId: poolId,
          ClientName: "app",
          ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
      ).UserPoolClient as { ClientId: string }
    ).ClientId;
    ok(
      await server.call("AdminCreateUser", {
        UserPoolId: poolId,
        Username: "alice",
        MessageAction: "SUPPRESS",
      }),
    );
    ok(
      await server.call("AdminSetUserPassword", {
        UserPoolId: poolId,
        Username: "alice",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
  }, 120_000);

  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    if (schema) await dropTestSchema(schema);
  });

  const signIn = (password: string) =>
    server.call("AdminInitiateAuth", {
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "alice", PASSWORD: password },
    });

  async function scrape(): Promise<Sample[]> {
    const answer = await server.getText("/metrics");
    expect(answer.status, answer.text).toBe(200);
    expect(answer.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseExposition(answer.text);
  }

  /** What every scrape must show of the sign-ins: all of them, from both workers. */
  function expectEverySignIn(samples: Sample[]) {
    const requests = { operation: "AdminInitiateAuth" };
    expect(total(samples, "cognate_requests_total", requests)).toBe(SIGN_INS + 1);
    expect(sampleValue(samples, "cognate_requests_total", { ...requests, outcome: "success" })).toBe(
      SIGN_INS,
    );
    expect(
      sampleValue(samples, "cognate_requests_total", { ...requests, outcome: "NotAuthorizedException" }),
    ).toBe(1);
    expect(
      sampleValue(samples, "cognate_sign_ins_total", { flow: "ADMIN_USER_PASSWORD_AUTH", result: "success" }),
    ).toBe(SIGN_INS);
    expect(sampleValue(samples, "cognate_request_duration_seconds_count", requests)).toBe(SIGN_INS + 1);
    expect(sampleValue(samples, "cognate_request_duration_seconds_bucket", { ...requests, le: "+Inf" })).toBe(
      SIGN_INS + 1,
    );
  }

  it("every scrape counts the requests of both workers, added up", async () => {
    const answeredBy = new Set<number>();
    for (let i = 0; i < SIGN_INS; i++) {
      const answer = await signIn(PASSWORD);
      ok(answer);
      answeredBy.add(answer.pid);
    }
    const failed = await signIn("Wrong-passw0rd");
    expect(failed.body.__type).toBe("NotAuthorizedException");
    // Either worker alone has fewer than all the sign-ins: a scrape of one would be short.
    expect(answeredBy.size).toBe(2);

    for (let i = 0; i < SCRAPES; i++) {
      const samples = await scrape();
      expectEverySignIn(samples);
      // One line per label set, added up: not each worker's lines one after the other.
      const lines = samples.map((s) => `${s.name}${JSON.stringify(s.labels)}`);
      expect(new Set(lines).size).toBe(lines.length);
      // prom-client's own choices for its process metrics: summed, one version, no start time.
      expect(samples.filter((s) => s.name === "nodejs_version_info")).toHaveLength(1);
      expect(sampleValue(samples, "process_resident_memory_bytes", {})).toBeGreaterThan(0);
      expect(samples.some((s) => s.name === "process_start_time_seconds")).toBe(false);
      const connections = sampleValue(samples, "cognate_store_connections", { state: "total" });
      if (database === "postgres") expect(connections).toBeGreaterThan(0);
      else expect(connections).toBeUndefined();
    }
  });

  it("a worker that does not report in time fails the scrape with 503; once it does, all again", async () => {
    // The primary hands connections in turn: after one answered by the worker to be stopped, the
    // other is next, so the scrape reaches the worker that runs, which asks the primary for all.
    const last = await server.call("ListUserPools", { MaxResults: 1 });
    ok(last);
    process.kill(last.pid, "SIGSTOP");
    try {
      const answer = await server.getText("/metrics");
      expect(answer.status).toBe(503);
      expect(answer.text).toMatch(/^metrics: 1 of 2 workers did not answer within 2000 ms/);
    } finally {
      process.kill(last.pid, "SIGCONT");
    }
    const samples = await scrape();
    expectEverySignIn(samples);
    expect(total(samples, "cognate_requests_total", { operation: "ListUserPools" })).toBe(1);
  });
}

describe("/metrics of two worker processes on SQLite", () => clusterMetrics("sqlite"));

if (!postgres) it.skip("/metrics of two worker processes on PostgreSQL: no PostgreSQL reachable", () => {});
describe.skipIf(!postgres)("/metrics of two worker processes on PostgreSQL", () =>
  clusterMetrics("postgres"),
);
