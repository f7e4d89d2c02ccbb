/**
 * PostgreSQL statement timeout (store.statementTimeoutMs): a write that waits on a row lock another
 * session holds is cancelled by the database at the configured bound; its request answers
 * InternalErrorException, and the same connections serve the next requests once the lock is gone.
 * The bound is set in the configuration, or by COGNATE_DATABASE_STATEMENT_TIMEOUT_MS for the
 * command line.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognate, listening, stop } from "../../support/cli.js";
import {
  createTestSchema,
  dropTestSchema,
  POSTGRES_SKIP_MESSAGE,
  postgresReachable,
  schemaDatabaseUrl,
} from "../../support/postgres.js";
import { startTestServer } from "../../support/server.js";
import { type App, adminSignIn, api, call, createApp, createUser } from "./support.js";

const postgres = await postgresReachable();

/** A server on `databaseUrl` with one connection and a 300 ms statement timeout; its URL. */
type Start = (databaseUrl: string) => Promise<{ url: string; stop: () => Promise<unknown> }>;

const starts: [string, Start][] = [
  [
    "store.statementTimeoutMs",
    async (databaseUrl) => {
      // One connection: the request after the cancelled one runs on the very connection it used.
      const server = await startTestServer({ store: { databaseUrl, poolSize: 1, statementTimeoutMs: 300 } });
      return { url: server.url, stop: () => server.stop() };
    },
  ],
  [
    "COGNATE_DATABASE_STATEMENT_TIMEOUT_MS",
    async (databaseUrl) => {
      const dataDir = mkdtempSync(join(tmpdir(), "cognate-timeout-"));
      const cli = cognate(["serve", "--port", "0"], {
        env: {
          COGNATE_DATA_DIR: dataDir,
          COGNATE_DATABASE_URL: databaseUrl,
          COGNATE_DATABASE_POOL_SIZE: "1",
          COGNATE_DATABASE_STATEMENT_TIMEOUT_MS: "300",
        },
      });
      return {
        url: await listening(cli),
        stop: async () => {
          await stop(cli);
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  ],
];

describe.skipIf(!postgres).each(starts)(
  postgres ? "PostgreSQL statement timeout (%s)" : `PostgreSQL statement timeout: ${POSTGRES_SKIP_MESSAGE}`,
  (_setting, start) => {
    let schema: string;
    let server: Awaited<ReturnType<Start>>;
    let app: App;

    beforeAll(async () => {
      schema = await createTestSchema();
      server = await start(schemaDatabaseUrl(schema));
      app = await createApp(server.url);
      await createUser(server.url, app, "user");
    });

    afterAll(async () => {
      await server?.stop();
      if (schema) await dropTestSchema(schema);
    });

    /** Another session's transaction holding the user's row (`select … for update`) until released. */
    async function holdUserRow() {
      const other = new pg.Client({ connectionString: schemaDatabaseUrl(schema) });
      await other.connect();
      await other.query("begin");
      const { rowCount } = await other.query(
        "select 1 from users where pool_id = $1 and username = $2 for update",
        [app.poolId, "user"],
      );
      expect(rowCount).toBe(1);
      return {
        async release() {
          await other.query("rollback");
          await other.end();
        },
      };
    }

    const rename = (name: string) =>
      api(server.url, "AdminUpdateUserAttributes", {
        UserPoolId: app.poolId,
        Username: "user",
        UserAttributes: [{ Name: "name", Value: name }],
      });

    async function nameOf(): Promise<string | undefined> {
      const user = await call(server.url, "AdminGetUser", { UserPoolId: app.poolId, Username: "user" });
      return (user.UserAttributes as { Name: string; Value: string }[]).find((a) => a.Name === "name")?.Value;
    }

    it("cancels a write stuck behind a lock with InternalErrorException, and serves again once it is released", async () => {
      const lock = await holdUserRow();
      try {
        const stuck = await rename("Never");
        expect(stuck).toMatchObject({ status: 500, error: "InternalErrorException" });
        expect(stuck.body.message).toBe("An internal error occurred.");
      } finally {
        await lock.release();
      }
      expect(await nameOf()).toBeUndefined();
      expect((await rename("After")).status).toBe(200);
      expect(await nameOf()).toBe("After");
      expect((await adminSignIn(server.url, app, "user")).status).toBe(200);
    });
  },
);
