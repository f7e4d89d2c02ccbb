/**
 * Two instances on one PostgreSQL database agree on MFA: a TOTP code accepted by one is refused by
 * the other, and an SMS code one sent is taken by the other.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTwoInstances, type TwoInstances } from "../../support/instances.js";
import { POSTGRES_SKIP_MESSAGE, postgresReachable } from "../../support/postgres.js";
import type { TestServer } from "../../support/server.js";
import {
  adminAnswer,
  adminSignIn,
  enrolSoftwareToken,
  expectError,
  expectTokens,
  freezeClockMidStep,
  lastCode,
  mfaPool,
  SMS_CONFIGURATION,
  TOTP_ONLY,
  totp,
  user,
} from "./support.js";

const available = await postgresReachable();
if (!available) it.skip(`MFA on two instances: ${POSTGRES_SKIP_MESSAGE}`, () => {});

describe.skipIf(!available)("MFA on two instances sharing PostgreSQL", () => {
  let instances: TwoInstances;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    instances = await startTwoInstances();
    ({ a, b } = instances);
    // Both clocks in the same TOTP time step.
    freezeClockMidStep(a);
    b.services.clock = a.services.clock;
  });
  afterAll(async () => instances?.stop());

  it("refuses on one a TOTP code the other accepted", async () => {
    const pool = await mfaPool(a, TOTP_ONLY);
    await user(a, pool, "olga");
    const tokens = await adminSignIn(a, pool, "olga");
    const secret = await enrolSoftwareToken(a, tokens.AuthenticationResult?.AccessToken as string);
    const onA = await adminSignIn(a, pool, "olga");
    const onB = await adminSignIn(b, pool, "olga");
    const code = await totp(a, secret);
    expectTokens(await adminAnswer(a, pool, onA, { USERNAME: "olga", SOFTWARE_TOKEN_MFA_CODE: code }));
    await expectError(
      adminAnswer(b, pool, onB, { USERNAME: "olga", SOFTWARE_TOKEN_MFA_CODE: code }),
      "ExpiredCodeException",
      "Your software token has already been used once.",
    );
  });

  it("takes on one the SMS code the other sent", async () => {
    const pool = await mfaPool(a, {
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
    });
    await user(a, pool, "pavel", [{ Name: "phone_number", Value: "+15555550500" }]);
    const challenge = await adminSignIn(a, pool, "pavel");
    expect(challenge.ChallengeName).toBe("SMS_MFA");
    const code = await lastCode(b, pool.poolId, "+15555550500");
    expectTokens(await adminAnswer(b, pool, challenge, { USERNAME: "pavel", SMS_MFA_CODE: code }));
  });
});
