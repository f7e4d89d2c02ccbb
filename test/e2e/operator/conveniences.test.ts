/**
 * Conveniences for test suites, each off unless configured: a fixed code in every message (for the
 * server, or for one pool), ids chosen with the `_custom_id_` tag, the reset endpoint (back to the
 * seed) and snapshots (SQLite; PostgreSQL answers 501 and says what to use instead).
 */

import { join } from "node:path";
import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../support/cli.js";
import { expectError } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const EXAMPLE = join(ROOT, "docs/examples/seed.yaml");
const SEEDED = "us-east-1_Example01";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    seed: { file: EXAMPLE },
    testing: {
      fixedCode: "123456",
      poolFixedCodes: { "us-east-1_Own0000002": "654321" },
      resetEndpoint: true,
    },
  });
});
afterAll(() => server.stop());

async function signUpAndConfirm(poolId: string, code: string) {
  const client = await server.client.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app" }),
  );
  const ClientId = client.UserPoolClient!.ClientId!;
  await server.client.send(
    new SignUpCommand({
      ClientId,
      Username: "sam",
      Password: "Passw0rd-sam!",
      UserAttributes: [{ Name: "email", Value: "sam@example.com" }],
    }),
  );
  await server.client.send(new ConfirmSignUpCommand({ ClientId, Username: "sam", ConfirmationCode: code }));
}

async function post(path: string, body: unknown = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function poolIds() {
  const out = await server.client.send(new ListUserPoolsCommand({ MaxResults: 60 }));
  return (out.UserPools ?? []).map((p) => p.Id).sort();
}

describe("ids chosen with the _custom_id_ tag", () => {
  it("names the new pool, and refuses one taken or malformed", async () => {
    const created = await server.client.send(
      new CreateUserPoolCommand({ PoolName: "own", UserPoolTags: { _custom_id_: "us-east-1_Own0000001" } }),
    );
    expect(created.UserPool?.Id).toBe("us-east-1_Own0000001");
    await expectError(
      server.client.send(
        new CreateUserPoolCommand({
          PoolName: "again",
          UserPoolTags: { _custom_id_: "us-east-1_Own0000001" },
        }),
      ),
      "InvalidParameterException",
      "A user pool with the id us-east-1_Own0000001 already exists.",
    );
    await expectError(
      server.client.send(
        new CreateUserPoolCommand({ PoolName: "bad", UserPoolTags: { _custom_id_: "no id" } }),
      ),
      "InvalidParameterException",
      "The custom user pool id no id is invalid: it must be <region>_<letters and digits>, at most 55 characters.",
    );
  });
});

describe("a fixed code", () => {
  it("is in every message of the server, and a pool's own wins", async () => {
    const server1 = await server.client.send(
      new CreateUserPoolCommand({ PoolName: "codes", AutoVerifiedAttributes: ["email"] }),
    );
    await signUpAndConfirm(server1.UserPool!.Id!, "123456");
    const own = await server.client.send(
      new CreateUserPoolCommand({
        PoolName: "own-code",
        AutoVerifiedAttributes: ["email"],
        UserPoolTags: { _custom_id_: "us-east-1_Own0000002" },
      }),
    );
    await signUpAndConfirm(own.UserPool!.Id!, "654321");
  });
});

describe("the reset endpoint", () => {
  it("removes one pool or all, and applies the seed again", async () => {
    await server.client.send(new CreateUserPoolCommand({ PoolName: "extra" }));
    expect(await poolIds()).toContain(SEEDED);
    const one = await post("/_cognate/reset", { poolId: SEEDED });
    expect(one).toEqual({ status: 200, body: { reset: [SEEDED] } });
    const users = await server.client.send(new ListUsersCommand({ UserPoolId: SEEDED }));
    expect(users.Users).toHaveLength(3);
    expect((await poolIds()).length).toBeGreaterThan(1);

    const all = await post("/_cognate/reset");
    expect(all.status).toBe(200);
    expect(await poolIds()).toEqual([SEEDED]);
  });

  it("is absent unless configured", async () => {
    const plain = await startTestServer();
    try {
      // The path is then no more than any other: a POST there is an API call without a target.
      const res = await fetch(`${plain.url}/_cognate/reset`, { method: "POST" });
      expect(res.status).toBe(400);
      expect(await res.json()).toHaveProperty("__type");
    } finally {
      await plain.stop();
    }
  });
});

describe("snapshots", () => {
  it("save the database and restore it (SQLite; PostgreSQL says what to use instead)", async () => {
    const saved = await post("/_cognate/snapshots/base");
    if (server.databaseUrl) {
      expect(saved.status).toBe(501);
      expect(saved.body.message).toMatch(/pg_dump/);
      return;
    }
    expect(saved.status).toBe(200);
    const before = await poolIds();
    await server.client.send(new CreateUserPoolCommand({ PoolName: "after-snapshot" }));
    expect(await poolIds()).toHaveLength(before.length + 1);
    expect((await post("/_cognate/snapshots/base/restore")).status).toBe(200);
    expect(await poolIds()).toEqual(before);
  });
});
