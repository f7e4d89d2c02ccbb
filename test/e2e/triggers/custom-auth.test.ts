/**
 * CUSTOM_AUTH through the official SDK and amazon-cognito-identity-js: Define → Create → Verify
 * round trips with the session history, failAuthentication, issueTokens, an attempt limit kept by
 * the Define function, the SRP_A start, unknown users, and missing triggers. The same functions
 * also run behind a Lambda-Invoke-compatible HTTP endpoint.
 */
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  InitiateAuthCommand,
  type LambdaConfigType,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claims, expectError, PASSWORD } from "../../support/fixtures.js";
import { createClient, createPool, createUser } from "./pools.js";
import { functionArn, LambdaEndpoint, TriggerHarness } from "./support.js";

let h: TriggerHarness;
beforeAll(async () => {
  h = await TriggerHarness.start();
});
afterAll(async () => h.stop());

/**
 * The DG's sample: a custom challenge (the answer is "42") after an optional SRP password check,
 * three wrong answers and the sign-in fails.
 */
const DEFINE = `
const session = event.request.session;
const last = session[session.length - 1];
if (session.length === 1 && last.challengeName === 'SRP_A') {
  event.response.challengeName = 'PASSWORD_VERIFIER';
} else if (session.length > 0 && last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult === true) {
  event.response.issueTokens = true;
  event.response.failAuthentication = false;
} else if (session.filter((s) => s.challengeName === 'CUSTOM_CHALLENGE').length >= 3) {
  event.response.issueTokens = false;
  event.response.failAuthentication = true;
} else {
  event.response.challengeName = 'CUSTOM_CHALLENGE';
  event.response.issueTokens = false;
  event.response.failAuthentication = false;
}
return event;`;

const CREATE = `
event.response.publicChallengeParameters = { question: 'The answer?', round: String(event.request.session.length) };
event.response.privateChallengeParameters = { answer: '42' };
event.response.challengeMetadata = 'QUESTION-' + event.request.session.length;
return event;`;

const VERIFY = `
event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.answer;
return event;`;

/** A pool whose three custom-auth functions are fresh modules named after `prefix`. */
function customTriggers(prefix: string, bodies: { define?: string; create?: string; verify?: string } = {}) {
  return {
    DefineAuthChallenge: h.define(`${prefix}-define`, bodies.define ?? DEFINE),
    CreateAuthChallenge: h.define(`${prefix}-create`, bodies.create ?? CREATE),
    VerifyAuthChallengeResponse: h.define(`${prefix}-verify`, bodies.verify ?? VERIFY),
  } satisfies LambdaConfigType;
}

function startCustomAuth(
  poolId: string,
  clientId: string,
  username: string,
  metadata?: Record<string, string>,
) {
  return h.server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "CUSTOM_AUTH",
      AuthParameters: { USERNAME: username },
      ClientMetadata: metadata,
    }),
  );
}

function answer(
  poolId: string,
  clientId: string,
  session: string | undefined,
  value: string,
  metadata?: Record<string, string>,
) {
  return h.server.client.send(
    new AdminRespondToAuthChallengeCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: session,
      ChallengeResponses: { USERNAME: "yan", ANSWER: value },
      ClientMetadata: metadata,
    }),
  );
}

describe("CUSTOM_AUTH", () => {
  it("loops Define → Create → Verify with the history, and issues tokens when Define says so", async () => {
    const triggers = customTriggers("loop");
    const poolId = await createPool(h.server, triggers);
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "yan", [{ Name: "email", Value: "yan@example.com" }]);

    const first = await startCustomAuth(poolId, clientId, "yan", { from: "initiate" });
    expect(first.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(first.ChallengeParameters).toEqual({ question: "The answer?", round: "0", USERNAME: "yan" });
    expect(first.Session).toMatch(/^.{20,}$/);
    const define0 = h.onlyEvent("loop-define");
    expect(define0).toMatchObject({
      version: "1",
      triggerSource: "DefineAuthChallenge_Authentication",
      region: "us-east-1",
      userPoolId: poolId,
      userName: "yan",
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      response: { challengeName: null, issueTokens: null, failAuthentication: null },
    });
    // InitiateAuth's ClientMetadata is not for the challenge functions.
    expect(define0.request).toEqual({
      userAttributes: {
        sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: "yan@example.com",
        "cognito:user_status": "CONFIRMED",
      },
      clientMetadata: {},
      session: [],
    });
    expect(h.onlyEvent("loop-create")).toMatchObject({
      triggerSource: "CreateAuthChallenge_Authentication",
      request: { challengeName: "CUSTOM_CHALLENGE", session: [], clientMetadata: {} },
      response: {
        publicChallengeParameters: null,
        privateChallengeParameters: null,
        challengeMetadata: null,
      },
    });

    const second = await answer(poolId, clientId, first.Session, "41", { from: "respond" });
    expect(second.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(second.Session).not.toBe(first.Session);
    expect(h.onlyEvent("loop-verify")).toMatchObject({
      triggerSource: "VerifyAuthChallenge_Authentication",
      request: {
        privateChallengeParameters: { answer: "42" },
        challengeAnswer: "41",
        clientMetadata: { from: "respond" },
      },
      response: { answerCorrect: null },
    });
    expect(h.events("loop-define")[1].request).toMatchObject({
      clientMetadata: { from: "respond" },
      session: [
        { challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: "QUESTION-0" },
      ],
    });

    const done = await answer(poolId, clientId, second.Session, "42");
    expect(done.AuthenticationResult?.AccessToken).toBeDefined();
    expect(done.ChallengeParameters).toEqual({});
    expect(claims(done.AuthenticationResult?.IdToken)["cognito:username"]).toBe("yan");
    expect(h.events("loop-define")[2].request).toMatchObject({
      session: [
        { challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: "QUESTION-0" },
        { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "QUESTION-1" },
      ],
    });
    // A spent session cannot be answered again.
    await expectError(
      answer(poolId, clientId, second.Session, "42"),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("fails when Define says failAuthentication: here after three wrong answers", async () => {
    const poolId = await createPool(h.server, customTriggers("limit"));
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "yan");
    let out = await startCustomAuth(poolId, clientId, "yan");
    out = await answer(poolId, clientId, out.Session, "1");
    out = await answer(poolId, clientId, out.Session, "2");
    await expectError(
      answer(poolId, clientId, out.Session, "3"),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
  });

  it("issues tokens at once when Define says so, with PostAuthentication and PreTokenGeneration after it", async () => {
    const poolId = await createPool(h.server, {
      ...customTriggers("at-once", { define: "event.response.issueTokens = true; return event;" }),
      PostAuthentication: h.define("at-once-post", "return event;"),
      PreTokenGeneration: h.define(
        "at-once-pre-token",
        "event.response.claimsOverrideDetails = { claimsToAddOrOverride: { via: event.triggerSource } }; return event;",
      ),
    });
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "yan");
    const out = await startCustomAuth(poolId, clientId, "yan");
    expect(claims(out.AuthenticationResult?.IdToken).via).toBe("TokenGeneration_Authentication");
    expect(h.events("at-once-create")).toEqual([]);
    expect(h.events("at-once-post")).toHaveLength(1);
  });

  it("refuses output without a boolean answerCorrect, and a Define answer with no decision", async () => {
    const poolId = await createPool(
      h.server,
      customTriggers("bad-output", { verify: "event.response.answerCorrect = 'true'; return event;" }),
    );
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "yan");
    const out = await startCustomAuth(poolId, clientId, "yan");
    await expectError(
      answer(poolId, clientId, out.Session, "42"),
      "InvalidLambdaResponseException",
      "Unrecognizable lambda output",
    );
    const undecided = await createPool(h.server, customTriggers("undecided", { define: "return event;" }));
    const undecidedClient = await createClient(h.server, undecided);
    await createUser(h.server, undecided, "yan");
    await expectError(
      startCustomAuth(undecided, undecidedClient, "yan"),
      "InvalidLambdaResponseException",
      "Unrecognizable lambda output",
    );
  });

  it("fails with each function's own error, named after its trigger", async () => {
    const createFails = await createPool(
      h.server,
      customTriggers("create-fails", { create: "throw new Error('No question today');" }),
    );
    const createClientId = await createClient(h.server, createFails);
    await createUser(h.server, createFails, "yan");
    await expectError(
      startCustomAuth(createFails, createClientId, "yan"),
      "UserLambdaValidationException",
      "CreateAuthChallenge failed with error No question today.",
    );
    const verifyFails = await createPool(
      h.server,
      customTriggers("verify-fails", { verify: "throw new TypeError('answer store offline');" }),
    );
    const verifyClientId = await createClient(h.server, verifyFails);
    await createUser(h.server, verifyFails, "yan");
    const out = await startCustomAuth(verifyFails, verifyClientId, "yan");
    await expectError(
      answer(verifyFails, verifyClientId, out.Session, "42"),
      "UserLambdaValidationException",
      "VerifyAuthChallengeResponse failed with error answer store offline.",
    );
    const { CreateAuthChallenge, VerifyAuthChallengeResponse } = customTriggers("define-missing");
    const defineMissing = await createPool(h.server, {
      DefineAuthChallenge: "arn:aws:lambda:us-east-1:123456789012:function:define-nowhere",
      CreateAuthChallenge,
      VerifyAuthChallengeResponse,
    });
    const defineClientId = await createClient(h.server, defineMissing);
    await createUser(h.server, defineMissing, "yan");
    await expectError(
      startCustomAuth(defineMissing, defineClientId, "yan"),
      "UnexpectedLambdaException",
      "DefineAuthChallenge invocation failed due to error ResourceNotFoundException.",
    );
  });

  it("needs the custom-auth functions: InvalidUserPoolConfigurationException without them", async () => {
    const { DefineAuthChallenge } = customTriggers("missing");
    const poolId = await createPool(h.server, { DefineAuthChallenge });
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "yan");
    await expectError(
      startCustomAuth(poolId, clientId, "yan"),
      "InvalidUserPoolConfigurationException",
      "Custom auth lambda trigger is not configured for the user pool.",
    );
    const { DefineAuthChallenge: d, CreateAuthChallenge: c } = customTriggers("no-verify");
    const noVerify = await createPool(h.server, { DefineAuthChallenge: d, CreateAuthChallenge: c });
    const noVerifyClient = await createClient(h.server, noVerify);
    await createUser(h.server, noVerify, "yan");
    const out = await startCustomAuth(noVerify, noVerifyClient, "yan");
    await expectError(
      answer(noVerify, noVerifyClient, out.Session, "42"),
      "InvalidUserPoolConfigurationException",
      "Custom auth lambda trigger is not configured for the user pool.",
    );
  });

  it("lets the functions decide for an unknown user when the client hides user existence", async () => {
    const poolId = await createPool(h.server, customTriggers("ghost"));
    const hiding = await createClient(h.server, poolId, { PreventUserExistenceErrors: "ENABLED" });
    const first = await startCustomAuth(poolId, hiding, "nobody");
    expect(first.ChallengeName).toBe("CUSTOM_CHALLENGE");
    expect(first.ChallengeParameters?.USERNAME).toBe("nobody");
    expect(h.onlyEvent("ghost-define").request).toEqual({
      userAttributes: {},
      clientMetadata: {},
      userNotFound: true,
      session: [],
    });
    await expectError(
      h.server.client.send(
        new AdminRespondToAuthChallengeCommand({
          UserPoolId: poolId,
          ClientId: hiding,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: first.Session,
          ChallengeResponses: { USERNAME: "nobody", ANSWER: "42" },
        }),
      ),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    expect(h.onlyEvent("ghost-verify").request).toMatchObject({ userNotFound: true, challengeAnswer: "42" });
    const revealing = await createClient(h.server, poolId);
    await expectError(
      startCustomAuth(poolId, revealing, "nobody"),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  it("is refused when the client does not allow it", async () => {
    const poolId = await createPool(h.server, customTriggers("not-allowed"));
    const clientId = await createClient(h.server, poolId, {
      ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    });
    await expectError(
      h.server.client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "CUSTOM_AUTH",
          AuthParameters: { USERNAME: "yan" },
        }),
      ),
      "InvalidParameterException",
      "CUSTOM_AUTH is not enabled for the client.",
    );
  });
});

describe("amazon-cognito-identity-js", () => {
  function cognitoUser(poolId: string, clientId: string, username: string): CognitoUser {
    const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: h.server.url });
    const user = new CognitoUser({ Username: username, Pool: pool });
    user.setAuthenticationFlowType("CUSTOM_AUTH");
    return user;
  }

  /** Signs in, answering each custom challenge from `answers` in turn; collects the challenges seen. */
  function signIn(user: CognitoUser, answers: string[], password?: string) {
    const seen: Record<string, string>[] = [];
    return new Promise<{ session: CognitoUserSession; seen: Record<string, string>[] }>((resolve, reject) => {
      const details = new AuthenticationDetails({ Username: user.getUsername(), Password: password });
      const callbacks = {
        onSuccess: (session: CognitoUserSession) => resolve({ session, seen }),
        onFailure: reject,
        customChallenge(parameters: Record<string, string>) {
          seen.push(parameters);
          user.sendCustomChallengeAnswer(answers[seen.length - 1] ?? "", callbacks);
        },
      };
      if (password) user.authenticateUser(details, callbacks);
      else user.initiateAuth(details, callbacks);
    });
  }

  it("completes a CUSTOM_AUTH sign-in with sendCustomChallengeAnswer", async () => {
    const poolId = await createPool(h.server, customTriggers("js"));
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "zoe");
    const { session, seen } = await signIn(cognitoUser(poolId, clientId, "zoe"), ["7", "42"]);
    expect(session.isValid()).toBe(true);
    expect(session.getIdToken().decodePayload()["cognito:username"]).toBe("zoe");
    expect(seen.map((p) => p.round)).toEqual(["0", "1"]);
  });

  it("completes a CUSTOM_AUTH sign-in that starts with SRP: SRP_A, PASSWORD_VERIFIER, then the custom challenge", async () => {
    const poolId = await createPool(h.server, customTriggers("js-srp"));
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "zoe");
    const { session } = await signIn(cognitoUser(poolId, clientId, "zoe"), ["42"], PASSWORD);
    expect(session.isValid()).toBe(true);
    const sessions = h.events("js-srp-define").map((e) => (e.request as { session: unknown[] }).session);
    expect(sessions).toEqual([
      [{ challengeName: "SRP_A", challengeResult: true, challengeMetadata: null }],
      [
        { challengeName: "SRP_A", challengeResult: true, challengeMetadata: null },
        { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: null },
      ],
      [
        { challengeName: "SRP_A", challengeResult: true, challengeMetadata: null },
        { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: null },
        { challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "QUESTION-2" },
      ],
    ]);
  });

  it("runs PreAuthentication, PostAuthentication and PreTokenGeneration in a USER_SRP_AUTH sign-in too", async () => {
    const poolId = await createPool(h.server, {
      PreAuthentication: h.define("srp-pre-auth", "return event;"),
      PostAuthentication: h.define("srp-post-auth", "return event;"),
      PreTokenGeneration: h.define(
        "srp-pre-token",
        "event.response.claimsOverrideDetails = { claimsToAddOrOverride: { flow: 'srp' } }; return event;",
      ),
    });
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "zoe");
    const user = cognitoUser(poolId, clientId, "zoe");
    user.setAuthenticationFlowType("USER_SRP_AUTH");
    const { session } = await signIn(user, [], PASSWORD);
    expect(session.getIdToken().decodePayload().flow).toBe("srp");
    expect(h.onlyEvent("srp-pre-auth").triggerSource).toBe("PreAuthentication_Authentication");
    expect(h.onlyEvent("srp-post-auth").triggerSource).toBe("PostAuthentication_Authentication");
  });

  it("fails the SRP start with a wrong password, as a wrong password", async () => {
    const poolId = await createPool(h.server, customTriggers("js-srp-wrong"));
    const clientId = await createClient(h.server, poolId);
    await createUser(h.server, poolId, "zoe");
    await expect(
      signIn(cognitoUser(poolId, clientId, "zoe"), ["42"], "Wrong-passw0rd!"),
    ).rejects.toMatchObject({
      code: "NotAuthorizedException",
      message: "Incorrect username or password.",
    });
    expect(h.events("js-srp-wrong-create")).toEqual([]);
  });
});

describe("functions behind a Lambda Invoke API endpoint", () => {
  it("run the same custom sign-in and the other triggers over HTTP", async () => {
    const seen: string[] = [];
    const endpoint = await new LambdaEndpoint({
      "http-define": (event) => {
        seen.push(event.triggerSource as string);
        const session = (event.request as { session: { challengeResult: boolean }[] }).session;
        const response = session.at(-1)?.challengeResult
          ? { issueTokens: true, failAuthentication: false, challengeName: null }
          : { issueTokens: false, failAuthentication: false, challengeName: "CUSTOM_CHALLENGE" };
        return { ...event, response };
      },
      "http-create": (event) => {
        seen.push(event.triggerSource as string);
        return {
          ...event,
          response: {
            publicChallengeParameters: { q: "?" },
            privateChallengeParameters: { a: "ok" },
            challengeMetadata: "M",
          },
        };
      },
      "http-verify": (event) => {
        seen.push(event.triggerSource as string);
        const request = event.request as { challengeAnswer: string };
        return { ...event, response: { answerCorrect: request.challengeAnswer === "ok" } };
      },
      "http-pre-auth": (event) => {
        seen.push(event.triggerSource as string);
        return event;
      },
      "http-pre-token": (event) => {
        seen.push(event.triggerSource as string);
        return { ...event, response: { claimsOverrideDetails: { claimsToAddOrOverride: { over: "http" } } } };
      },
    }).start();
    h.server.services.config.lambda.endpoint = endpoint.url;
    try {
      const poolId = await createPool(h.server, {
        DefineAuthChallenge: functionArn("http-define"),
        CreateAuthChallenge: functionArn("http-create"),
        VerifyAuthChallengeResponse: functionArn("http-verify"),
        PreAuthentication: functionArn("http-pre-auth"),
        PreTokenGeneration: functionArn("http-pre-token"),
      });
      const clientId = await createClient(h.server, poolId);
      await createUser(h.server, poolId, "http-user");
      const first = await h.server.client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "CUSTOM_AUTH",
          AuthParameters: { USERNAME: "http-user" },
        }),
      );
      expect(first.ChallengeParameters).toEqual({ q: "?", USERNAME: "http-user" });
      const done = await h.server.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: first.Session,
          ChallengeResponses: { USERNAME: "http-user", ANSWER: "ok" },
        }),
      );
      expect(claims(done.AuthenticationResult?.IdToken).over).toBe("http");
      expect(seen).toEqual([
        "PreAuthentication_Authentication",
        "DefineAuthChallenge_Authentication",
        "CreateAuthChallenge_Authentication",
        "VerifyAuthChallenge_Authentication",
        "DefineAuthChallenge_Authentication",
        "TokenGeneration_Authentication",
      ]);
      expect(endpoint.requests.map((r) => r.headers["x-amz-invocation-type"])).toEqual(
        Array(6).fill("RequestResponse"),
      );
    } finally {
      h.server.services.config.lambda.endpoint = null;
      await endpoint.stop();
    }
  });
});
