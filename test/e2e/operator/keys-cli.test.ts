/**
 * `cognate keys list|rotate|retire` against the store of a running server: a rotation signs new
 * tokens with new keys while the old ones keep verifying, and a retired key stops verifying.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { AdminInitiateAuthCommand, GetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../support/cli.js";
import { claims, createClient, createPool, createUser, failure, PASSWORD } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const run = promisify(execFile);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

/** `cognate keys …` on the test server's store; its exit code, output and error output. */
async function cognateKeys(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const store = server.databaseUrl ? ["--database-url", server.databaseUrl] : ["--data-dir", server.dataDir];
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", "src/main.ts", "keys", ...args, ...store],
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

interface KeyLine {
  kid: string;
  use: string;
  status: string;
}

function keyLines(stdout: string): KeyLine[] {
  return stdout
    .trim()
    .split("\n")
    .map((line) => {
      const [kid, use, status] = line.split(" ");
      return { kid, use, status };
    });
}

async function signIn(on: TestServer, poolId: string, clientId: string) {
  const out = await on.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "alice", PASSWORD },
    }),
  );
  return out.AuthenticationResult as { AccessToken: string; IdToken: string };
}

function kidOf(jwt: string): string {
  return JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString()).kid;
}

async function jwksKids(on: TestServer, poolId: string): Promise<string[]> {
  const res = await fetch(`${on.url}/${poolId}/.well-known/jwks.json`);
  return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort();
}

describe("cognate keys", () => {
  it("rotates a pool's keys: new tokens carry the new kids, the old tokens verify until their key is retired", async () => {
    const poolId = await createPool(server);
    const { clientId } = await createClient(server, poolId);
    await createUser(server, poolId, "alice");
    const before = await signIn(server, poolId, clientId);

    const listed = keyLines((await cognateKeys(["list", "--pool", poolId])).stdout);
    expect(listed.map((k) => [k.use, k.status]).sort()).toEqual([
      ["access", "current"],
      ["id", "current"],
    ]);
    const oldAccess = kidOf(before.AccessToken);
    expect(listed.find((k) => k.use === "access")?.kid).toBe(oldAccess);
    expect(listed.find((k) => k.use === "id")?.kid).toBe(kidOf(before.IdToken));

    const rotated = await cognateKeys(["rotate", "--pool", poolId]);
    expect(rotated.code).toBe(0);
    const afterRotation = keyLines((await cognateKeys(["list", "--pool", poolId])).stdout);
    expect(afterRotation).toHaveLength(4);
    const current = afterRotation.filter((k) => k.status === "current");
    expect(current.map((k) => k.use).sort()).toEqual(["access", "id"]);
    expect(afterRotation.find((k) => k.kid === oldAccess)?.status).toBe("previous");
    expect(rotated.stdout).toContain(current[0].kid);

    // Another instance of the deployment, started now, signs with the new keys and publishes both.
    const second = await startTestServer({}, { dataDir: server.dataDir });
    try {
      const after = await signIn(second, poolId, clientId);
      const newAccess = kidOf(after.AccessToken);
      expect(current.map((k) => k.kid)).toContain(newAccess);
      expect(await jwksKids(second, poolId)).toEqual(afterRotation.map((k) => k.kid).sort());
      // The first instance has not reread its keys yet, and still verifies a token of the new key.
      expect(
        (await server.client.send(new GetUserCommand({ AccessToken: after.AccessToken }))).Username,
      ).toBe("alice");
      expect(
        (await second.client.send(new GetUserCommand({ AccessToken: before.AccessToken }))).Username,
      ).toBe("alice");
    } finally {
      await second.stop({ keepData: true });
    }

    const retired = await cognateKeys(["retire", "--pool", poolId, "--kid", oldAccess]);
    expect(retired).toMatchObject({ code: 0, stdout: `retired ${oldAccess}\n` });
    expect(keyLines((await cognateKeys(["list", "--pool", poolId])).stdout).map((k) => k.kid)).not.toContain(
      oldAccess,
    );
    const third = await startTestServer({}, { dataDir: server.dataDir });
    try {
      expect(await jwksKids(third, poolId)).not.toContain(oldAccess);
      expect(
        await failure(third.client.send(new GetUserCommand({ AccessToken: before.AccessToken }))),
      ).toEqual({
        name: "NotAuthorizedException",
        message: "Invalid Access Token",
      });
      expect(claims(before.AccessToken).username).toBe("alice");
    } finally {
      await third.stop({ keepData: true });
    }
  });

  it("refuses to retire a current key, and names an unknown pool", async () => {
    const poolId = await createPool(server);
    const [current] = keyLines((await cognateKeys(["list", "--pool", poolId])).stdout);
    const refused = await cognateKeys(["retire", "--pool", poolId, "--kid", current.kid]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `cognate: ${current.kid} is not a previous key of ${poolId}: only a key rotation replaced can be retired\n`,
    );
    const unknown = await cognateKeys(["list", "--pool", "us-east-1_Nowhere0"]);
    expect(unknown).toMatchObject({
      code: 1,
      stderr: "cognate: User pool us-east-1_Nowhere0 does not exist.\n",
    });
    const badUse = await cognateKeys(["rotate", "--pool", poolId, "--use", "refresh"]);
    expect(badUse.code).toBe(2);
    expect(badUse.stderr).toContain("id, access or both");
  });
});
