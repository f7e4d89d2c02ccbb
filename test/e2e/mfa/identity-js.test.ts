/**
 * amazon-cognito-identity-js completes MFA sign-ins against the server: SRP then TOTP
 * (`totpRequired` → `sendMFACode`), USER_PASSWORD_AUTH then SMS (`mfaRequired` → `sendMFACode`),
 * and MFA_SETUP with its own associateSoftwareToken / verifySoftwareToken.
 */
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from "amazon-cognito-identity-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  adminSignIn,
  enrolSoftwareToken,
  expectTokens,
  freezeClockMidStep,
  lastCode,
  type MfaPool,
  mfaPool,
  PASSWORD,
  SMS_CONFIGURATION,
  TOTP_ONLY,
  totp,
  user,
} from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());
beforeEach(() => freezeClockMidStep(server));

function cognitoUser(pool: MfaPool, username: string): CognitoUser {
  const userPool = new CognitoUserPool({
    UserPoolId: pool.poolId,
    ClientId: pool.client.clientId,
    endpoint: server.url,
  });
  return new CognitoUser({ Username: username, Pool: userPool });
}

interface MfaAnswers {
  /** Answers `mfaRequired` (SMS) or `totpRequired`, given the challenge's parameters. */
  code?: (challengeName: string, parameters: Record<string, string>) => Promise<string>;
  /** Answers `mfaSetup` with a TOTP code for the secret it was given. */
  setupCode?: (secret: string) => Promise<string>;
}

function signIn(user: CognitoUser, answers: MfaAnswers): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) => {
    const done = { onSuccess: resolve, onFailure: reject };
    const sendCode = (challengeName: string, parameters: Record<string, string>) => {
      answers
        .code?.(challengeName, parameters)
        .then((code) => user.sendMFACode(code, done, challengeName), reject);
    };
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: PASSWORD }), {
      ...done,
      mfaRequired: sendCode,
      totpRequired: sendCode,
      mfaSetup: () => {
        user.associateSoftwareToken({
          onFailure: reject,
          associateSecretCode: (secret) => {
            answers
              .setupCode?.(secret)
              .then((code) => user.verifySoftwareToken(code, "identity-js", done), reject);
          },
        });
      },
    });
  });
}

describe("amazon-cognito-identity-js", () => {
  it("signs in with SRP and a TOTP code", async () => {
    const pool = await mfaPool(server, TOTP_ONLY);
    await user(server, pool, "ivan");
    const tokens = await adminSignIn(server, pool, "ivan");
    expectTokens(tokens);
    const secret = await enrolSoftwareToken(
      server,
      tokens.AuthenticationResult?.AccessToken as string,
      "Ivan's phone",
    );
    let seen: { challengeName: string; parameters: Record<string, string> } | undefined;
    const session = await signIn(cognitoUser(pool, "ivan"), {
      code: async (challengeName, parameters) => {
        seen = { challengeName, parameters };
        return totp(server, secret);
      },
    });
    expect(seen).toEqual({
      challengeName: "SOFTWARE_TOKEN_MFA",
      parameters: { FRIENDLY_DEVICE_NAME: "Ivan's phone", USER_ID_FOR_SRP: "ivan" },
    });
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().payload["cognito:username"]).toBe("ivan");
  });

  it("signs in with USER_PASSWORD_AUTH and an SMS code", async () => {
    const pool = await mfaPool(server, {
      MfaConfiguration: "ON",
      SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
    });
    await user(server, pool, "jan", [{ Name: "phone_number", Value: "+15555550400" }]);
    const jan = cognitoUser(pool, "jan");
    jan.setAuthenticationFlowType("USER_PASSWORD_AUTH");
    let challenge: string | undefined;
    const session = await signIn(jan, {
      code: async (challengeName, parameters) => {
        challenge = `${challengeName} ${parameters.CODE_DELIVERY_DESTINATION}`;
        return lastCode(server, pool.poolId, "+15555550400");
      },
    });
    expect(challenge).toBe("SMS_MFA +*******0400");
    expect(session.getAccessToken().payload.username).toBe("jan");
  });

  it("sets up TOTP when MFA is required, and signs in", async () => {
    const pool = await mfaPool(server, {
      MfaConfiguration: "ON",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    await user(server, pool, "kai");
    let secret = "";
    const session = await signIn(cognitoUser(pool, "kai"), {
      setupCode: async (given) => {
        secret = given;
        return totp(server, given, -1);
      },
    });
    expect(secret).toMatch(/^[A-Z2-7]{52}$/);
    expect(session.isValid()).toBe(true);
    const again = await signIn(cognitoUser(pool, "kai"), { code: async () => totp(server, secret) });
    expect(again.isValid()).toBe(true);
  });
});
