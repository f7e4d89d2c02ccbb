/**
 * Secrets at rest (signing keys, client secrets, the server's keys): in clear, with a warning at
 * start, when no key is configured; sealed under the configured key otherwise — what was kept in
 * clear at the first start with a key, everything again when a new key replaces the old one.
 * One data directory, restarted with each configuration in turn.
 */
import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import {
  AdminInitiateAuthCommand,
  DescribeUserPoolClientCommand,
  GetUserCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { keyIdOf } from "../../../src/store/at-rest.js";
import { createClient, createPool, createUser, PASSWORD } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const [first, second, unrelated] = [0, 1, 2].map(() => randomBytes(32).toString("base64"));
const idOf = (key: string) => keyIdOf(Buffer.from(key, "base64"));

/** A logger that keeps what the server says. */
function listener() {
  const said: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      said.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: "info" }, stream), said };
}

const UNENCRYPTED =
  "secrets at rest (signing keys, client secrets, the server's keys) are stored unencrypted: set secrets.encryptionKey or COGNATE_ENCRYPTION_KEY to encrypt them (docs/DEPLOYMENT.md)";

let server: TestServer | undefined;
let dataDir: string;
let poolId: string;
let clientId: string;
let clientSecret: string;
let accessToken: string;

async function restart(secrets: { encryptionKey?: string; previousKeys?: string[] }) {
  await server?.stop({ keepData: true });
  server = undefined;
  const { logger, said } = listener();
  server = await startTestServer({ secrets }, { dataDir, logger });
  return said;
}

afterAll(async () => server?.stop());

function signIn(s: TestServer) {
  return s.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "keeper", PASSWORD },
    }),
  );
}

describe("secrets at rest", () => {
  it("are kept in clear without a key, and the server says so at start", async () => {
    const { logger, said } = listener();
    server = await startTestServer({}, { logger });
    dataDir = server.dataDir;
    expect(said).toContainEqual(expect.objectContaining({ level: 40, msg: UNENCRYPTED }));
    poolId = await createPool(server);
    const client = await createClient(server, poolId, { GenerateSecret: false });
    clientId = client.clientId;
    clientSecret = (await createClient(server, poolId, { GenerateSecret: true })).secret as string;
    await createUser(server, poolId, "keeper");
    accessToken = (await signIn(server)).AuthenticationResult?.AccessToken as string;
    const census = await server.services.store.resealing.census();
    expect(census.byKey).toEqual({});
    // Two signing keys and the client's secret at least.
    expect(census.clear).toBeGreaterThanOrEqual(3);
  });

  it("are sealed under the first key given, at the next start, and everything still works", async () => {
    const said = await restart({ encryptionKey: first });
    expect(said.map((s) => s.msg)).not.toContain(UNENCRYPTED);
    expect(said).toContainEqual(expect.objectContaining({ msg: "secrets at rest resealed" }));
    const census = await server!.services.store.resealing.census();
    expect(census.clear).toBe(0);
    expect(Object.keys(census.byKey)).toEqual([idOf(first)]);
    // The token signed before still verifies, the client's secret reads the same, sign-in works.
    expect((await server!.client.send(new GetUserCommand({ AccessToken: accessToken }))).Username).toBe(
      "keeper",
    );
    const described = await server!.client.send(
      new DescribeUserPoolClientCommand({
        UserPoolId: poolId,
        ClientId: (await server!.services.store.clients.list(poolId, 10)).find((c) => c.secrets.length > 0)
          ?.id,
      }),
    );
    expect(described.UserPoolClient?.ClientSecret).toBe(clientSecret);
    expect((await signIn(server!)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("are resealed under a new key that lists the old one as previous; then the new key alone opens them", async () => {
    await restart({ encryptionKey: second, previousKeys: [first] });
    expect(Object.keys((await server!.services.store.resealing.census()).byKey)).toEqual([idOf(second)]);
    await restart({ encryptionKey: second });
    expect((await server!.client.send(new GetUserCommand({ AccessToken: accessToken }))).Username).toBe(
      "keeper",
    );
    // A pool made now gets keys sealed under the current key.
    const other = await createPool(server!);
    await server!.services.keys.forPool(other, new Date());
    expect(Object.keys((await server!.services.store.resealing.census()).byKey)).toEqual([idOf(second)]);
  });

  it("stop the server at start when they are sealed under a key it is not given", async () => {
    await server?.stop({ keepData: true });
    server = undefined;
    const message = `cannot read the secrets at rest: a secret at rest is encrypted with key ${idOf(second)}, which the configuration does not give (secrets.encryptionKey, secrets.previousKeys)`;
    await expect(startTestServer({ secrets: { encryptionKey: unrelated } }, { dataDir })).rejects.toThrow(
      message,
    );
    await expect(startTestServer({}, { dataDir })).rejects.toThrow(message);
  });

  it("go back to clear without a key, the last one given as previous", async () => {
    const said = await restart({ previousKeys: [second] });
    expect(said).toContainEqual(expect.objectContaining({ level: 40, msg: UNENCRYPTED }));
    expect((await server!.services.store.resealing.census()).byKey).toEqual({});
  });
});
