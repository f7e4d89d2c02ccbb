/** Sign-in operations: thin shells over the engine (src/auth/engine.ts). */
import { initiate, respond } from "../auth/engine.js";
import type { AuthOperation, AuthOutcome, SignInRequest } from "../auth/sign-in.js";
import type { HandlerTable, Input } from "./types.js";

type AuthInput = Input<AuthOperation>;

/** The members the four operations share, as the engine reads them (absent maps are empty). */
function signInRequest(
  operation: AuthOperation,
  input: AuthInput,
  parameters: Record<string, string> | undefined,
): SignInRequest {
  return {
    operation,
    userPoolId: "UserPoolId" in input ? input.UserPoolId : undefined,
    clientId: input.ClientId,
    parameters: parameters ?? {},
    session: input.Session,
    clientMetadata: input.ClientMetadata,
    analyticsMetadata: input.AnalyticsMetadata,
    contextData: "ContextData" in input ? input.ContextData : undefined,
    userContextData: "UserContextData" in input ? input.UserContextData : undefined,
  };
}

/** Cognito's response: tokens with empty ChallengeParameters, or the next challenge. */
function toResponse(outcome: AuthOutcome) {
  if (outcome.kind === "tokens") return { ChallengeParameters: {}, AuthenticationResult: outcome.result };
  return {
    ChallengeName: outcome.challengeName,
    Session: outcome.session,
    ChallengeParameters: outcome.challengeParameters,
    AvailableChallenges: outcome.availableChallenges,
  };
}

export const authHandlers = {
  AdminInitiateAuth: async (input, ctx) =>
    toResponse(
      await initiate(ctx, {
        ...signInRequest("AdminInitiateAuth", input, input.AuthParameters),
        authFlow: input.AuthFlow,
      }),
    ),

  InitiateAuth: async (input, ctx) =>
    toResponse(
      await initiate(ctx, {
        ...signInRequest("InitiateAuth", input, input.AuthParameters),
        authFlow: input.AuthFlow,
      }),
    ),

  AdminRespondToAuthChallenge: async (input, ctx) =>
    toResponse(
      await respond(ctx, {
        ...signInRequest("AdminRespondToAuthChallenge", input, input.ChallengeResponses),
        challengeName: input.ChallengeName,
      }),
    ),

  RespondToAuthChallenge: async (input, ctx) =>
    toResponse(
      await respond(ctx, {
        ...signInRequest("RespondToAuthChallenge", input, input.ChallengeResponses),
        challengeName: input.ChallengeName,
      }),
    ),
} satisfies HandlerTable;
