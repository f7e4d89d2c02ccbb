/**
 * `cognate export` writes a pool in the seed format; with --with-password-hashes a fresh server
 * seeded with the file signs the exported users in with their passwords (a Cognate-to-Cognate
 * move). Without it, no password leaves: the users must reset theirs.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminGetUserCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT, run } from "../../support/cli.js";
import { startTestServer } from "../../support/server.js";

const EXAMPLE = join(ROOT, "docs/examples/seed.yaml");
const POOL = "us-east-1_Example01";
const WEB = "exampleweb0000000000000001";
const scratch = mkdtempSync(join(tmpdir(), "cognate-export-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("cognate export", () => {
  it("round-trips a pool: a fresh server seeded with the export signs its users in", async () => {
    const source = await startTestServer({ seed: { file: EXAMPLE } });
    const env: Record<string, string> = { COGNATE_DATA_DIR: source.dataDir };
    if (source.databaseUrl) env.COGNATE_DATABASE_URL = source.databaseUrl;
    await source.stop({ keepData: true });
    const withHashes = join(scratch, "with-hashes.yaml");
    const plain = join(scratch, "plain.json");
    try {
      const exported = await run(["export", "--pool", POOL, "--out", withHashes, "--with-password-hashes"], {
        env,
      });
      expect(exported.code, exported.stderr).toBe(0);
      expect((await run(["export", "--out", plain], { env })).code).toBe(0);
    } finally {
      // The source's data goes with it.
      await (await startTestServer({}, { dataDir: source.dataDir })).stop();
    }

    const noSecrets = JSON.parse(readFileSync(plain, "utf8"));
    expect(noSecrets.pools.map((p: { id: string }) => p.id)).toEqual([POOL]);
    expect(JSON.stringify(noSecrets)).not.toMatch(/passwordHash|totpSecret/);
    const seed = parse(readFileSync(withHashes, "utf8"));
    expect(seed.pools[0].users.find((u: { username: string }) => u.username === "ada").groups).toEqual([
      "admins",
      "readers",
    ]);

    const moved = await startTestServer({ seed: { file: withHashes } });
    const fresh = await startTestServer({ seed: { file: plain } });
    try {
      const signIn = await moved.client.send(
        new InitiateAuthCommand({
          ClientId: WEB,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "ada", PASSWORD: "Passw0rd-ada" },
        }),
      );
      expect(signIn.AuthenticationResult?.AccessToken).toBeTruthy();
      const alan = await moved.client.send(
        new InitiateAuthCommand({
          ClientId: WEB,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "alan", PASSWORD: "Passw0rd-alan" },
        }),
      );
      expect(alan.ChallengeName).toBe("SOFTWARE_TOKEN_MFA");
      const api = await moved.client.send(
        new DescribeUserPoolClientCommand({ UserPoolId: POOL, ClientId: "exampleapi0000000000000001" }),
      );
      expect(api.UserPoolClient?.ClientSecret).toBe("exampleclientsecretkeptintheseedfordevelopmentonly1");

      const reset = await fresh.client.send(new AdminGetUserCommand({ UserPoolId: POOL, Username: "ada" }));
      expect(reset.UserStatus).toBe("RESET_REQUIRED");
    } finally {
      await moved.stop();
      await fresh.stop();
    }
  }, 120_000);
});
