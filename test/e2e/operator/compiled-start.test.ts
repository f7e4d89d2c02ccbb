/**
 * `npm start` runs the compiled server with node alone: dist/main.js starts, serves the API
 * through an official client (a sign-in included, whose password check runs on the SRP worker
 * threads, found beside the compiled code), and stops cleanly on SIGTERM. dist/ is built by `npm install`; a checkout without
 * it is built here first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cognate, ensureCompiled, listening, stop } from "../../support/cli.js";
import { PASSWORD } from "../../support/fixtures.js";
import {
  createTestSchema,
  dropTestSchema,
  schemaDatabaseUrl,
  serversUsePostgres,
} from "../../support/postgres.js";
import { sdkClient } from "../../support/server.js";

const dataDir = mkdtempSync(join(tmpdir(), "cognate-compiled-"));
let schema: string | undefined;

beforeAll(async () => {
  ensureCompiled();
  if (serversUsePostgres()) schema = await createTestSchema();
}, 120_000);

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  if (schema) await dropTestSchema(schema);
});

describe("the compiled server", () => {
  it("starts with node alone, serves the API and a sign-in, and stops on SIGTERM", async () => {
    const env: Record<string, string> = { COGNATE_DATA_DIR: dataDir };
    if (schema) env.COGNATE_DATABASE_URL = schemaDatabaseUrl(schema);
    const cli = cognate(["serve", "--port", "0"], { compiled: true, env });
    const url = await listening(cli);
    const client = sdkClient(url);
    try {
      const pool = await client.send(new CreateUserPoolCommand({ PoolName: "compiled" }));
      const UserPoolId = pool.UserPool!.Id!;
      const app = await client.send(
        new CreateUserPoolClientCommand({
          UserPoolId,
          ClientName: "app",
          ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        }),
      );
      await client.send(
        new AdminCreateUserCommand({ UserPoolId, Username: "ada", MessageAction: "SUPPRESS" }),
      );
      await client.send(
        new AdminSetUserPasswordCommand({ UserPoolId, Username: "ada", Password: PASSWORD, Permanent: true }),
      );
      const signIn = await client.send(
        new AdminInitiateAuthCommand({
          UserPoolId,
          ClientId: app.UserPoolClient!.ClientId!,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "ada", PASSWORD },
        }),
      );
      expect(signIn.AuthenticationResult?.AccessToken).toBeTruthy();
    } finally {
      client.destroy();
    }
    expect(await stop(cli)).toBe(0);
    expect(cli.stderr()).not.toMatch(/Error|tsx/);
  });
});
