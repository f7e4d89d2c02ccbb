/**
 * Amplify JS v6 in Node 20 completes MFA sign-ins against the server: SRP then TOTP
 * (`CONFIRM_SIGN_IN_WITH_TOTP_CODE`), SRP then an email code (`CONFIRM_SIGN_IN_WITH_EMAIL_CODE`),
 * and its own TOTP set-up (`setUpTOTP` / `verifyTOTPSetup` / `updateMFAPreference`). Amplify
 * keeps one configuration and one signed-in user per process, so the tests run one after another.
 */
import {
  confirmSignIn,
  fetchMFAPreference,
  setUpTOTP,
  signIn,
  signOut,
  updateMFAPreference,
  verifyTOTPSetup,
} from "aws-amplify/auth";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { configureAmplify, quietAmplify } from "../../support/amplify.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { freezeClockMidStep, lastCode, mfaPool, PASSWORD, TOTP_ONLY, totp, user } from "./support.js";

let server: TestServer;
beforeAll(async () => {
  quietAmplify();
  server = await startTestServer();
});
afterAll(async () => server.stop());
beforeEach(() => freezeClockMidStep(server));
afterEach(async () => signOut());

describe("Amplify v6", () => {
  it("sets up TOTP for a signed-in user, then signs in with a TOTP code", async () => {
    const pool = await mfaPool(server, TOTP_ONLY);
    await user(server, pool, "lena");
    configureAmplify(server, pool);
    expect((await signIn({ username: "lena", password: PASSWORD })).isSignedIn).toBe(true);
    const setup = await setUpTOTP();
    const secret = setup.sharedSecret;
    expect(secret).toMatch(/^[A-Z2-7]{52}$/);
    expect(setup.getSetupUri("Acme", "lena").href).toContain(`secret=${secret}`);
    await verifyTOTPSetup({
      code: await totp(server, secret, -1),
      options: { friendlyDeviceName: "Lena's phone" },
    });
    await updateMFAPreference({ totp: "PREFERRED" });
    expect(await fetchMFAPreference()).toEqual({ enabled: ["TOTP"], preferred: "TOTP" });
    await signOut();

    const started = await signIn({ username: "lena", password: PASSWORD });
    expect(started.isSignedIn).toBe(false);
    expect(started.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_TOTP_CODE");
    const done = await confirmSignIn({ challengeResponse: await totp(server, secret) });
    expect(done.isSignedIn).toBe(true);
    expect(done.nextStep.signInStep).toBe("DONE");
  });

  it("signs in with an email code", async () => {
    const pool = await mfaPool(server, { MfaConfiguration: "ON", EmailMfaConfiguration: {} });
    await user(server, pool, "milo", [{ Name: "email", Value: "milo@example.com" }]);
    configureAmplify(server, pool);
    const started = await signIn({ username: "milo", password: PASSWORD });
    expect(started.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    if (started.nextStep.signInStep === "CONFIRM_SIGN_IN_WITH_EMAIL_CODE") {
      expect(started.nextStep.codeDeliveryDetails).toEqual({
        deliveryMedium: "EMAIL",
        destination: "m***@e***",
      });
    }
    const code = await lastCode(server, pool.poolId, "milo@example.com");
    const done = await confirmSignIn({ challengeResponse: code });
    expect(done.isSignedIn).toBe(true);
  });

  it("sets up TOTP during sign-in when MFA is required", async () => {
    const pool = await mfaPool(server, {
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await user(server, pool, "nia");
    configureAmplify(server, pool);
    const started = await signIn({ username: "nia", password: PASSWORD });
    expect(started.nextStep.signInStep).toBe("CONTINUE_SIGN_IN_WITH_TOTP_SETUP");
    if (started.nextStep.signInStep !== "CONTINUE_SIGN_IN_WITH_TOTP_SETUP") return;
    const secret = started.nextStep.totpSetupDetails.sharedSecret;
    const done = await confirmSignIn({ challengeResponse: await totp(server, secret, -1) });
    expect(done.isSignedIn).toBe(true);
  });
});
