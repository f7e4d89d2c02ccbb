/**
 * The sign-in engine. `initiate` runs (Admin)InitiateAuth through the steps of
 * ADMIN_INITIATE_AUTH.md §4: the common gates here, then the AuthFlow module's own steps.
 * `respond` runs (Admin)RespondToAuthChallenge through the checks of CHALLENGES.md §2, then the
 * challenge module, then the steps that follow that challenge. Challenges carry the sign-in
 * across requests in opaque, single-use sessions (session.ts).
 */

import type { Connection } from "../domain/client-context.js";
import { CognitoError } from "../domain/errors.js";
import { SUCCESS } from "../metrics/metrics.js";
import type { AuthFlowType, ChallengeNameType } from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import { challengeEntry } from "./challenges/index.js";
import { authFlowModule } from "./flows/index.js";
import { type AuthOutcome, runSteps, type SignIn, type SignInRequest } from "./sign-in.js";
import {
  checkAnswerSecretHash,
  checkChallengeName,
  checkSameUser,
  checkUserStillAllowed,
  loadSessionUser,
  requireAnswer,
  resumeChallengeSession,
} from "./steps/challenge-session.js";
import { checkContextData } from "./steps/context-data.js";
import { checkFlowEnabled, checkFlowForOperation } from "./steps/flow-gates.js";
import { resolvePoolAndClient } from "./steps/pool-and-client.js";
import { requireParameters } from "./steps/required-parameters.js";
import { resumeThreat, startThreat, withAuthEvent } from "./threat.js";

export interface Clocked {
  services: Services;
  now: Date;
  /** The connection the request came on; threat protection reads it on the public operations. */
  sourceIp?: string;
  headers?: Connection["headers"];
}

function connectionOf(ctx: Clocked): Connection | undefined {
  return ctx.sourceIp === undefined ? undefined : { sourceIp: ctx.sourceIp, headers: ctx.headers ?? {} };
}

/** A sign-in's result for the metrics: success (tokens), challenge, or the error type. */
async function counted(
  count: (result: string) => void,
  work: () => Promise<AuthOutcome>,
): Promise<AuthOutcome> {
  try {
    const outcome = await work();
    count(outcome.kind === "tokens" ? SUCCESS : "challenge");
    return outcome;
  } catch (error) {
    count(error instanceof CognitoError ? error.type : "InternalErrorException");
    throw error;
  }
}

export function initiate(
  ctx: Clocked,
  given: SignInRequest & { authFlow: AuthFlowType },
): Promise<AuthOutcome> {
  return counted(
    (result) => ctx.services.metrics.signIn(given.authFlow, result),
    () => runInitiate(ctx, given),
  );
}

export function respond(
  ctx: Clocked,
  given: SignInRequest & { challengeName: ChallengeNameType },
): Promise<AuthOutcome> {
  return counted(
    (result) => ctx.services.metrics.challengeAnswer(given.challengeName, result),
    () => runRespond(ctx, given),
  );
}

async function runInitiate(
  ctx: Clocked,
  given: SignInRequest & { authFlow: AuthFlowType },
): Promise<AuthOutcome> {
  const { services, now } = ctx;
  const request = { ...given, connection: connectionOf(ctx) };
  checkContextData(request);
  const { pool, client } = await resolvePoolAndClient(services, request);
  const flow = authFlowModule(request.authFlow);
  checkFlowForOperation(flow, request.operation);
  // The managed login pages sign in whatever flows the client allows its own code [DG].
  if (!request.hosted) checkFlowEnabled(flow, client, request.authFlow);
  requireParameters(request.parameters, flow.requiredParameters);
  const signIn: SignIn = { services, now, request, pool, client, authFlow: request.authFlow };
  startThreat(signIn);
  return withAuthEvent(signIn, () => runSteps(flow.steps, signIn));
}

async function runRespond(
  ctx: Clocked,
  given: SignInRequest & { challengeName: ChallengeNameType },
): Promise<AuthOutcome> {
  const { services, now } = ctx;
  const request = { ...given, connection: connectionOf(ctx) };
  checkContextData(request);
  const { pool, client } = await resolvePoolAndClient(services, request);
  const { module: challenge, next } = challengeEntry(request.challengeName);
  const signIn: SignIn = { services, now, request, pool, client };
  await resumeChallengeSession(signIn, challenge);
  resumeThreat(signIn);
  requireParameters(request.parameters, ["USERNAME"]);
  await loadSessionUser(signIn);
  checkAnswerSecretHash(signIn);
  checkChallengeName(signIn, challenge);
  await checkSameUser(signIn);
  checkUserStillAllowed(signIn);
  requireAnswer(signIn, challenge);
  return withAuthEvent(
    signIn,
    async () => (await challenge.answer(signIn)) ?? runSteps(next, signIn),
    request.challengeName,
  );
}
