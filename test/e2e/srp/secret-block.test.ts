/**
 * SECRET_BLOCK: the sealed SRP state of USER_SRP_AUTH. Tampered, foreign (another user, client or
 * pool), replayed and expired blocks are each refused; wrong proofs count toward the lockout.
 */
import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  advanceClock,
  createClient,
  createPool,
  createUser,
  expectError,
  PASSWORD,
  resetClock,
  type TestClient,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { answerPasswordVerifier } from "../../support/srp-client.js";
import { respondPasswordVerifier, srpChallenge, tokensOf } from "./support.js";

const SRP_FLOWS = {
  ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH" as const, "ALLOW_REFRESH_TOKEN_AUTH" as const],
};

let server: TestServer;
let poolId: string;
let app: TestClient;
let users = 0;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
  app = await createClient(server, poolId, SRP_FLOWS);
});
afterAll(async () => server.stop());
afterEach(() => resetClock(server));

async function newUser(): Promise<string> {
  const username = `user${++users}`;
  await createUser(server, poolId, username);
  return username;
}

const target = () => ({ server, poolId, app });

describe("SECRET_BLOCK", () => {
  it("is opaque base64, and the same block with the right proof signs in", async () => {
    const username = await newUser();
    const { challenge, responses } = await srpChallenge({ ...target(), username });
    expect(challenge.SECRET_BLOCK).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(challenge.SECRET_BLOCK, "base64").toString("latin1")).not.toContain(username);
    tokensOf(await respondPasswordVerifier(target(), responses));
  });

  it("refuses a tampered block", async () => {
    const username = await newUser();
    const { challenge, start } = await srpChallenge({ ...target(), username });
    const bytes = Buffer.from(challenge.SECRET_BLOCK, "base64");
    bytes[bytes.length >> 1] ^= 0x01;
    const tampered = { ...challenge, SECRET_BLOCK: bytes.toString("base64") };
    const responses = answerPasswordVerifier({ poolId, password: PASSWORD, challenge: tampered, start });
    await expectError(
      respondPasswordVerifier(target(), responses),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("refuses a block that is not one, without a server error", async () => {
    const username = await newUser();
    const { responses } = await srpChallenge({ ...target(), username });
    for (const garbage of ["bm90IGEgYmxvY2s=", "%%%", "AgV4"]) {
      await expectError(
        respondPasswordVerifier(target(), { ...responses, PASSWORD_CLAIM_SECRET_BLOCK: garbage }),
        "NotAuthorizedException",
        "Incorrect username or password.",
      );
    }
  });

  it("refuses a replayed block, after a success and after a wrong proof", async () => {
    const username = await newUser();
    const { responses } = await srpChallenge({ ...target(), username });
    tokensOf(await respondPasswordVerifier(target(), responses));
    await expectError(
      respondPasswordVerifier(target(), responses),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );

    const second = await srpChallenge({ ...target(), username, password: "Wr0ng-password!" });
    await expectError(
      respondPasswordVerifier(target(), second.responses),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    const right = answerPasswordVerifier({
      poolId,
      password: PASSWORD,
      challenge: second.challenge,
      start: second.start,
    });
    await expectError(
      respondPasswordVerifier(target(), right),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("refuses a block answered concurrently twice: one answer wins", async () => {
    const username = await newUser();
    const { responses } = await srpChallenge({ ...target(), username });
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => respondPasswordVerifier(target(), responses)),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        name: "NotAuthorizedException",
        message: "Invalid session for the user, session can only be used once.",
      });
    }
  });

  it("expires with the client's AuthSessionValidity (3 minutes by default)", async () => {
    const username = await newUser();
    const { challenge, start } = await srpChallenge({ ...target(), username });
    advanceClock(server, 3 * 60 * 1000 - 5_000);
    const inTime = answerPasswordVerifier(
      { poolId, password: PASSWORD, challenge, start },
      { now: server.services.clock() },
    );
    tokensOf(await respondPasswordVerifier(target(), inTime));

    const late = await srpChallenge({ ...target(), username });
    advanceClock(server, 3 * 60 * 1000);
    const responses = answerPasswordVerifier(
      { poolId, password: PASSWORD, challenge: late.challenge, start: late.start },
      { now: server.services.clock() },
    );
    await expectError(
      respondPasswordVerifier(target(), responses),
      "NotAuthorizedException",
      "Invalid session for the user, session is expired.",
    );
  });

  it("lives as long as a longer AuthSessionValidity", async () => {
    const patient = await createClient(server, poolId, { ...SRP_FLOWS, AuthSessionValidity: 10 });
    const username = await newUser();
    const on = { server, poolId, app: patient };
    const { challenge, start } = await srpChallenge({ ...on, username });
    advanceClock(server, 9 * 60 * 1000);
    const responses = answerPasswordVerifier(
      { poolId, password: PASSWORD, challenge, start },
      { now: server.services.clock() },
    );
    tokensOf(await respondPasswordVerifier(on, responses));
  });

  it("refuses another user's block, even with that user's valid proof", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const { responses } = await srpChallenge({ ...target(), username: bob });
    await expectError(
      respondPasswordVerifier(target(), { ...responses, USERNAME: alice }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("refuses a block issued to another client or another pool", async () => {
    const username = await newUser();
    const other = await createClient(server, poolId, SRP_FLOWS);
    const first = await srpChallenge({ ...target(), username });
    await expectError(
      respondPasswordVerifier({ server, poolId, app: other }, first.responses),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );

    const otherPool = await createPool(server);
    const otherApp = await createClient(server, otherPool, SRP_FLOWS);
    await createUser(server, otherPool, username);
    const second = await srpChallenge({ ...target(), username, admin: true });
    await expectError(
      respondPasswordVerifier({ server, poolId: otherPool, app: otherApp, admin: true }, second.responses),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("ends when the user is deleted, disabled or changes password meanwhile", async () => {
    const deleted = await newUser();
    const a = await srpChallenge({ ...target(), username: deleted });
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: deleted }));
    await expectError(
      respondPasswordVerifier(target(), a.responses),
      "UserNotFoundException",
      "User does not exist.",
    );

    const disabled = await newUser();
    const b = await srpChallenge({ ...target(), username: disabled });
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: disabled }));
    await expectError(
      respondPasswordVerifier(target(), b.responses),
      "NotAuthorizedException",
      "User is disabled.",
    );

    const changed = await newUser();
    const c = await srpChallenge({ ...target(), username: changed });
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: changed,
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    await expectError(
      respondPasswordVerifier(target(), c.responses),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });
});

describe("wrong proofs and the lockout", () => {
  it("counts wrong proofs: from the fifth the user is locked, even for the right password", async () => {
    const username = await newUser();
    const frozen = server.services.clock();
    server.services.clock = () => frozen;
    for (let i = 0; i < 5; i++) {
      const { responses } = await srpChallenge({
        ...target(),
        username,
        password: `Wr0ng-${i}!`,
        answer: { now: frozen },
      });
      await expectError(
        respondPasswordVerifier(target(), responses),
        "NotAuthorizedException",
        "Incorrect username or password.",
      );
    }
    await expectError(
      srpChallenge({ ...target(), username }),
      "NotAuthorizedException",
      "Password attempts exceeded",
    );
  });

  it("refuses an answer while locked, even with the right proof of a block issued before the lock", async () => {
    const username = await newUser();
    const frozen = server.services.clock();
    server.services.clock = () => frozen;
    const early = await srpChallenge({ ...target(), username, answer: { now: frozen } });
    for (let i = 0; i < 5; i++) {
      const { responses } = await srpChallenge({
        ...target(),
        username,
        password: `Wr0ng-${i}!`,
        answer: { now: frozen },
      });
      await expect(respondPasswordVerifier(target(), responses)).rejects.toThrow();
    }
    await expectError(
      respondPasswordVerifier(target(), early.responses),
      "NotAuthorizedException",
      "Password attempts exceeded",
    );
  });

  it("a right proof clears the count", async () => {
    const username = await newUser();
    const frozen = server.services.clock();
    server.services.clock = () => frozen;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) {
        const { responses } = await srpChallenge({
          ...target(),
          username,
          password: `Wr0ng-${i}!`,
          answer: { now: frozen },
        });
        await expect(respondPasswordVerifier(target(), responses)).rejects.toThrow(
          "Incorrect username or password.",
        );
      }
      const { responses } = await srpChallenge({ ...target(), username, answer: { now: frozen } });
      tokensOf(await respondPasswordVerifier(target(), responses));
    }
  });
});
