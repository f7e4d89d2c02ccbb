/**
 * Starts the real server on an ephemeral port with a fresh SQLite data directory — or, with
 * COGNATE_TEST_DATABASE=postgres, a fresh PostgreSQL schema — and builds official SDK clients
 * against it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import pino, { type Logger } from "pino";
import { type ConfigInput, parseConfig } from "../../src/config/config.js";
import { type RunningServer, startServer } from "../../src/server.js";
import { createTestSchema, dropTestSchema, schemaDatabaseUrl, serversUsePostgres } from "./postgres.js";

export interface TestServer extends RunningServer {
  dataDir: string;
  /** The PostgreSQL URL the server uses (a second server given it shares the data), or null for SQLite. */
  databaseUrl: string | null;
  client: CognitoIdentityProviderClient;
  /** POST a raw AWS JSON 1.1 request; returns status, headers and parsed body. */
  call(
    operation: string,
    body: unknown,
  ): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }>;
  /** Stops the server and deletes its data (unless `keepData`). */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export const TEST_CREDENTIALS = { accessKeyId: "AKIDTEST", secretAccessKey: "test-secret" };

export function sdkClient(url: string, region = "us-east-1", credentials = TEST_CREDENTIALS) {
  return new CognitoIdentityProviderClient({ endpoint: url, region, credentials, maxAttempts: 1 });
}

/** Where a PostgreSQL test server's schema name is kept, so a restart on the same dataDir finds its data. */
const SCHEMA_FILE = "postgres-schema";

/** The schema of an earlier server on `dataDir`, or a fresh one. */
async function testSchemaFor(dataDir: string): Promise<string> {
  const file = join(dataDir, SCHEMA_FILE);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const schema = await createTestSchema();
  writeFileSync(file, schema);
  return schema;
}

export async function startTestServer(
  overrides: ConfigInput = {},
  /** `logger`: where the server logs, instead of a pino at the configured level. */
  options: { dataDir?: string; logger?: Logger } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "cognate-test-"));
  // A server given a database URL shares someone else's data; otherwise it owns a fresh schema.
  const ownSchema =
    serversUsePostgres() && !overrides.store?.databaseUrl ? await testSchemaFor(dataDir) : undefined;
  const config = parseConfig(
    {
      ...overrides,
      server: { port: 0, ...overrides.server },
      store: {
        dataDir,
        ...(ownSchema && { databaseUrl: schemaDatabaseUrl(ownSchema) }),
        ...overrides.store,
      },
      log: { level: "silent", ...overrides.log },
    },
    "test",
  );
  const server = await startServer(config, options.logger ?? pino({ level: config.log.level }));
  const client = sdkClient(server.url, config.server.region);
  return {
    ...server,
    dataDir,
    databaseUrl: config.store.databaseUrl,
    client,
    async call(operation, body) {
      const res = await fetch(`${server.url}/`, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
    },
    async stop(opts = {}) {
      client.destroy();
      await server.close();
      if (opts.keepData) return;
      if (ownSchema) await dropTestSchema(ownSchema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
