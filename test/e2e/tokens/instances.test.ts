/**
 * Two instances on one PostgreSQL database share each pool's keys: created once even when both
 * need them at the same moment, and a key one instance makes is honoured by the other at once.
 */
import { GetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwoInstances, type TwoInstances } from "../../support/instances.js";
import { POSTGRES_SKIP_MESSAGE, postgresReachable } from "../../support/postgres.js";
import type { TestServer } from "../../support/server.js";
import { createClient, createPool, createUser, header, signIn, type TestClient } from "./support.js";

const available = await postgresReachable();
if (!available) it.skip(`two instances: ${POSTGRES_SKIP_MESSAGE}`, () => {});

async function jwks(server: TestServer, poolId: string): Promise<string[]> {
  const body = (await (await fetch(`${server.url}/${poolId}/.well-known/jwks.json`)).json()) as {
    keys: { kid: string }[];
  };
  return body.keys.map((k) => k.kid).sort();
}

describe.skipIf(!available)("signing keys across two instances", () => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    instances = await startTwoInstances({});
    ({ a, b } = instances);
  });
  afterAll(async () => instances?.stop());

  it("creates a pool's keys once when both instances need them at the same moment", async () => {
    const poolId = await createPool(a);
    const app: TestClient = await createClient(a, poolId);
    await createUser(a, poolId, "alice");
    const [onA, onB] = await Promise.all([
      signIn(a.client, poolId, app.clientId, "alice"),
      signIn(b.client, poolId, app.clientId, "alice"),
    ]);
    expect(header(onA.AccessToken).kid).toBe(header(onB.AccessToken).kid);
    expect(header(onA.IdToken).kid).toBe(header(onB.IdToken).kid);
    const [keysA, keysB] = [await jwks(a, poolId), await jwks(b, poolId)];
    expect(keysA).toHaveLength(2);
    expect(keysB).toEqual(keysA);
    await expect(b.client.send(new GetUserCommand({ AccessToken: onA.AccessToken }))).resolves.toBeDefined();
    await expect(a.client.send(new GetUserCommand({ AccessToken: onB.AccessToken }))).resolves.toBeDefined();
  });

  it("honours at once a token signed with a key the other instance rotated in", async () => {
    const poolId = await createPool(a);
    const app: TestClient = await createClient(a, poolId);
    await createUser(a, poolId, "bob");
    await signIn(b.client, poolId, app.clientId, "bob");
    const kid = await a.services.keys.rotate(poolId, "access", new Date());
    const fresh = await signIn(a.client, poolId, app.clientId, "bob");
    expect(header(fresh.AccessToken).kid).toBe(kid);
    const user = await b.client.send(new GetUserCommand({ AccessToken: fresh.AccessToken }));
    expect(user.Username).toBe("bob");
    expect(await jwks(b, poolId)).toContain(kid);
  });
});
