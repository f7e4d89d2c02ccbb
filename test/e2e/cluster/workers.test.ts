/**
 * `cognate serve --workers 2` behaves as one server, on SQLite and on PostgreSQL: a journey's
 * steps are answered by different worker processes (every call on a new connection; the request
 * log says which worker answered) — an SRP sign-in's two steps, a challenge session, a code sent
 * by one worker and checked by the other, password failures counted together, and a refresh
 * token rotated once whichever worker sees it. A worker that dies is replaced; SIGTERM drains
 * them all and the server exits 0.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD, TEMPORARY_PASSWORD } from "../../support/fixtures.js";
import {
  createTestSchema,
  dropTestSchema,
  postgresReachable,
  schemaDatabaseUrl,
} from "../../support/postgres.js";
import { answerPasswordVerifier, startSrp } from "../../support/srp-client.js";
import { type Answer, startWorkerServer, type WorkerServer } from "../../support/workers.js";

const postgres = await postgresReachable();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function journeys(database: "sqlite" | "postgres") {
  let server: WorkerServer;
  let schema: string | undefined;
  let poolId: string;
  let clientId: string;
  let rotatingClientId: string;
  let users = 0;

  const ok = (answer: Answer) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };

  beforeAll(async () => {
    if (database === "postgres") schema = await createTestSchema();
    server = await startWorkerServer({ databaseUrl: schema && schemaDatabaseUrl(schema) });
    const pool = ok(
      await server.call("CreateUserPool", { PoolName: "workers", AutoVerifiedAttributes: ["email"] }),
    );
    poolId = (pool.UserPool as { Id: string }).Id;
    const flows = ["ALLOW_USER_SRP_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
    const client = (body: Record<string, unknown>) =>
      server.call("CreateUserPoolClient", {
        UserPoolId: poolId,
        ClientName: "app",
        ExplicitAuthFlows: flows,
        ...body,
      });
    clientId = (ok(await client({})).UserPoolClient as { ClientId: string }).ClientId;
    rotatingClientId = (
      ok(await client({ RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 } }))
        .UserPoolClient as { ClientId: string }
    ).ClientId;
  }, 120_000);

  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    if (schema) await dropTestSchema(schema);
  });

  async function newUser(options: { temporary?: boolean } = {}): Promise<string> {
    const username = `user${++users}`;
    ok(
      await server.call("AdminCreateUser", {
        UserPoolId: poolId,
        Username: username,
        TemporaryPassword: TEMPORARY_PASSWORD,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: `${username}@example.com` },
          { Name: "email_verified", Value: "true" },
        ],
      }),
    );
    if (!options.temporary) {
      ok(
        await server.call("AdminSetUserPassword", {
          UserPoolId: poolId,
          Username: username,
          Password: PASSWORD,
          Permanent: true,
        }),
      );
    }
    return username;
  }

  const passwordSignIn = (username: string, password = PASSWORD, client = clientId) => ({
    UserPoolId: poolId,
    ClientId: client,
    AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: username, PASSWORD: password },
  });

  it("an SRP sign-in's PASSWORD_VERIFIER is answered by the other worker", async () => {
    const username = await newUser();
    const start = startSrp();
    const init = await server.call("InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: { USERNAME: username, SRP_A: start.srpA },
    });
    const challenge = ok(init).ChallengeParameters as Record<string, string>;
    const responses = answerPasswordVerifier({ poolId, password: PASSWORD, challenge, start });
    const answer = { ClientId: clientId, ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: responses };
    const verified = await server.callElsewhere(init.pid, "RespondToAuthChallenge", answer);
    expect(verified.pid).not.toBe(init.pid);
    expect(ok(verified).AuthenticationResult).toHaveProperty("AccessToken");
    // Answered once, whichever worker sees it again.
    const replay = await server.callElsewhere(verified.pid, "RespondToAuthChallenge", answer);
    expect(replay.pid).not.toBe(verified.pid);
    expect(replay.body.__type).toBe("NotAuthorizedException");
  });

  it("a NEW_PASSWORD_REQUIRED session from one worker is answered on the other, once", async () => {
    const username = await newUser({ temporary: true });
    const challenge = await server.call("AdminInitiateAuth", passwordSignIn(username, TEMPORARY_PASSWORD));
    expect(ok(challenge).ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const answer = {
      UserPoolId: poolId,
      ClientId: clientId,
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      Session: challenge.body.Session,
      ChallengeResponses: { USERNAME: username, NEW_PASSWORD: "N3w-password!" },
    };
    const answered = await server.callElsewhere(challenge.pid, "AdminRespondToAuthChallenge", answer);
    expect(answered.pid).not.toBe(challenge.pid);
    expect(ok(answered).AuthenticationResult).toHaveProperty("AccessToken");
    const again = await server.callElsewhere(answered.pid, "AdminRespondToAuthChallenge", answer);
    expect(again.body.__type).toBe("NotAuthorizedException");
  });

  it("a code sent by one worker is checked by the other, and spent", async () => {
    const username = await newUser();
    const sent = await server.call("ForgotPassword", { ClientId: clientId, Username: username });
    ok(sent);
    const { messages } = (await server.get(`/_cognate/outbox?poolId=${poolId}&username=${username}`)) as {
      messages: { message: string }[];
    };
    const code = messages[0].message.match(/\d{6}/)?.[0];
    const confirm = {
      ClientId: clientId,
      Username: username,
      ConfirmationCode: code,
      Password: "Ch4nged-pass!",
    };
    const confirmed = await server.callElsewhere(sent.pid, "ConfirmForgotPassword", confirm);
    expect(confirmed.pid).not.toBe(sent.pid);
    ok(confirmed);
    const reused = await server.callElsewhere(confirmed.pid, "ConfirmForgotPassword", confirm);
    expect(reused.body.__type).toBe("ExpiredCodeException");
    expect(
      ok(await server.call("AdminInitiateAuth", passwordSignIn(username, "Ch4nged-pass!"))),
    ).toHaveProperty("AuthenticationResult");
  });

  it("password failures on both workers count together and lock the user out on both", async () => {
    const username = await newUser();
    const failedOn = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const failed = await server.call("AdminInitiateAuth", passwordSignIn(username, "Wrong-passw0rd"));
      expect(failed.body.message).toBe("Incorrect username or password.");
      failedOn.add(failed.pid);
    }
    expect(failedOn.size).toBe(2);
    const first = await server.call("AdminInitiateAuth", passwordSignIn(username));
    const second = await server.callElsewhere(first.pid, "AdminInitiateAuth", passwordSignIn(username));
    expect(second.pid).not.toBe(first.pid);
    for (const locked of [first, second]) expect(locked.body.message).toBe("Password attempts exceeded");
  });

  it("a refresh token rotated on both workers at once is rotated by exactly one", async () => {
    const username = await newUser();
    const signedIn = ok(
      await server.call("AdminInitiateAuth", passwordSignIn(username, PASSWORD, rotatingClientId)),
    );
    const refreshToken = (signedIn.AuthenticationResult as { RefreshToken: string }).RefreshToken;
    const rotate = () =>
      server.call("GetTokensFromRefreshToken", { ClientId: rotatingClientId, RefreshToken: refreshToken });
    const outcomes = await Promise.all([rotate(), rotate()]);
    expect(new Set(outcomes.map((o) => o.pid)).size).toBe(2);
    expect(outcomes.filter((o) => o.status === 200)).toHaveLength(1);
    expect(outcomes.filter((o) => o.status !== 200).map((o) => [o.body.__type, o.body.message])).toEqual([
      ["RefreshTokenReuseException", "Refresh Token has already been used"],
    ]);
  });

  it("both workers served (a SIGTERM then drains both and exits 0)", () => {
    expect(server.served().size).toBe(2);
  });

  if (database === "sqlite") {
    it("a worker that dies is replaced, and the port answers meanwhile", async () => {
      const [killed, survivor] = [...server.served()];
      process.kill(killed, "SIGKILL");
      // Connections handed to the worker as it died are lost with it (as in any crash); wait until
      // it is gone and the primary has seen it go.
      while (isAlive(killed)) await pause(100);
      await pause(1000);
      // The survivor answers while the replacement starts; then the replacement answers too.
      let replacement: number | undefined;
      for (let tries = 0; tries < 120 && replacement === undefined; tries++) {
        const answer = await server.call("ListUserPools", { MaxResults: 1 });
        expect(answer.status).toBe(200);
        if (answer.pid !== killed && answer.pid !== survivor) replacement = answer.pid;
        else await pause(500);
      }
      expect(replacement).toBeDefined();
    }, 90_000);
  }
}

describe("two worker processes on SQLite", () => journeys("sqlite"));

if (!postgres) it.skip("two worker processes on PostgreSQL: no PostgreSQL reachable", () => {});
describe.skipIf(!postgres)("two worker processes on PostgreSQL", () => journeys("postgres"));
