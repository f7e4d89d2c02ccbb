/**
 * Starts the real server on an ephemeral port with a fresh SQLite data directory, and builds
 * official SDK clients against it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import pino from "pino";
import { type ConfigInput, parseConfig } from "../../src/config/config.js";
import { type RunningServer, startServer } from "../../src/server.js";

export interface TestServer extends RunningServer {
  dataDir: string;
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

export async function startTestServer(
  overrides: ConfigInput = {},
  options: { dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "cognate-test-"));
  const config = parseConfig(
    {
      ...overrides,
      server: { port: 0, ...overrides.server },
      store: { dataDir, ...overrides.store },
      log: { level: "silent", ...overrides.log },
    },
    "test",
  );
  const server = await startServer(config, pino({ level: config.log.level }));
  const client = sdkClient(server.url, config.server.region);
  return {
    ...server,
    dataDir,
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
      if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
