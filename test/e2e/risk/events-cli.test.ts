/** `cognate events --json`: the auth event history as JSON lines, for an analytics pipeline. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { AdminInitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, expect, it } from "vitest";
import { claims, createClient, createUser, PASSWORD } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { protectedPool, signIn } from "./support.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const run = promisify(execFile);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

async function cognateEvents(args: string[]): Promise<string> {
  const store = server.databaseUrl ? ["--database-url", server.databaseUrl] : ["--data-dir", server.dataDir];
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", "src/main.ts", "events", ...store, ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, COGNATE_LOG_LEVEL: "silent" },
      timeout: 20_000,
    },
  );
  return stdout;
}

it("prints each event of the pool as one JSON line, with AnalyticsMetadata and the client's AnalyticsConfiguration", async () => {
  const pool = await protectedPool(server, "AUDIT");
  const analytics = await createClient(server, pool.poolId, {
    AnalyticsConfiguration: {
      ApplicationId: "0123456789abcdef0123456789abcdef",
      RoleArn: "arn:aws:iam::000000000000:role/pinpoint",
      UserDataShared: true,
    },
  });
  await createUser(server, pool.poolId, "alice");
  await signIn(server, pool, "alice", { device: "home-laptop" });
  const out = await server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.poolId,
      ClientId: analytics.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "alice", PASSWORD },
      AnalyticsMetadata: { AnalyticsEndpointId: "pinpoint-endpoint-7" },
      ClientMetadata: { secretish: "never-exported" },
    }),
  );

  const text = await cognateEvents(["--pool", pool.poolId, "--json"]);
  expect(text).not.toContain("never-exported");
  const lines = text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines).toHaveLength(2);
  expect(lines[1]).toEqual({
    userPoolId: pool.poolId,
    username: "alice",
    sub: expect.any(String),
    clientId: analytics.clientId,
    EventId: claims(out.AuthenticationResult?.AccessToken).event_id,
    EventType: "SignIn",
    CreationDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    EventResponse: "Pass",
    EventRisk: { RiskDecision: "NoRisk", CompromisedCredentialsDetected: false },
    ChallengeResponses: [{ ChallengeName: "Password", ChallengeResponse: "Success" }],
    risk: { mode: "AUDIT", actions: [], score: 0, reasons: [] },
    analyticsEndpointId: "pinpoint-endpoint-7",
    analyticsConfiguration: {
      ApplicationId: "0123456789abcdef0123456789abcdef",
      RoleArn: "arn:aws:iam::000000000000:role/pinpoint",
      UserDataShared: true,
    },
  });
  expect(lines[0].EventContextData).toEqual({
    IpAddress: "198.51.100.10",
    DeviceName: "Chrome 120, MacOS",
    Timezone: "+01:00",
  });

  const future = await cognateEvents(["--pool", pool.poolId, "--since", "2999-01-01T00:00:00Z", "--json"]);
  expect(future).toBe("");
  const plain = await cognateEvents(["--pool", pool.poolId]);
  expect(plain.trim().split("\n")[1]).toMatch(/ alice SignIn Pass NoRisk - \[\]$/);
});
