/**
 * Two instances on one PostgreSQL database agree on SRP: a SECRET_BLOCK sealed by one opens on the
 * other, a block answered on one is spent on both, and an unknown user's simulated challenge is
 * the same whichever instance answers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClient,
  createPool,
  createUser,
  expectError,
  type TestClient,
} from "../../support/fixtures.js";
import { startTwoInstances, type TwoInstances } from "../../support/instances.js";
import { POSTGRES_SKIP_MESSAGE, postgresReachable } from "../../support/postgres.js";
import type { TestServer } from "../../support/server.js";
import { respondPasswordVerifier, srpChallenge, tokensOf } from "./support.js";

const available = await postgresReachable();
if (!available) it.skip(`SRP on two instances: ${POSTGRES_SKIP_MESSAGE}`, () => {});

describe.skipIf(!available)("SRP on two instances sharing one PostgreSQL database", () => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;
  let poolId: string;
  let app: TestClient;

  beforeAll(async () => {
    instances = await startTwoInstances();
    ({ a, b } = instances);
    poolId = await createPool(a);
    app = await createClient(a, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      PreventUserExistenceErrors: "ENABLED",
    });
    await createUser(b, poolId, "shared-user");
  });
  afterAll(async () => instances?.stop());

  it("a block sealed on A is answered on B, and is spent for A too", async () => {
    const { responses } = await srpChallenge({ server: a, poolId, app, username: "shared-user" });
    tokensOf(await respondPasswordVerifier({ server: b, poolId, app }, responses));
    await expectError(
      respondPasswordVerifier({ server: a, poolId, app }, responses),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("an unknown user's simulated challenge is the same on both", async () => {
    const onA = await srpChallenge({ server: a, poolId, app, username: "nobody-here" });
    const onB = await srpChallenge({ server: b, poolId, app, username: "nobody-here" });
    expect(onB.challenge.SALT).toBe(onA.challenge.SALT);
    expect(onB.challenge.USER_ID_FOR_SRP).toBe(onA.challenge.USER_ID_FOR_SRP);
    await expectError(
      respondPasswordVerifier({ server: b, poolId, app }, onA.responses),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });
});
