import { AdminDisableUserCommand, AdminInitiateAuthCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createClient,
  createPool,
  createUser,
  expectError,
  expectTokens,
  PASSWORD,
  type TestClient,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let poolId: string;
let app: TestClient;
/** The server's frozen clock, moved by the tests. */
let now: number;
let userCount = 0;
let username: string;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
  app = await createClient(server, poolId);
});
afterAll(async () => server.stop());

beforeEach(async () => {
  now = Date.now();
  server.services.clock = () => new Date(now);
  username = `user${++userCount}`;
  await createUser(server, poolId, username);
});

const seconds = (n: number) => {
  now += n * 1000;
};

function signIn(password: string, name = username) {
  return server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: app.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: name, PASSWORD: password },
    }),
  );
}

const wrong = () =>
  expectError(signIn("Wrong-passw0rd"), "NotAuthorizedException", "Incorrect username or password.");
const locked = (password = PASSWORD) =>
  expectError(signIn(password), "NotAuthorizedException", "Password attempts exceeded");

describe("failed-password lockout", () => {
  it("locks for 1 s after the fifth consecutive failure, then doubles", async () => {
    for (let i = 0; i < 5; i++) await wrong();
    await locked();
    await locked("Wrong-passw0rd");
    seconds(1);
    await wrong(); // the 6th failure: 2 s
    seconds(1.9);
    await locked();
    seconds(0.1);
    await wrong(); // the 7th: 4 s
    seconds(3.9);
    await locked();
    seconds(0.1);
    expectTokens(await signIn(PASSWORD));
  });

  it("does not count attempts refused while locked", async () => {
    for (let i = 0; i < 5; i++) await wrong();
    for (let i = 0; i < 10; i++) await locked("Wrong-passw0rd");
    seconds(1);
    await wrong(); // still only the 6th failure: locked 2 s, not longer
    seconds(2);
    expectTokens(await signIn(PASSWORD));
  });

  it("a correct password clears the count", async () => {
    for (let i = 0; i < 4; i++) await wrong();
    expectTokens(await signIn(PASSWORD));
    for (let i = 0; i < 4; i++) await wrong();
    expectTokens(await signIn(PASSWORD));
  });

  it("fifteen minutes without a failure forget the count", async () => {
    for (let i = 0; i < 5; i++) await wrong();
    seconds(15 * 60);
    await wrong(); // the first of a new count: no lock
    expectTokens(await signIn(PASSWORD));
  });

  it("caps a lock at 15 minutes", async () => {
    for (let i = 0; i < 5; i++) await wrong();
    // Failures 6 to 14 lock for 2, 4, … 512 s; wait each out.
    for (let n = 6; n <= 15; n++) {
      seconds(2 ** (n - 1 - 5));
      await wrong();
    }
    // The 15th failure would lock for 1,024 s; the cap is 900.
    seconds(899);
    await locked();
    seconds(1);
    expectTokens(await signIn(PASSWORD));
  });

  it("counts concurrent failures, every one of them", async () => {
    await Promise.all(Array.from({ length: 5 }, () => wrong()));
    await locked();
  });

  it("locks only the user who failed", async () => {
    for (let i = 0; i < 5; i++) await wrong();
    await locked();
    const other = `${username}-other`;
    await createUser(server, poolId, other);
    expectTokens(await signIn(PASSWORD, other));
  });

  it("reports a disabled user before the lock", async () => {
    for (let i = 0; i < 5; i++) await wrong();
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: username }));
    await expectError(signIn(PASSWORD), "NotAuthorizedException", "User is disabled.");
  });

  it("counts wrong temporary passwords too", async () => {
    const temp = `${username}-temp`;
    await createUser(server, poolId, temp, { temporary: true });
    for (let i = 0; i < 5; i++) {
      await expectError(
        signIn("Wrong-passw0rd", temp),
        "NotAuthorizedException",
        "Incorrect username or password.",
      );
    }
    await expectError(
      signIn("Temp0rary-pass!", temp),
      "NotAuthorizedException",
      "Password attempts exceeded",
    );
    seconds(1);
    expect((await signIn("Temp0rary-pass!", temp)).ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
  });
});
