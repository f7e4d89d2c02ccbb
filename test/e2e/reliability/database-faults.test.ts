/**
 * A database that goes away under load. PostgreSQL: its backends killed, then made unreachable
 * (a TCP proxy between the server and it, cut and restored). The server, a child process, stays
 * up, answers what it cannot serve with InternalErrorException (never a hang), says 503 on /ready
 * while the database is out of reach, and recovers by itself. SQLite: a second connection holding
 * the write lock makes writes wait (on timers: reads are served meanwhile), then fail cleanly, and
 * work again once released.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildServer, startChildServer } from "../../support/child-server.js";
import {
  createTestSchema,
  dropTestSchema,
  postgresReachable,
  schemaDatabaseUrl,
  testDatabaseUrl,
} from "../../support/postgres.js";
import { startTcpProxy, type TcpProxy } from "../../support/tcp-proxy.js";
import {
  type Answer,
  type App,
  adminSignIn,
  api,
  call,
  createApp,
  createUser,
  eventually,
  HANG_MS,
} from "./support.js";

/** How long the server has to recover once the database is back. */
const RECOVERY_LIMIT_MS = 20_000;
const WORKERS = 4;

/** Sign-ins in a loop until stopped; every answer is kept. */
function signInLoad(url: string, app: App) {
  const answers: (Answer | Error)[] = [];
  let running = true;
  const worker = async () => {
    while (running) {
      answers.push(await adminSignIn(url, app, "user").catch((error: Error) => error));
    }
  };
  const workers = Promise.all(Array.from({ length: WORKERS }, worker));
  return {
    answers,
    async stop() {
      running = false;
      await workers;
    },
  };
}

function ready(url: string): Promise<number> {
  return fetch(`${url}/ready`, { signal: AbortSignal.timeout(HANG_MS) }).then((res) => res.status);
}

/** Every answer was a success or Cognito's internal error; none hung or broke the connection. */
function expectSuccessOrInternalError(answers: (Answer | Error)[]): void {
  const kinds = new Set(
    answers.map((a) => (a instanceof Error ? `transport: ${a.message}` : `${a.status} ${a.error ?? "ok"}`)),
  );
  for (const kind of kinds) expect(["200 ok", "500 InternalErrorException"]).toContain(kind);
}

const postgres = await postgresReachable();

describe.skipIf(!postgres)("PostgreSQL lost under load", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cognate-faults-"));
  const applicationName = `cognate_faults_${process.pid}`;
  let schema: string;
  let proxy: TcpProxy;
  let server: ChildServer;
  let app: App;

  beforeAll(async () => {
    schema = await createTestSchema();
    const target = new URL(testDatabaseUrl());
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(schemaDatabaseUrl(schema));
    url.port = String(proxy.port);
    url.searchParams.set("application_name", applicationName);
    server = await startChildServer({ dataDir, databaseUrl: url.toString() });
    app = await createApp(server.url);
    await createUser(server.url, app, "user");
  });

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    if (schema) await dropTestSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Kills the server's own backends (by application name: other tests share this database). */
  async function terminateBackends(): Promise<number> {
    const admin = new pg.Client({ connectionString: testDatabaseUrl() });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and application_name = $1",
        [applicationName],
      );
      return rows.length;
    } finally {
      await admin.end();
    }
  }

  it("survives its connections being killed, and serves again at once", async () => {
    const load = signInLoad(server.url, app);
    let killed = 0;
    for (let round = 0; round < 5; round++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      killed += await terminateBackends();
    }
    await load.stop();
    expect(killed).toBeGreaterThan(0);
    expect(server.exited).toBe(false);
    expectSuccessOrInternalError(load.answers);
    expect(
      await eventually(
        async () => (await adminSignIn(server.url, app, "user")).status === 200,
        RECOVERY_LIMIT_MS,
      ),
    ).toBe(true);
    expect(await ready(server.url)).toBe(200);
  });

  it("answers InternalErrorException and /ready 503 while the database is unreachable, then recovers", async () => {
    const load = signInLoad(server.url, app);
    await new Promise((resolve) => setTimeout(resolve, 300));
    proxy.cut();
    const during = load.answers.length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await ready(server.url)).toBe(503);
    const health = await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(HANG_MS) });
    expect(health.status).toBe(200);
    const refused = await adminSignIn(server.url, app, "user");
    expect(refused).toMatchObject({ status: 500, error: "InternalErrorException" });
    expect(load.answers.length).toBeGreaterThan(during);

    proxy.restore();
    expect(await eventually(async () => (await ready(server.url)) === 200, RECOVERY_LIMIT_MS)).toBe(true);
    expect(
      await eventually(
        async () => (await adminSignIn(server.url, app, "user")).status === 200,
        RECOVERY_LIMIT_MS,
      ),
    ).toBe(true);
    await load.stop();
    expect(server.exited).toBe(false);
    expectSuccessOrInternalError(load.answers);
    // What the load wrote before and after the cut is all there.
    const user = await call(server.url, "AdminGetUser", { UserPoolId: app.poolId, Username: "user" });
    expect(user.UserStatus).toBe("CONFIRMED");
  });
});

describe("SQLite locked by another connection", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cognate-busy-"));
  let server: ChildServer;
  let app: App;

  beforeAll(async () => {
    server = await startChildServer({ dataDir });
    app = await createApp(server.url);
    await createUser(server.url, app, "user");
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Another process's write transaction on the server's file, held until `release`. */
  function holdWriteLock() {
    const other = new SQLite(join(dataDir, "cognate.db"));
    other.exec("begin immediate");
    return {
      release() {
        other.exec("rollback");
        other.close();
      },
    };
  }

  it("waits for a lock held briefly, and succeeds", async () => {
    const lock = holdWriteLock();
    const write = api(server.url, "AdminUpdateUserAttributes", {
      UserPoolId: app.poolId,
      Username: "user",
      UserAttributes: [{ Name: "name", Value: "Waited" }],
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    lock.release();
    expect((await write).status).toBe(200);
    const user = await call(server.url, "AdminGetUser", { UserPoolId: app.poolId, Username: "user" });
    expect(user.UserAttributes).toContainEqual({ Name: "name", Value: "Waited" });
  });

  /** The server's statements waiting for the write lock now, from /metrics. */
  async function lockWaiting(): Promise<number> {
    const res = await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(HANG_MS) });
    const line = (await res.text()).split("\n").find((l) => l.startsWith("cognate_store_lock_waiting "));
    return Number(line?.split(" ")[1]);
  }

  it("serves reads while a write waits for the lock, then the write succeeds", async () => {
    const events: string[] = [];
    const lock = holdWriteLock();
    const write = api(server.url, "AdminCreateUser", {
      UserPoolId: app.poolId,
      Username: "patient",
      MessageAction: "SUPPRESS",
    }).finally(() => events.push("write answered"));
    try {
      // The write has reached the database and waits: the process answers /metrics meanwhile.
      expect(await eventually(async () => (await lockWaiting()) === 1, HANG_MS)).toBe(true);
      const read = await api(server.url, "AdminGetUser", { UserPoolId: app.poolId, Username: "user" });
      expect(read.status).toBe(200);
      events.push("read answered");
      const list = await api(server.url, "ListUsers", { UserPoolId: app.poolId });
      expect(list.status).toBe(200);
      events.push("list answered");
      expect((await fetch(`${server.url}/health`, { signal: AbortSignal.timeout(HANG_MS) })).status).toBe(
        200,
      );
      events.push("health answered");
      // The write still waits: the reads did not queue behind it.
      expect(await lockWaiting()).toBe(1);
    } finally {
      events.push("lock released");
      lock.release();
    }
    expect((await write).status).toBe(200);
    expect(events).toEqual([
      "read answered",
      "list answered",
      "health answered",
      "lock released",
      "write answered",
    ]);
    expect(await lockWaiting()).toBe(0);
    const user = await call(server.url, "AdminGetUser", { UserPoolId: app.poolId, Username: "patient" });
    expect(user.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
  });

  it("answers InternalErrorException for a lock never released, and serves again after", async () => {
    const lock = holdWriteLock();
    try {
      const write = await api(server.url, "AdminUpdateUserAttributes", {
        UserPoolId: app.poolId,
        Username: "user",
        UserAttributes: [{ Name: "name", Value: "Never" }],
      });
      expect(write).toMatchObject({ status: 500, error: "InternalErrorException" });
      expect(write.body.message).toBe("An internal error occurred.");
    } finally {
      lock.release();
    }
    expect(server.exited).toBe(false);
    expect((await adminSignIn(server.url, app, "user")).status).toBe(200);
    const user = await call(server.url, "AdminGetUser", { UserPoolId: app.poolId, Username: "user" });
    expect(user.UserAttributes).toContainEqual({ Name: "name", Value: "Waited" });
  });
});
