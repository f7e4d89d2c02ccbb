/**
 * Amplify JS v6 in Node 20 runs choice-based sign-in against the server: an email code as first
 * factor, the first-factor selection then the password, SRP as preferred challenge, and the
 * automatic sign-in after sign-up that ConfirmSignUp's Session carries. Amplify keeps one
 * configuration and one signed-in user per process, so the tests run one after another.
 */
import { autoSignIn, confirmSignIn, confirmSignUp, signIn, signOut, signUp } from "aws-amplify/auth";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { configureAmplify, quietAmplify } from "../../support/amplify.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { email, PASSWORD, sentCode, user, userAuthPool } from "./support.js";

let server: TestServer;
beforeAll(async () => {
  quietAmplify();
  server = await startTestServer();
});
afterAll(async () => server.stop());
afterEach(async () => signOut());

describe("Amplify v6 with USER_AUTH", () => {
  it("signs in with an email code as the first factor", async () => {
    const pool = await userAuthPool(server, ["PASSWORD", "EMAIL_OTP"]);
    await user(server, pool, "ama", [email("ama@example.com")]);
    configureAmplify(server, pool);
    const started = await signIn({
      username: "ama",
      options: { authFlowType: "USER_AUTH", preferredChallenge: "EMAIL_OTP" },
    });
    expect(started.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_EMAIL_CODE");
    const code = await sentCode(server, pool.poolId, "ama@example.com", 8);
    const done = await confirmSignIn({ challengeResponse: code });
    expect(done.isSignedIn).toBe(true);
    expect(done.nextStep.signInStep).toBe("DONE");
  });

  it("offers the first factors, then takes the password chosen", async () => {
    const pool = await userAuthPool(server, ["PASSWORD", "EMAIL_OTP"]);
    await user(server, pool, "bea", [email("bea@example.com")]);
    configureAmplify(server, pool);
    const started = await signIn({ username: "bea", options: { authFlowType: "USER_AUTH" } });
    expect(started.nextStep.signInStep).toBe("CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION");
    if (started.nextStep.signInStep === "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION") {
      expect(started.nextStep.availableChallenges).toEqual(["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP"]);
    }
    const chosen = await confirmSignIn({ challengeResponse: "PASSWORD" });
    expect(chosen.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_PASSWORD");
    const done = await confirmSignIn({ challengeResponse: PASSWORD });
    expect(done.isSignedIn).toBe(true);
  });

  it("signs in with SRP as the preferred challenge", async () => {
    const pool = await userAuthPool(server, ["PASSWORD"]);
    await user(server, pool, "cyd");
    configureAmplify(server, pool);
    const done = await signIn({
      username: "cyd",
      password: PASSWORD,
      options: { authFlowType: "USER_AUTH", preferredChallenge: "PASSWORD_SRP" },
    });
    expect(done.isSignedIn).toBe(true);
  });

  it("signs the new user in after sign-up with ConfirmSignUp's Session", async () => {
    const pool = await userAuthPool(server, ["PASSWORD", "EMAIL_OTP"], {
      pool: { AutoVerifiedAttributes: ["email"] },
    });
    configureAmplify(server, pool);
    const up = await signUp({
      username: "dov",
      password: PASSWORD,
      options: { userAttributes: { email: "dov@example.com" }, autoSignIn: { authFlowType: "USER_AUTH" } },
    });
    expect(up.nextStep.signUpStep).toBe("CONFIRM_SIGN_UP");
    const code = await sentCode(server, pool.poolId, "dov@example.com", 6);
    const confirmed = await confirmSignUp({ username: "dov", confirmationCode: code });
    expect(confirmed.nextStep.signUpStep).toBe("COMPLETE_AUTO_SIGN_IN");
    const done = await autoSignIn();
    expect(done.isSignedIn).toBe(true);
  });
});
