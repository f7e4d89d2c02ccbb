/**
 * Raw AWS JSON 1.1 calls for the reliability tests: they count every answer, so they read status
 * and body themselves rather than through the SDK (which retries and throws).
 */
import { PASSWORD } from "../../support/fixtures.js";
import {
  createTestSchema,
  dropTestSchema,
  postgresReachable,
  schemaDatabaseUrl,
} from "../../support/postgres.js";
import { startTestServer, type TestServer } from "../../support/server.js";

export { PASSWORD };

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  /** The Cognito error name (`__type`), when the answer is an error. */
  error?: string;
}

/** No answer within this time is a hang: the tests fail on it rather than wait. */
export const HANG_MS = 20_000;

export async function api(url: string, operation: string, body: unknown): Promise<Answer> {
  const res = await fetch(`${url}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(HANG_MS),
  });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  const type = typeof parsed.__type === "string" ? parsed.__type : undefined;
  return { status: res.status, body: parsed, ...(type && { error: type }) };
}

/** The answer's output, or an Error naming the Cognito error. */
export async function call(url: string, operation: string, body: unknown): Promise<Record<string, unknown>> {
  const answer = await api(url, operation, body);
  if (answer.status !== 200) {
    throw Object.assign(new Error(`${operation}: ${answer.error}: ${answer.body.message}`), {
      name: answer.error ?? "Error",
      status: answer.status,
    });
  }
  return answer.body;
}

export interface App {
  poolId: string;
  clientId: string;
}

/** A pool and an app client allowing the password flows and refresh, without a secret. */
export async function createApp(url: string): Promise<App> {
  const pool = await call(url, "CreateUserPool", { PoolName: "reliability" });
  const poolId = (pool.UserPool as { Id: string }).Id;
  const client = await call(url, "CreateUserPoolClient", {
    UserPoolId: poolId,
    ClientName: "app",
    ExplicitAuthFlows: [
      "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    ],
  });
  return { poolId, clientId: (client.UserPoolClient as { ClientId: string }).ClientId };
}

/** A confirmed user with a permanent password. */
export async function createUser(
  url: string,
  app: App,
  username: string,
  password = PASSWORD,
): Promise<void> {
  await call(url, "AdminCreateUser", {
    UserPoolId: app.poolId,
    Username: username,
    MessageAction: "SUPPRESS",
  });
  await call(url, "AdminSetUserPassword", {
    UserPoolId: app.poolId,
    Username: username,
    Password: password,
    Permanent: true,
  });
}

export function adminSignIn(url: string, app: App, username: string, password = PASSWORD): Promise<Answer> {
  return api(url, "AdminInitiateAuth", {
    UserPoolId: app.poolId,
    ClientId: app.clientId,
    AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });
}

/** Polls `check` until it holds, for at most `limitMs`; false if it never did. */
export async function eventually(check: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Both databases, for a describe.each; PostgreSQL skipped where none answers. */
export async function bothDatabases(): Promise<{ database: "sqlite" | "postgres"; skip: boolean }[]> {
  const postgres = await postgresReachable();
  return [
    { database: "sqlite", skip: false },
    { database: "postgres", skip: !postgres },
  ];
}

export interface ServerOn {
  server: TestServer;
  /** PostgreSQL: the server's schema. */
  schema?: string;
  stop(): Promise<void>;
}

/** A test server on the named database, whatever COGNATE_TEST_DATABASE says. */
export async function startServerOn(database: "sqlite" | "postgres"): Promise<ServerOn> {
  const schema = database === "postgres" ? await createTestSchema() : undefined;
  const server = await startTestServer(schema ? { store: { databaseUrl: schemaDatabaseUrl(schema) } } : {});
  return {
    server,
    schema,
    async stop() {
      await server.stop();
      if (schema) await dropTestSchema(schema);
    },
  };
}
