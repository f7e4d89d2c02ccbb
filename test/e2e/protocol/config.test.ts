/**
 * The command line as a user runs it (a child process): flags, environment and the config file are
 * honoured in that order; a bad config file or an unsafe binding stops the server with exit code 2
 * and a message naming the problem; SIGINT and SIGTERM shut it down cleanly with exit code 0.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/config.js";
import { type Cli, cognate as cognateCli, listeningAt, stop } from "../../support/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "cognate-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let dirs = 0;
function freshDir(): string {
  dirs += 1;
  return join(scratch, `data-${dirs}`);
}

function configFile(content: unknown): string {
  dirs += 1;
  const file = join(scratch, `config-${dirs}.json`);
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

/** Runs `cognate <args>` with only the environment given (no PORT, HOST… from the test's own). */
function cognate(args: string[], env: Record<string, string> = {}): Cli {
  return cognateCli(args, { env });
}

const listening = listeningAt;

/** An unsigned CreateUserPool: with no credential scope, the server's default region names the pool. */
async function createPool(url: string): Promise<string> {
  const res = await fetch(`${url}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "AWSCognitoIdentityProviderService.CreateUserPool",
    },
    body: JSON.stringify({ PoolName: "cli" }),
  });
  const body = (await res.json()) as { UserPool: { Id: string } };
  return body.UserPool.Id;
}

describe("a bad configuration file", () => {
  it("exits 2 naming an unknown key", async () => {
    const cli = cognate(["serve", "--config", configFile({ server: { prot: 9229 } })]);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toMatch(/^cognate: invalid configuration in \S+: unknown key server\.prot\n$/);
  });

  it("exits 2 naming a key whose value is wrong", async () => {
    const cli = cognate(["serve", "--config", configFile({ server: { port: "high" } })]);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toContain("server.port: ");
  });

  it("exits 2 naming a bad access key id", async () => {
    const file = configFile({ iam: { credentials: [{ accessKeyId: "has/slash", secretAccessKey: "s" }] } });
    const cli = cognate(["serve", "--config", file]);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toContain("iam.credentials.0.accessKeyId: ");
  });

  it("exits 2 on a duplicate access key id", async () => {
    const key = { accessKeyId: "AKID1", secretAccessKey: "s" };
    const cli = cognate(["serve", "--config", configFile({ iam: { credentials: [key, key] } })]);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toContain("iam.credentials.1.accessKeyId: duplicate access key id AKID1");
  });

  it("exits 2 when the file is not JSON or not there", async () => {
    const notJson = cognate(["serve", "--config", configFile("{ server: ")]);
    expect(await notJson.exit).toBe(2);
    expect(notJson.stderr()).toMatch(/^cognate: configuration file \S+ is not valid JSON: /);
    const missing = cognate(["serve"], { COGNATE_CONFIG: join(scratch, "nope.json") });
    expect(await missing.exit).toBe(2);
    expect(missing.stderr()).toMatch(/^cognate: cannot read configuration file \S+nope\.json: /);
  });

  it("exits 2 on a flag that is not valid", async () => {
    const cli = cognate(["serve", "--port", "http"]);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toContain("--port");
  });

  it("exits 2 on a number of workers that is not one, naming the flag, variable or key", async () => {
    const flag = cognate(["serve", "--workers", "0"]);
    expect(await flag.exit).toBe(2);
    expect(flag.stderr()).toContain("--workers");
    const env = cognate(["serve"], { COGNATE_WORKERS: "many" });
    expect(await env.exit).toBe(2);
    expect(env.stderr()).toContain("COGNATE_WORKERS");
    const file = cognate(["serve", "--config", configFile({ server: { workers: -1 } })]);
    expect(await file.exit).toBe(2);
    expect(file.stderr()).toContain("server.workers");
  });

  it("exits 2 on a PostgreSQL setting in the environment that is not a whole number, naming the variable", async () => {
    for (const [name, value] of [
      ["COGNATE_DATABASE_POOL_SIZE", "ten"],
      ["COGNATE_DATABASE_STATEMENT_TIMEOUT_MS", "30s"],
      ["COGNATE_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS", ""],
    ]) {
      const cli = cognate(["serve", "--port", "0", "--data-dir", freshDir()], { [name]: value });
      expect(await cli.exit).toBe(2);
      expect(cli.stderr()).toContain(`${name}: not a whole number`);
    }
  });
});

describe("binding", () => {
  it("refuses to listen beyond loopback without access keys, and says why", async () => {
    const cli = cognate(["serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", freshDir()]);
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toBe(
      "cognate: refusing to listen on 0.0.0.0 without IAM credentials: admin operations would be open to the network. " +
        "Configure iam.credentials, or bind to 127.0.0.1.\n",
    );
  });

  it("listens beyond loopback with access keys from the environment", async () => {
    const cli = cognate(["serve", "--port", "0", "--data-dir", freshDir()], {
      HOST: "0.0.0.0",
      COGNATE_ACCESS_KEY_ID: "AKIDENV",
      COGNATE_SECRET_ACCESS_KEY: "env-secret",
    });
    const { url } = await listening(cli);
    expect(url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    expect(cli.stdout()).toContain("signed with the configured access keys");
    expect(await stop(cli)).toBe(0);
  });

  it("exits 2 when only one of the access key variables is set", async () => {
    const cli = cognate(["serve", "--port", "0", "--data-dir", freshDir()], {
      COGNATE_ACCESS_KEY_ID: "AKIDENV",
    });
    expect(await cli.exit).toBe(2);
    expect(cli.stderr()).toBe(
      "cognate: COGNATE_ACCESS_KEY_ID and COGNATE_SECRET_ACCESS_KEY must be set together (COGNATE_SECRET_ACCESS_KEY is missing)\n",
    );
  });
});

describe("flags, environment and file", () => {
  it("honours --port, --host, --data-dir and --region", async () => {
    const dataDir = freshDir();
    const cli = cognate([
      "serve",
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--data-dir",
      dataDir,
      "--region",
      "eu-west-2",
    ]);
    const { url, region } = await listening(cli);
    expect(region).toBe("eu-west-2");
    expect(await createPool(url)).toMatch(/^eu-west-2_/);
    expect(readdirSync(dataDir).length).toBeGreaterThan(0);
    expect(await stop(cli)).toBe(0);
  });

  it("honours PORT, HOST, COGNATE_DATA_DIR and COGNATE_CONFIG, with flags over environment over file", async () => {
    const dataDir = freshDir();
    const file = configFile({
      server: { region: "ap-south-1", port: 1 },
      store: { dataDir: "/nonexistent/never" },
    });
    const cli = cognate(["serve", "--region", "ca-central-1"], {
      PORT: "0",
      HOST: "127.0.0.1",
      COGNATE_DATA_DIR: dataDir,
      COGNATE_CONFIG: file,
      COGNATE_REGION: "sa-east-1",
    });
    const { url, region } = await listening(cli);
    expect(region).toBe("ca-central-1");
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:1$/);
    expect(existsSync(dataDir)).toBe(true);
    expect(await stop(cli)).toBe(0);
  });

  it("takes the region from the file when neither flag nor environment sets it", async () => {
    const cli = cognate([
      "serve",
      "--port",
      "0",
      "--data-dir",
      freshDir(),
      "--config",
      configFile({ server: { region: "ap-south-1" } }),
    ]);
    const { url, region } = await listening(cli);
    expect(region).toBe("ap-south-1");
    expect(await createPool(url)).toMatch(/^ap-south-1_/);
    expect(await stop(cli)).toBe(0);
  });
});

describe("PostgreSQL settings from the environment", () => {
  // What reaches the store: its connections take these (test/e2e/reliability/statement-timeout.test.ts).
  it("reads the pool size and both timeouts, over the file's", () => {
    const file = configFile({ store: { poolSize: 3, statementTimeoutMs: 1, idleInTransactionTimeoutMs: 2 } });
    const config = loadConfig({
      file,
      env: {
        COGNATE_DATABASE_POOL_SIZE: "4",
        COGNATE_DATABASE_STATEMENT_TIMEOUT_MS: "1500",
        COGNATE_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: "0",
      },
    });
    expect(config.store).toMatchObject({
      poolSize: 4,
      statementTimeoutMs: 1500,
      idleInTransactionTimeoutMs: 0,
    });
    expect(loadConfig({ file, env: {} }).store).toMatchObject({
      poolSize: 3,
      statementTimeoutMs: 1,
      idleInTransactionTimeoutMs: 2,
    });
  });

  it("leaves the range to the configuration key", () => {
    expect(() => loadConfig({ env: { COGNATE_DATABASE_STATEMENT_TIMEOUT_MS: "-1" } })).toThrow(
      "store.statementTimeoutMs",
    );
  });
});

describe("shutdown", () => {
  it.each(["SIGTERM", "SIGINT"] as const)(
    "stops cleanly on %s with exit code 0, keeping the data",
    async (signal) => {
      const dataDir = freshDir();
      const first = cognate(["serve", "--port", "0", "--data-dir", dataDir]);
      const poolId = await createPool((await listening(first)).url);
      expect(await stop(first, signal)).toBe(0);
      expect(first.stdout()).toContain(`${signal}: shutting down`);

      const second = cognate(["serve", "--port", "0", "--data-dir", dataDir]);
      const { url } = await listening(second);
      const res = await fetch(`${url}/`, {
        method: "POST",
        headers: { "x-amz-target": "AWSCognitoIdentityProviderService.DescribeUserPool" },
        body: JSON.stringify({ UserPoolId: poolId }),
      });
      expect(((await res.json()) as { UserPool: { Id: string } }).UserPool.Id).toBe(poolId);
      expect(await stop(second)).toBe(0);
    },
  );
});
