/**
 * Crash safety: the server is killed with SIGKILL while sign-ins and refreshes are in flight; after
 * a restart on the same data, every refresh token a client had received still works.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  AdminInitiateAuthCommand,
  type CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestSchema,
  dropTestSchema,
  schemaDatabaseUrl,
  serversUsePostgres,
} from "../../support/postgres.js";
import { sdkClient, type TestServer } from "../../support/server.js";
import { createClient, createPool, createUser, PASSWORD } from "./support.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const LISTENING = /Cognate is listening on (http:\/\/\S+) \(/;
/** When the kill comes; the load goes on until then and stops at the first refused request. */
const KILL_AFTER_MS = 1500;
/** Bounds of the load: no worker starts a chain after this, nor more than MAX_CHAINS in all. */
const LOAD_LIMIT_MS = 10_000;
const WORKERS = 8;
const MAX_CHAINS = 400;

const dataDir = mkdtempSync(join(tmpdir(), "cognate-crash-"));
/** In the PostgreSQL pass the server keeps its data in a schema of its own; else SQLite in dataDir. */
let databaseUrl: string | undefined;
let schema: string | undefined;
beforeAll(async () => {
  if (!serversUsePostgres()) return;
  schema = await createTestSchema();
  databaseUrl = schemaDatabaseUrl(schema);
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (schema) await dropTestSchema(schema);
});

interface Child {
  process: ChildProcess;
  url: string;
  exit: Promise<void>;
}

async function startChild(): Promise<Child> {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "src/main.ts",
      "serve",
      "--port",
      "0",
      "--data-dir",
      dataDir,
      "--log-level",
      "silent",
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...(databaseUrl && { COGNATE_DATABASE_URL: databaseUrl }),
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exit = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      const m = out.match(LISTENING);
      if (m) resolve(m[1]);
    });
    void exit.then(() => reject(new Error("the server exited before listening")));
  });
  return { process: child, url, exit };
}

/** Kills the server once the load has run KILL_AFTER_MS and some chains have answered (bounded). */
async function killWhenBusy(child: Child, latest: Map<number, string>, until: number): Promise<void> {
  const start = Date.now();
  while (Date.now() < until && (Date.now() - start < KILL_AFTER_MS || latest.size < WORKERS)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.process.kill("SIGKILL");
}

/** The SDK client and the `server` shape the fixtures need. */
function asServer(url: string): { server: TestServer; client: CognitoIdentityProviderClient } {
  const client = sdkClient(url);
  return { server: { client } as TestServer, client };
}

/**
 * One chain: a sign-in, then rotations. Returns the newest refresh token the client received,
 * updated as responses arrive (the server may die at any moment).
 */
async function runChain(
  client: CognitoIdentityProviderClient,
  ids: { poolId: string; clientId: string },
  latest: Map<number, string>,
  chain: number,
  until: number,
): Promise<void> {
  const out = await client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: ids.poolId,
      ClientId: ids.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "crash", PASSWORD },
    }),
  );
  let token = out.AuthenticationResult?.RefreshToken as string;
  latest.set(chain, token);
  for (let i = 0; i < 3 && Date.now() < until; i++) {
    const next = await client.send(
      new GetTokensFromRefreshTokenCommand({ ClientId: ids.clientId, RefreshToken: token }),
    );
    token = next.AuthenticationResult?.RefreshToken as string;
    latest.set(chain, token);
  }
}

it("keeps every refresh token it handed out through a SIGKILL", async () => {
  const first = await startChild();
  const setup = asServer(first.url);
  const poolId = await createPool(setup.server);
  // A grace period lets a client retry the token it holds when the answer to its rotation was lost.
  const app = await createClient(setup.server, poolId, {
    RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 60 },
  });
  await createUser(setup.server, poolId, "crash");

  const latest = new Map<number, string>();
  const until = Date.now() + LOAD_LIMIT_MS;
  let next = 0;
  const worker = async () => {
    while (Date.now() < until && next < MAX_CHAINS) {
      await runChain(setup.client, { poolId, clientId: app.clientId }, latest, next++, until);
    }
  };
  const load = Promise.allSettled(Array.from({ length: WORKERS }, worker));
  void killWhenBusy(first, latest, until);
  await load;
  await first.exit;
  setup.client.destroy();
  expect(latest.size).toBeGreaterThan(0);

  const second = await startChild();
  const after = asServer(second.url);
  try {
    for (const token of latest.values()) {
      const out = await after.client.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: app.clientId, RefreshToken: token }),
      );
      expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
    }
  } finally {
    after.client.destroy();
    second.process.kill("SIGTERM");
    await second.exit;
  }
});
