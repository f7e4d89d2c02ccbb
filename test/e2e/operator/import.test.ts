/**
 * `cognate import` from a second Cognate standing in for a live Cognito pool: the configuration,
 * app clients, groups and users are copied into a seed; the seeded pool migrates each user's
 * password lazily: the first sign-in is checked against the source, later ones need it no more
 * (it is stopped). A user the source gained after the import is migrated at first sign-in too.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, run } from "../../support/cli.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const EXAMPLE = join(ROOT, "docs/examples/seed.yaml");
const POOL = "us-east-1_Example01";
const WEB = "exampleweb0000000000000001";
const scratch = mkdtempSync(join(tmpdir(), "cognate-import-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function signIn(server: TestServer, username: string, password: string) {
  return server.client.send(
    new InitiateAuthCommand({
      ClientId: WEB,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password },
    }),
  );
}

describe("cognate import", () => {
  it("copies a pool from another server and migrates passwords lazily from it", async () => {
    const source = await startTestServer({ seed: { file: EXAMPLE } });
    let target: TestServer | undefined;
    let sourceRunning = true;
    try {
      const file = join(scratch, "imported.yaml");
      const imported = await run(
        ["import", "--from-endpoint", source.url, "--region", "us-east-1", "--pool-id", POOL, "--out", file],
        // The standard AWS credential chain: the environment's keys.
        { env: { AWS_ACCESS_KEY_ID: "AKIDIMPORT", AWS_SECRET_ACCESS_KEY: "import-secret" } },
      );
      expect(imported.code, imported.stderr).toBe(0);
      const seed = parse(readFileSync(file, "utf8"));
      expect(seed.pools[0].migration).toMatchObject({ poolId: POOL, clientId: "exampleapi0000000000000001" });

      // A user the source gains after the import.
      await source.client.send(
        new AdminCreateUserCommand({ UserPoolId: POOL, Username: "newbie", MessageAction: "SUPPRESS" }),
      );
      await source.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: POOL,
          Username: "newbie",
          Password: "Passw0rd-new",
          Permanent: true,
        }),
      );

      // The target asks the source with the standard AWS credential chain too: here, the environment's.
      process.env.AWS_ACCESS_KEY_ID = "AKIDMIGRATION";
      process.env.AWS_SECRET_ACCESS_KEY = "migration-secret";
      target = await startTestServer({ seed: { file } });
      const pool = await target.client.send(new DescribeUserPoolCommand({ UserPoolId: POOL }));
      expect(pool.UserPool?.Name).toBe("example");
      expect(pool.UserPool?.MfaConfiguration).toBe("OPTIONAL");
      const web = await target.client.send(
        new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: WEB }),
      );
      expect(web.UserPoolClient?.ExplicitAuthFlows).toContain("ALLOW_USER_PASSWORD_AUTH");
      expect((await target.client.send(new ListGroupsCommand({ UserPoolId: POOL }))).Groups).toHaveLength(2);
      const groups = await target.client.send(
        new AdminListGroupsForUserCommand({ UserPoolId: POOL, Username: "ada" }),
      );
      expect(groups.Groups?.map((g) => g.GroupName).sort()).toEqual(["admins", "readers"]);
      const before = await target.client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "ada" }));
      expect(before.UserStatus).toBe("RESET_REQUIRED");
      expect(before.UserAttributes?.find((a) => a.Name === "email")?.Value).toBe("ada@example.com");

      await expect(signIn(target, "ada", "not-her-password")).rejects.toMatchObject({
        name: "PasswordResetRequiredException",
      });
      expect((await signIn(target, "ada", "Passw0rd-ada")).AuthenticationResult?.AccessToken).toBeTruthy();
      expect((await signIn(target, "newbie", "Passw0rd-new")).AuthenticationResult?.AccessToken).toBeTruthy();

      await source.stop();
      sourceRunning = false;
      expect((await signIn(target, "ada", "Passw0rd-ada")).AuthenticationResult?.AccessToken).toBeTruthy();
      expect((await signIn(target, "newbie", "Passw0rd-new")).AuthenticationResult?.AccessToken).toBeTruthy();
      await expect(signIn(target, "ada", "not-her-password")).rejects.toMatchObject({
        name: "NotAuthorizedException",
      });
      const after = await target.client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "ada" }));
      expect(after.UserStatus).toBe("CONFIRMED");
    } finally {
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      if (sourceRunning) await source.stop();
      await target?.stop();
    }
  }, 120_000);
});
