/**
 * A scripted credential-stuffing run (many users, one IP address, wrong passwords, then the one
 * password that works) beside a normal user's sign-ins: the attack is blocked, the user is not.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createUser, expectError, expectTokens, PASSWORD } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { BROWSER, events, protectedPool, setActions, signIn, userWithHistory } from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

/** The attacker looks like a browser: only what the address did gives it away. */
const ATTACKER = { ip: "198.18.0.66", userAgent: BROWSER };
const VICTIMS = Array.from({ length: 12 }, (_, i) => `victim${i + 1}`);

it("blocks the stuffing IP address's hit and lets the normal user sign in throughout", async () => {
  const pool = await protectedPool(server, "ENFORCED");
  await setActions(server, pool.poolId, { Low: "NO_ACTION", Medium: "MFA_REQUIRED", High: "BLOCK" });
  for (const victim of VICTIMS) await userWithHistory(server, pool, victim);
  const nora = { ip: "198.51.100.200", device: "nora-laptop" };
  await createUser(server, pool.poolId, "nora");
  expectTokens(await signIn(server, pool, "nora", nora));

  // Before the run, a right password from that address is only a new address (Low): let through.
  expectTokens(await signIn(server, pool, "victim12", { ...ATTACKER, password: PASSWORD }));

  // The run: one wrong password per user (none is locked out), unknown names among them.
  for (const [i, name] of [...VICTIMS, "admin", "root"].entries()) {
    await expectError(
      signIn(server, pool, name, { ...ATTACKER, password: `Leaked-${i}!pass` }),
      name.startsWith("victim") ? "NotAuthorizedException" : "UserNotFoundException",
      name.startsWith("victim") ? "Incorrect username or password." : "User does not exist.",
    );
    // The normal user keeps signing in from home, untouched by the attack.
    if (i % 4 === 0) expectTokens(await signIn(server, pool, "nora", nora));
  }

  // The list held one right password: from that address it is refused all the same.
  await expectError(
    signIn(server, pool, "victim7", { ...ATTACKER, password: PASSWORD }),
    "NotAuthorizedException",
    "Unable to login because of security reasons.",
  );
  const [hit] = await events(server, pool.poolId, "victim7");
  expect(hit).toMatchObject({
    EventResponse: "Fail",
    EventRisk: { RiskDecision: "AccountTakeover", RiskLevel: "High" },
    EventContextData: { IpAddress: ATTACKER.ip },
  });

  // The victim from their own address, and the normal user, are not affected.
  expectTokens(await signIn(server, pool, "victim7", { device: "home-laptop" }));
  expectTokens(await signIn(server, pool, "nora", nora));
  const noras = await events(server, pool.poolId, "nora");
  expect(noras.length).toBeGreaterThanOrEqual(6);
  for (const event of noras) {
    expect(event.EventResponse).toBe("Pass");
    expect(event.EventRisk?.RiskDecision).toBe("NoRisk");
  }
});
