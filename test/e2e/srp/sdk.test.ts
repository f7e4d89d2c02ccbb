/**
 * USER_SRP_AUTH through the AWS SDK v3 with the test-side SRP client: both operations, clients with
 * a secret, unknown users, the checks of SRP_A and TIMESTAMP, and the answer's parameters.
 */
import { InitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { N_HEX } from "../../../src/crypto/srp.js";
import {
  claims,
  createClient,
  createPool,
  createUser,
  expectError,
  expectTokens,
  PASSWORD,
  resetClock,
  secretHash,
  type TestClient,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { answerPasswordVerifier, startSrp } from "../../support/srp-client.js";
import { respondPasswordVerifier, srpChallenge, srpSignIn, tokensOf } from "./support.js";

const SRP_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] as const;
let server: TestServer;
let poolId: string;
let app: TestClient;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server, { AliasAttributes: ["email"] });
  app = await createClient(server, poolId, { ExplicitAuthFlows: [...SRP_FLOWS] });
  await createUser(server, poolId, "alice", {
    attributes: [
      { Name: "email", Value: "alice@example.com" },
      { Name: "email_verified", Value: "true" },
    ],
  });
});
afterAll(async () => server.stop());
afterEach(() => resetClock(server));

const target = () => ({ server, poolId, app });

function initiate(parameters: Record<string, string>, client = app) {
  return server.client.send(
    new InitiateAuthCommand({
      ClientId: client.clientId,
      AuthFlow: "USER_SRP_AUTH",
      AuthParameters: parameters,
    }),
  );
}

describe("USER_SRP_AUTH", () => {
  it("answers PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK, USERNAME and USER_ID_FOR_SRP", async () => {
    const { challenge } = await srpChallenge({ ...target(), username: "alice@example.com" });
    expect(Object.keys(challenge).sort()).toEqual([
      "SALT",
      "SECRET_BLOCK",
      "SRP_B",
      "USERNAME",
      "USER_ID_FOR_SRP",
    ]);
    expect(challenge.USER_ID_FOR_SRP).toBe("alice");
    expect(challenge.USERNAME).toBe("alice");
    expect(challenge.SALT).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(challenge.SRP_B).toMatch(/^[1-9a-f][0-9a-f]*$/);
  });

  it("signs in through InitiateAuth and RespondToAuthChallenge", async () => {
    const out = await srpSignIn({ ...target(), username: "alice" });
    expectTokens(out);
    expect(claims(out.AuthenticationResult?.AccessToken).username).toBe("alice");
  });

  it("signs in through AdminInitiateAuth and AdminRespondToAuthChallenge", async () => {
    const out = await srpSignIn({ ...target(), username: "alice", admin: true });
    expectTokens(out);
    expect(claims(out.AuthenticationResult?.IdToken)["cognito:username"]).toBe("alice");
  });

  it("makes a fresh B for every sign-in", async () => {
    const first = await srpChallenge({ ...target(), username: "alice" });
    const second = await srpChallenge({ ...target(), username: "alice" });
    expect(second.challenge.SALT).toBe(first.challenge.SALT);
    expect(second.challenge.SRP_B).not.toBe(first.challenge.SRP_B);
  });

  it("needs USERNAME and SRP_A, and the flow enabled on the client", async () => {
    await expectError(
      initiate({ USERNAME: "alice" }),
      "InvalidParameterException",
      "Missing required parameter SRP_A",
    );
    await expectError(
      initiate({ SRP_A: startSrp().srpA }),
      "InvalidParameterException",
      "Missing required parameter USERNAME",
    );
    const passwordOnly = await createClient(server, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    await expectError(
      initiate({ USERNAME: "alice", SRP_A: startSrp().srpA }, passwordOnly),
      "InvalidParameterException",
      "USER_SRP_AUTH is not enabled for the client.",
    );
  });

  it("refuses an SRP_A that is 0 mod N or not hexadecimal", async () => {
    for (const srpA of ["0", "00", N_HEX, (BigInt(`0x${N_HEX}`) * 2n).toString(16), "xyz", "12 34"]) {
      await expectError(
        initiate({ USERNAME: "alice", SRP_A: srpA }),
        "InvalidParameterException",
        "Invalid SRP_A value.",
      );
    }
  });

  it("needs the proof's parameters in the answer", async () => {
    const { responses } = await srpChallenge({ ...target(), username: "alice" });
    for (const name of ["PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "USERNAME"]) {
      const { [name]: _, ...without } = responses;
      await expectError(
        respondPasswordVerifier(target(), without),
        "InvalidParameterException",
        `Missing required parameter ${name}`,
      );
    }
    tokensOf(await respondPasswordVerifier(target(), responses));
  });

  it("refuses a proof made with another password", async () => {
    await expectError(
      srpSignIn({ ...target(), username: "alice", password: "Not-the-passw0rd" }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });
});

describe("TIMESTAMP", () => {
  const MAY_7 = new Date(Date.UTC(2025, 4, 7, 0, 9, 40)); // a Wednesday

  async function answerAt(timestamp: string) {
    server.services.clock = () => MAY_7;
    const { challenge, start } = await srpChallenge({ ...target(), username: "alice" });
    return respondPasswordVerifier(
      target(),
      answerPasswordVerifier({ poolId, password: PASSWORD, challenge, start }, { timestamp }),
    );
  }

  it("accepts Java's EEE MMM d HH:mm:ss z yyyy, in UTC or GMT", async () => {
    tokensOf(await answerAt("Wed May 7 00:09:40 UTC 2025"));
    tokensOf(await answerAt("Wed May 7 00:09:40 GMT 2025"));
  });

  it("refuses other formats, a space-padded day among them", async () => {
    for (const timestamp of [
      "2025-05-07T00:09:40Z",
      "Wed May  7 00:09:40 UTC 2025",
      "Wed May 7 0:09:40 UTC 2025",
    ]) {
      await expectError(
        answerAt(timestamp),
        "InvalidParameterException",
        "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.",
      );
    }
  });

  it("parses a zero-padded day or a wrong weekday, whose signature then fails", async () => {
    for (const timestamp of ["Wed May 07 00:09:40 UTC 2025", "Tue May 7 00:09:40 UTC 2025"]) {
      await expectError(answerAt(timestamp), "NotAuthorizedException", "Incorrect username or password.");
    }
  });

  it("allows 5 minutes between the client's clock and the server's by default", async () => {
    const { challenge, start } = await srpChallenge({ ...target(), username: "alice" });
    const skewed = (ms: number) =>
      answerPasswordVerifier(
        { poolId, password: PASSWORD, challenge, start },
        { now: new Date(Date.now() + ms) },
      );
    await expectError(
      respondPasswordVerifier(target(), skewed(6 * 60 * 1000)),
      "NotAuthorizedException",
      "TIMESTAMP is too far from the server's time.",
    );
    await expectError(
      respondPasswordVerifier(target(), skewed(-6 * 60 * 1000)),
      "NotAuthorizedException",
      "TIMESTAMP is too far from the server's time.",
    );
    tokensOf(await respondPasswordVerifier(target(), skewed(-4 * 60 * 1000)));
  });
});

describe("a client with a secret", () => {
  it("needs SECRET_HASH over the name sent, then over USER_ID_FOR_SRP", async () => {
    const secretive = await createClient(server, poolId, {
      ExplicitAuthFlows: [...SRP_FLOWS],
      GenerateSecret: true,
    });
    const on = { server, poolId, app: secretive };
    const typed = "alice@example.com";
    await expectError(
      initiate({ USERNAME: typed, SRP_A: startSrp().srpA }, secretive),
      "NotAuthorizedException",
      `Client ${secretive.clientId} is configured with secret but SECRET_HASH was not received`,
    );
    await expectError(
      initiate(
        { USERNAME: typed, SRP_A: startSrp().srpA, SECRET_HASH: secretHash(secretive, "bob") },
        secretive,
      ),
      "NotAuthorizedException",
      `Unable to verify secret hash for client ${secretive.clientId}`,
    );
    const { responses, challenge } = await srpChallenge({
      ...on,
      username: typed,
      initiate: { SECRET_HASH: secretHash(secretive, typed) },
    });
    await expectError(
      respondPasswordVerifier(on, responses),
      "NotAuthorizedException",
      `Client ${secretive.clientId} is configured with secret but SECRET_HASH was not received`,
    );
    const out = await respondPasswordVerifier(on, {
      ...responses,
      SECRET_HASH: secretHash(secretive, challenge.USER_ID_FOR_SRP),
    });
    expect(claims(tokensOf(out).AccessToken).client_id).toBe(secretive.clientId);
  });
});

describe("unknown users", () => {
  it("are UserNotFoundException at InitiateAuth when the client reveals user existence (LEGACY)", async () => {
    await expectError(
      initiate({ USERNAME: "nobody", SRP_A: startSrp().srpA }),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  it("get a simulated challenge, the same on every attempt, and fail only at the proof (ENABLED)", async () => {
    const hiding = await createClient(server, poolId, {
      ExplicitAuthFlows: [...SRP_FLOWS],
      PreventUserExistenceErrors: "ENABLED",
    });
    const on = { server, poolId, app: hiding };
    const first = await srpChallenge({ ...on, username: "ghost" });
    const second = await srpChallenge({ ...on, username: "ghost" });
    const other = await srpChallenge({ ...on, username: "phantom" });
    expect(first.challenge.USER_ID_FOR_SRP).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(first.challenge.USERNAME).toBe(first.challenge.USER_ID_FOR_SRP);
    expect(first.challenge.SALT).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(second.challenge.USER_ID_FOR_SRP).toBe(first.challenge.USER_ID_FOR_SRP);
    expect(second.challenge.SALT).toBe(first.challenge.SALT);
    expect(second.challenge.SRP_B).not.toBe(first.challenge.SRP_B);
    expect(other.challenge.USER_ID_FOR_SRP).not.toBe(first.challenge.USER_ID_FOR_SRP);
    expect(other.challenge.SALT).not.toBe(first.challenge.SALT);

    await expectError(
      respondPasswordVerifier(on, first.responses),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await expectError(
      respondPasswordVerifier(on, first.responses),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
    // A real user of the same client still signs in.
    tokensOf(await srpSignIn({ ...on, username: "alice" }));
  });
});

describe("configuration (srp)", () => {
  it("takes the TIMESTAMP skew from srp.timestampSkewSeconds, and runs without worker threads when srp.workers is 0", async () => {
    const strict = await startTestServer({ srp: { timestampSkewSeconds: 60, workers: 0 } });
    try {
      const strictPool = await createPool(strict);
      const strictApp = await createClient(strict, strictPool, { ExplicitAuthFlows: [...SRP_FLOWS] });
      await createUser(strict, strictPool, "carol");
      const on = { server: strict, poolId: strictPool, app: strictApp };
      tokensOf(await srpSignIn({ ...on, username: "carol" }));
      await expectError(
        srpSignIn({ ...on, username: "carol", answer: { now: new Date(Date.now() + 2 * 60 * 1000) } }),
        "NotAuthorizedException",
        "TIMESTAMP is too far from the server's time.",
      );
    } finally {
      await strict.stop();
    }
  });
});
