/**
 * Threat protection around one sign-in (ADMIN_INITIATE_AUTH.md §4 step 13, §15): the state the
 * sign-in carries (its event id, which the tokens carry as `event_id`; the risk; what was done),
 * kept across challenges in the session, and the auth event every attempt leaves. Nothing happens
 * in a pool whose threat protection is OFF for the flow.
 */
import { randomUUID } from "node:crypto";
import { type ClientContext, clientContextOf } from "../domain/client-context.js";
import { CognitoError, Errors } from "../domain/errors.js";
import { logAuthEvent } from "../domain/log-delivery.js";
import { usernameKey } from "../domain/pools.js";
import { assessRisk, type RiskAssessment } from "../domain/risk.js";
import { protectionMode, type SignInKind } from "../domain/threat-protection.js";
import type { ChallengeNameType, ChallengeResponseType } from "../protocol/types.generated.js";
import type { AuthEventRecord } from "../store/auth-events.js";
import type { StoredRiskConfiguration } from "../store/risk-configurations.js";
import type { AuthOutcome, SignIn } from "./sign-in.js";

export interface ThreatState {
  mode: "AUDIT" | "ENFORCED";
  /** The auth event's id, and the `event_id` of the tokens the sign-in ends with. */
  eventId: string;
  startedAt: number;
  context: ClientContext;
  /** Set by the risk step, after the first factor. */
  assessment?: RiskAssessment;
  compromised: boolean;
  /** What was done: BLOCK, MFA_IF_CONFIGURED, MFA_REQUIRED, NO_ACTION, NOTIFY. */
  actions: string[];
  challenges: ChallengeResponseType[];
  /** The risk asks for MFA (account-takeover action MFA_IF_CONFIGURED / MFA_REQUIRED). */
  mfa?: "IF_CONFIGURED" | "REQUIRED";
  feedbackTokenHash?: string;
}

/** The key under which a challenge session keeps the state. */
export const THREAT_SESSION_KEY = "threat";

/** The challenges whose answer is a second factor. */
export const MFA_CHALLENGES: readonly ChallengeNameType[] = [
  "SMS_MFA",
  "SOFTWARE_TOKEN_MFA",
  "EMAIL_OTP",
  "MFA_SETUP",
];

export function signInKind(signIn: SignIn): SignInKind {
  return signIn.authFlow === "CUSTOM_AUTH" ? "custom" : "standard";
}

function newState(signIn: SignIn, mode: ThreatState["mode"]): ThreatState {
  const { request, client, now } = signIn;
  return {
    mode,
    eventId: randomUUID(),
    startedAt: now.getTime(),
    context: clientContextOf({
      admin: request.operation.startsWith("Admin"),
      client,
      contextData: request.contextData,
      userContextData: request.userContextData,
      connection: request.connection,
    }),
    compromised: false,
    actions: [],
    challenges: [],
  };
}

/** A new sign-in: its state, when the pool protects this kind of sign-in. */
export function startThreat(signIn: SignIn): void {
  const mode = protectionMode(signIn.pool.config, signInKind(signIn));
  signIn.threat = mode === "OFF" ? undefined : newState(signIn, mode);
}

/** An answer: the state its session kept, else (SRP's PASSWORD_VERIFIER has no session) a new one. */
export function resumeThreat(signIn: SignIn): void {
  const saved = signIn.session?.state[THREAT_SESSION_KEY] as ThreatState | undefined;
  if (saved) signIn.threat = structuredClone(saved);
  else startThreat(signIn);
}

/** Errors that end an attempt to prove who one is (they count for the IP address and the user). */
const ATTEMPT_FAILURES = [
  Errors.incorrectUsernameOrPassword(),
  Errors.userNotFound(),
  Errors.passwordAttemptsExceeded(),
  Errors.passwordResetRequired(),
].map((e) => `${e.type}:${e.message}`);

function isFailedAttempt(threat: ThreatState, error: unknown): boolean {
  if (!(error instanceof CognitoError)) return false;
  return threat.assessment !== undefined || ATTEMPT_FAILURES.includes(`${error.type}:${error.message}`);
}

function noteChallenge(threat: ThreatState, name: "Password" | "Mfa", success: boolean): void {
  if (threat.challenges.some((c) => c.ChallengeName === name && c.ChallengeResponse === "Success")) return;
  threat.challenges.push({ ChallengeName: name, ChallengeResponse: success ? "Success" : "Failure" });
}

/** The risk of a sign-in from the user's and the IP address's history (docs/RISK.md). */
export async function assessSignIn(
  signIn: SignIn,
  threat: ThreatState,
  config: StoredRiskConfiguration | undefined,
): Promise<RiskAssessment> {
  const { services, pool, now, user } = signIn;
  const model = services.config.risk;
  const { context } = threat;
  const history = user
    ? (await services.store.authEvents.listForUser(pool.id, user, model.windows.historyEvents))
        .filter((e) => e.eventId !== threat.eventId && e.eventType === "SignIn")
        .map((e) => ({
          response: e.response,
          at: e.createdAt,
          ip: e.ip,
          userAgent: e.userAgent,
          deviceKey: e.deviceKey,
          fingerprint: e.fingerprint,
          feedback: e.feedback?.value,
        }))
    : [];
  const activity = context.ip
    ? await services.store.authEvents.ipActivity(
        pool.id,
        context.ip,
        new Date(now.getTime() - model.windows.failuresMinutes * 60_000),
        new Date(now.getTime() - 60_000),
      )
    : { failures: 0, distinctUsers: 0, attemptsSince: 0 };
  return assessRisk(
    {
      request: {
        describesClient: context.describesClient,
        ip: context.ip,
        userAgent: context.userAgent,
        deviceKey: signIn.device?.deviceKey,
        deviceTrusted: signIn.device !== undefined,
        fingerprint: context.fingerprint,
      },
      history,
      ipActivity: {
        failures: activity.failures,
        distinctUsers: activity.distinctUsers,
        attemptsLastMinute: activity.attemptsSince,
      },
      exceptions: config?.RiskExceptionConfiguration,
      now,
    },
    model,
  );
}

function eventOf(
  signIn: SignIn,
  threat: ThreatState,
  response: AuthEventRecord["response"],
): AuthEventRecord {
  const { pool, client, request, user } = signIn;
  const username = user?.username ?? request.parameters.USERNAME ?? "";
  const { assessment, context } = threat;
  return {
    poolId: pool.id,
    eventId: threat.eventId,
    usernameKey: user?.usernameKey ?? usernameKey(pool, username),
    sub: user?.sub ?? "",
    username,
    clientId: client.id,
    eventType: "SignIn",
    createdAt: new Date(threat.startedAt),
    response,
    riskDecision: assessment?.decision,
    riskLevel: assessment?.level,
    compromised: threat.compromised,
    riskDetail: {
      mode: threat.mode,
      actions: threat.actions,
      score: assessment?.score ?? 0,
      reasons: assessment?.reasons ?? [],
    },
    challenges: threat.challenges,
    ip: context.ip,
    userAgent: context.userAgent,
    deviceName: context.deviceName,
    deviceKey: signIn.device?.deviceKey,
    fingerprint: context.fingerprint,
    timezone: context.timezone,
    // AnalyticsMetadata and the client's Pinpoint settings, for an analytics pipeline; never ClientMetadata.
    analyticsEndpointId: request.analyticsMetadata?.AnalyticsEndpointId,
    analyticsConfiguration: client.config.AnalyticsConfiguration,
    feedbackTokenHash: threat.feedbackTokenHash,
  };
}

async function record(
  signIn: SignIn,
  threat: ThreatState,
  response: AuthEventRecord["response"],
): Promise<void> {
  // A sign-in that failed before its risk was weighed still gets it, for the history it leaves.
  if (!threat.assessment && signIn.user) threat.assessment = await assessSignIn(signIn, threat, undefined);
  const event = eventOf(signIn, threat, response);
  await signIn.services.store.authEvents.save(event);
  await logAuthEvent(signIn.services, event);
}

/**
 * Runs the rest of a sign-in and leaves its auth event: Pass with tokens, InProgress at a challenge
 * after the first factor, Fail when an attempt to prove who one is fails. Challenges before any
 * proof (SRP's PASSWORD_VERIFIER, the first custom challenge) leave nothing yet.
 */
export async function withAuthEvent(
  signIn: SignIn,
  run: () => Promise<AuthOutcome>,
  answering?: ChallengeNameType,
): Promise<AuthOutcome> {
  const threat = signIn.threat;
  if (!threat) return run();
  // A second factor answers after the first was weighed; EMAIL_OTP as a first factor is no MFA.
  const mfaAnswer =
    answering !== undefined && MFA_CHALLENGES.includes(answering) && threat.assessment !== undefined;
  let outcome: AuthOutcome;
  try {
    outcome = await run();
  } catch (error) {
    const current = signIn.threat ?? threat;
    if (isFailedAttempt(current, error)) {
      if (mfaAnswer) noteChallenge(current, "Mfa", false);
      else if (!current.assessment) noteChallenge(current, "Password", false);
      await record(signIn, current, mfaAnswer ? "InProgress" : "Fail");
    }
    throw error;
  }
  const current = signIn.threat ?? threat;
  if (mfaAnswer) noteChallenge(current, "Mfa", true);
  if (outcome.kind === "tokens") await record(signIn, current, "Pass");
  else if (current.assessment) await record(signIn, current, "InProgress");
  return outcome;
}
