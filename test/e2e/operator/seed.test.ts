/**
 * Declarative pools: docs/examples/seed.yaml (the documented example) seeds a server with its
 * fixed ids; a seeded user signs in through the AWS SDK; a second start on the same data creates
 * nothing twice; two instances applying one seed at once end with one of everything; a bad seed
 * stops the server with exit code 2, naming the key.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  type CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, describe, expect, it } from "vitest";
import { cognate, listening, ROOT, run, stop } from "../../support/cli.js";
import {
  createTestSchema,
  dropTestSchema,
  schemaDatabaseUrl,
  serversUsePostgres,
} from "../../support/postgres.js";
import { sdkClient, startTestServer } from "../../support/server.js";

const EXAMPLE = join(ROOT, "docs/examples/seed.yaml");
const POOL = "us-east-1_Example01";
const WEB = "exampleweb0000000000000001";
const API = "exampleapi0000000000000001";

const scratch = mkdtempSync(join(tmpdir(), "cognate-seed-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function counts(c: CognitoIdentityProviderClient) {
  return {
    pools: (await c.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.length,
    clients: (await c.send(new ListUserPoolClientsCommand({ UserPoolId: POOL }))).UserPoolClients?.length,
    groups: (await c.send(new ListGroupsCommand({ UserPoolId: POOL }))).Groups?.length,
    users: (await c.send(new ListUsersCommand({ UserPoolId: POOL }))).Users?.length,
  };
}

describe("docs/OPERATIONS.md", () => {
  it("shows the example seed file these tests load", () => {
    const doc = readFileSync(join(ROOT, "docs/OPERATIONS.md"), "utf8");
    const shown = /```yaml\n(pools:\n[\s\S]*?)```/.exec(doc)?.[1];
    const file = readFileSync(EXAMPLE, "utf8").replace(/^#.*\n/gm, "");
    expect(shown).toBe(file);
  });
});

describe("a seed file", () => {
  it("creates its pools with their fixed ids, and a second start duplicates nothing", async () => {
    const dataDir = mkdtempSync(join(scratch, "data-"));
    const first = await startTestServer({ seed: { file: EXAMPLE } }, { dataDir });
    try {
      const pool = await first.client.send(new DescribeUserPoolCommand({ UserPoolId: POOL }));
      expect(pool.UserPool?.Name).toBe("example");
      expect(pool.UserPool?.Domain).toBe("example-app");
      const api = await first.client.send(
        new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: API }),
      );
      expect(api.UserPoolClient?.ClientSecret).toBe("exampleclientsecretkeptintheseedfordevelopmentonly1");
      expect(api.UserPoolClient?.AllowedOAuthScopes).toEqual(["example-api/read"]);
      const domain = await first.client.send(new DescribeUserPoolDomainCommand({ Domain: "example-app" }));
      expect(domain.DomainDescription?.UserPoolId).toBe(POOL);
      expect(await counts(first.client)).toEqual({ pools: 1, clients: 2, groups: 2, users: 3 });

      const ada = await first.client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "ada" }));
      expect(ada.UserStatus).toBe("CONFIRMED");
      const groups = await first.client.send(
        new AdminListGroupsForUserCommand({ UserPoolId: POOL, Username: "ada" }),
      );
      expect(groups.Groups?.map((g) => g.GroupName).sort()).toEqual(["admins", "readers"]);
      const grace = await first.client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "grace" }));
      expect(grace.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
      const alan = await first.client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "alan" }));
      expect(alan.PreferredMfaSetting).toBe("SOFTWARE_TOKEN_MFA");

      const signIn = await first.client.send(
        new InitiateAuthCommand({
          ClientId: WEB,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "ada", PASSWORD: "Passw0rd-ada" },
        }),
      );
      expect(signIn.AuthenticationResult?.AccessToken).toBeTruthy();
      const totp = await first.client.send(
        new InitiateAuthCommand({
          ClientId: WEB,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "alan", PASSWORD: "Passw0rd-alan" },
        }),
      );
      expect(totp.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
    } finally {
      await first.stop({ keepData: true });
    }
    const second = await startTestServer({ seed: { file: EXAMPLE } }, { dataDir });
    try {
      expect(await counts(second.client)).toEqual({ pools: 1, clients: 2, groups: 2, users: 3 });
    } finally {
      await second.stop();
    }
  });

  it("applied by two instances at once, leaves one of everything", async () => {
    const dataDir = mkdtempSync(join(scratch, "data-"));
    const schema = serversUsePostgres() ? await createTestSchema() : undefined;
    const env: Record<string, string> = { COGNATE_SEED: EXAMPLE, COGNATE_DATA_DIR: dataDir };
    if (schema) env.COGNATE_DATABASE_URL = schemaDatabaseUrl(schema);
    // The database exists first (two processes creating one SQLite file at once is another matter).
    const setup = cognate(["serve", "--port", "0"], { env: { ...env, COGNATE_SEED: "" } });
    await listening(setup);
    await stop(setup);
    // Two processes, as two instances are: one process's SQLite connections would wait on each other.
    const [a, b] = [cognate(["serve", "--port", "0"], { env }), cognate(["serve", "--port", "0"], { env })];
    try {
      const [url] = await Promise.all([listening(a), listening(b)]);
      const client = sdkClient(url);
      expect(await counts(client)).toEqual({ pools: 1, clients: 2, groups: 2, users: 3 });
      client.destroy();
    } finally {
      await Promise.all([stop(a), stop(b)]);
      if (schema) await dropTestSchema(schema);
    }
  }, 120_000);

  it("that is bad stops the server with exit code 2, naming the key", async () => {
    const file = join(scratch, "bad.json");
    writeFileSync(
      file,
      JSON.stringify({ pools: [{ id: POOL, settings: { PoolName: "x", MfaConfig: "ON" }, clients: [] }] }),
    );
    const bad = await run(["serve", "--port", "0", "--seed", file], {
      env: { COGNATE_DATA_DIR: mkdtempSync(join(scratch, "data-")) },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown key pools.0.settings.MfaConfig");

    const refused = join(scratch, "refused.yaml");
    writeFileSync(refused, `pools:\n  - id: ${POOL}\n    settings: { PoolName: "" }\n`);
    const invalid = await run(["serve", "--port", "0"], {
      env: { COGNATE_SEED: refused, COGNATE_DATA_DIR: mkdtempSync(join(scratch, "data-")) },
    });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("pools.0.settings.PoolName");
  }, 120_000);
});
