/**
 * Interop with clients that share no code with ours: boto3 (test/interop/boto3_client.py) and the
 * aws CLI, against a server with access keys configured, so their SigV4 signatures are verified.
 * Each part is skipped, with a message, where its client is not installed.
 */
import { execFile, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.js";

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL("./boto3_client.py", import.meta.url));
const KEYS = { accessKeyId: "AKIDINTEROP", secretAccessKey: "interop/secret+with=signs" };
const REGION = "eu-central-1";
/** A hang detector for the child processes, not a performance bound. */
const CHILD_TIMEOUT_MS = 60_000;

function available(command: string, args: string[], name: string, install: string): boolean {
  const found = spawnSync(command, args, { stdio: "ignore" }).status === 0;
  if (!found) console.warn(`${name} is not installed: its interop tests are skipped (${install}).`);
  return found;
}

const hasBoto3 = available("python3", ["-c", "import boto3"], "boto3", "apt install python3-boto3");
const hasAwsCli = available("aws", ["--version"], "The aws CLI", "apt install awscli");

/** An environment where only what the test passes can reach the clients: no profiles, no session token. */
function isolatedEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8" };
  return {
    ...env,
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PAGER: "",
    ...extra,
  };
}

let server: TestServer;
beforeAll(async () => {
  if (hasBoto3 || hasAwsCli) server = await startTestServer({ iam: { credentials: [KEYS] } });
});
afterAll(async () => server?.stop());

type Step = { ok?: Record<string, unknown>; error?: string; message?: string; status?: number };

describe.skipIf(!hasBoto3)("boto3", () => {
  let out: Record<string, Step & Record<string, unknown>>;
  beforeAll(async () => {
    const { stdout } = await run(
      "python3",
      [SCRIPT, server.url, REGION, KEYS.accessKeyId, KEYS.secretAccessKey],
      { env: isolatedEnv(), timeout: CHILD_TIMEOUT_MS },
    );
    out = JSON.parse(stdout);
  }, CHILD_TIMEOUT_MS + 5_000);

  it("creates a pool in the region of its credential scope, with timestamps it can parse", () => {
    expect(out.pool.Id).toMatch(/^eu-central-1_[0-9A-Za-z]+$/);
    expect(out.pool.Name).toBe("boto3-interop");
    expect(out.pool.CreationDate).toEqual({ datetime: expect.stringMatching(/^20\d\d-\d\d-\d\dT/) });
  });

  it("creates a client, a user, a group and a membership, and reads them back", () => {
    expect(out.client.ClientName).toBe("boto3");
    expect(out.createUser.ok).toMatchObject({ Username: "carol", UserStatus: "FORCE_CHANGE_PASSWORD" });
    expect(out.getUser.ok).toMatchObject({ Username: "carol", UserStatus: "CONFIRMED", Enabled: true });
    expect(out.getUser.ok?.UserAttributes).toContainEqual({ Name: "email", Value: "carol@example.com" });
    expect(out.listUsers.ok?.Users).toHaveLength(1);
    expect(out.groupsForUser.ok).toMatchObject({ Groups: [{ GroupName: "editors", Precedence: 3 }] });
  });

  it("signs in, and calls a public operation with the access token", () => {
    expect(out.signIn).toEqual({ ok: { hasTokens: true } });
    expect(out.selfGetUser.ok).toMatchObject({ Username: "carol" });
  });

  it("reads Cognito's errors as botocore parses them", () => {
    expect(out.wrongPassword).toEqual({
      error: "NotAuthorizedException",
      message: "Incorrect username or password.",
      status: 400,
    });
    expect(out.missingUser).toEqual({
      error: "UserNotFoundException",
      message: "User does not exist.",
      status: 400,
    });
  });

  it("has its signature refused with the wrong secret or an unknown key", () => {
    expect(out.wrongSecret.error).toBe("InvalidSignatureException");
    expect(out.wrongSecret.message).toMatch(/^The request signature we calculated does not match/);
    expect(out.unknownKey).toEqual({
      error: "UnrecognizedClientException",
      message: "The security token included in the request is invalid.",
      status: 400,
    });
  });
});

describe.skipIf(!hasAwsCli)("aws CLI", () => {
  async function aws(args: string[], secret = KEYS.secretAccessKey) {
    try {
      const { stdout } = await run(
        "aws",
        ["cognito-idp", ...args, "--endpoint-url", server.url, "--region", REGION, "--output", "json"],
        {
          env: isolatedEnv({ AWS_ACCESS_KEY_ID: KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: secret }),
          timeout: CHILD_TIMEOUT_MS,
        },
      );
      return { code: 0, json: stdout.trim() ? JSON.parse(stdout) : {}, stderr: "" };
    } catch (error) {
      const e = error as { code?: number; stderr?: string };
      return { code: e.code, json: undefined, stderr: e.stderr?.trim() ?? "" };
    }
  }

  it("creates and describes a pool", { timeout: CHILD_TIMEOUT_MS * 2 }, async () => {
    const created = await aws(["create-user-pool", "--pool-name", "cli-interop"]);
    expect(created.code).toBe(0);
    const id = created.json.UserPool.Id as string;
    expect(id).toMatch(/^eu-central-1_/);
    const described = await aws(["describe-user-pool", "--user-pool-id", id]);
    expect(described.json.UserPool).toMatchObject({ Id: id, Name: "cli-interop" });
  });

  it("prints Cognito's error for a pool that does not exist", { timeout: CHILD_TIMEOUT_MS }, async () => {
    const res = await aws(["describe-user-pool", "--user-pool-id", "eu-central-1_nothere"]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toBe(
      "An error occurred (ResourceNotFoundException) when calling the DescribeUserPool operation: User pool eu-central-1_nothere does not exist.",
    );
  });

  it("has its signature refused with the wrong secret", { timeout: CHILD_TIMEOUT_MS }, async () => {
    const res = await aws(["list-user-pools", "--max-results", "5"], "wrong-secret");
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(
      /^An error occurred \(InvalidSignatureException\) when calling the ListUserPools operation: The request signature we calculated does not match/,
    );
  });
});
