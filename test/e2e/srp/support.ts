/** Helpers for the SRP and device tests: the official client's sign-in, and SRP through the SDK v3. */
import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  type AuthenticationResultType,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from "amazon-cognito-identity-js";
import { expect } from "vitest";
import { PASSWORD, type TestClient } from "../../support/fixtures.js";
import type { TestServer } from "../../support/server.js";
import {
  type AnswerOptions,
  answerPasswordVerifier,
  type SrpStart,
  startSrp,
} from "../../support/srp-client.js";

/** identity-js's storage, per test: devices and tokens it caches live here. */
export class MemoryStorage implements ICognitoStorage {
  readonly items = new Map<string, string>();
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  clear() {
    this.items.clear();
  }
}

/** A CognitoUser of amazon-cognito-identity-js against the test server (USER_SRP_AUTH by default). */
export function jsUser(
  server: TestServer,
  poolId: string,
  app: TestClient,
  username: string,
  storage = new MemoryStorage(),
): CognitoUser {
  const pool = new CognitoUserPool({
    UserPoolId: poolId,
    ClientId: app.clientId,
    endpoint: server.url,
    Storage: storage,
  });
  return new CognitoUser({ Username: username, Pool: pool, Storage: storage });
}

export interface JsSignIn {
  session: CognitoUserSession;
  /** The second argument of onSuccess: ConfirmDevice's UserConfirmationNecessary. */
  userConfirmationNecessary?: boolean;
}

/** authenticateUser with the official client; rejects with its error. */
export function jsSignIn(user: CognitoUser, password = PASSWORD): Promise<JsSignIn> {
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }),
      onFailure: reject,
      newPasswordRequired: () => reject(new Error("unexpected NEW_PASSWORD_REQUIRED")),
    });
  });
}

export interface Exchange {
  target: string;
  challengeName?: string;
  /** The error type of a failed call. */
  error?: string;
}

/**
 * Records what identity-js (which calls the global fetch) sends and gets back: operation, the
 * ChallengeName answered, and the error type of failures.
 */
export function recordTraffic(): { log: Exchange[]; stop(): void } {
  const original = globalThis.fetch;
  const log: Exchange[] = [];
  globalThis.fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : {};
    const response = await original(input, init);
    const target = (headers.get("x-amz-target") ?? "").split(".").pop() ?? "";
    const error = response.ok ? undefined : ((await response.clone().json()) as { __type: string }).__type;
    log.push({ target, challengeName: body.ChallengeName, error });
    return response;
  };
  return { log, stop: () => (globalThis.fetch = original) };
}

export interface SrpSignInOptions {
  server: TestServer;
  poolId: string;
  app: TestClient;
  username: string;
  password?: string;
  /** AdminInitiateAuth / AdminRespondToAuthChallenge instead of the public operations. */
  admin?: boolean;
  /** Extra AuthParameters and ChallengeResponses (SECRET_HASH, DEVICE_KEY). */
  initiate?: Record<string, string>;
  respond?: (challenge: Record<string, string>) => Record<string, string>;
  answer?: AnswerOptions;
}

/** USER_SRP_AUTH with the test-side SRP client through the SDK v3: the challenge and the answer to it. */
export async function srpChallenge(options: SrpSignInOptions): Promise<{
  start: SrpStart;
  challenge: Record<string, string>;
  responses: Record<string, string>;
}> {
  const { server, poolId, app } = options;
  const start = startSrp();
  const AuthParameters = { USERNAME: options.username, SRP_A: start.srpA, ...options.initiate };
  const out = options.admin
    ? await server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: app.clientId,
          AuthFlow: "USER_SRP_AUTH",
          AuthParameters,
        }),
      )
    : await server.client.send(
        new InitiateAuthCommand({ ClientId: app.clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters }),
      );
  expect(out.ChallengeName).toBe("PASSWORD_VERIFIER");
  expect(out.Session).toBeUndefined();
  const challenge = out.ChallengeParameters ?? {};
  const responses = {
    ...answerPasswordVerifier(
      { poolId, password: options.password ?? PASSWORD, challenge, start },
      options.answer,
    ),
    ...options.respond?.(challenge),
  };
  return { start, challenge, responses };
}

/** Answers PASSWORD_VERIFIER (public or admin operation). */
export function respondPasswordVerifier(
  options: Pick<SrpSignInOptions, "server" | "poolId" | "app" | "admin">,
  responses: Record<string, string>,
) {
  const { server, poolId, app } = options;
  const input = {
    ClientId: app.clientId,
    ChallengeName: "PASSWORD_VERIFIER" as const,
    ChallengeResponses: responses,
  };
  return options.admin
    ? server.client.send(new AdminRespondToAuthChallengeCommand({ UserPoolId: poolId, ...input }))
    : server.client.send(new RespondToAuthChallengeCommand(input));
}

/** A whole SRP sign-in through the SDK v3; returns the last response. */
export async function srpSignIn(options: SrpSignInOptions) {
  const { responses } = await srpChallenge(options);
  return respondPasswordVerifier(options, responses);
}

export function tokensOf(out: { AuthenticationResult?: AuthenticationResultType }): AuthenticationResultType {
  expect(out.AuthenticationResult?.AccessToken).toBeDefined();
  return out.AuthenticationResult as AuthenticationResultType;
}
