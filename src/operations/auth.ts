/** Sign-in operations: thin shells over the engine (src/auth/engine.ts). */
import { initiate, respond } from "../auth/engine.js";
import type { AuthOutcome } from "../auth/sign-in.js";
import type { HandlerTable } from "./types.js";

/** Cognito's response: tokens with empty ChallengeParameters, or the next challenge. */
function toResponse(outcome: AuthOutcome) {
  if (outcome.kind === "tokens") return { ChallengeParameters: {}, AuthenticationResult: outcome.result };
  return {
    ChallengeName: outcome.challengeName,
    Session: outcome.session,
    ChallengeParameters: outcome.challengeParameters,
  };
}

export const authHandlers: HandlerTable = {
  AdminInitiateAuth: async (input, ctx) =>
    toResponse(
      await initiate(ctx, {
        operation: "AdminInitiateAuth",
        userPoolId: input.UserPoolId,
        clientId: input.ClientId,
        authFlow: input.AuthFlow,
        parameters: input.AuthParameters ?? {},
        session: input.Session,
        clientMetadata: input.ClientMetadata,
        analyticsMetadata: input.AnalyticsMetadata,
        contextData: input.ContextData,
      }),
    ),

  InitiateAuth: async (input, ctx) =>
    toResponse(
      await initiate(ctx, {
        operation: "InitiateAuth",
        clientId: input.ClientId,
        authFlow: input.AuthFlow,
        parameters: input.AuthParameters ?? {},
        session: input.Session,
        clientMetadata: input.ClientMetadata,
        analyticsMetadata: input.AnalyticsMetadata,
        userContextData: input.UserContextData,
      }),
    ),

  AdminRespondToAuthChallenge: async (input, ctx) =>
    toResponse(
      await respond(ctx, {
        operation: "AdminRespondToAuthChallenge",
        userPoolId: input.UserPoolId,
        clientId: input.ClientId,
        challengeName: input.ChallengeName,
        parameters: input.ChallengeResponses ?? {},
        session: input.Session,
        clientMetadata: input.ClientMetadata,
        analyticsMetadata: input.AnalyticsMetadata,
        contextData: input.ContextData,
      }),
    ),

  RespondToAuthChallenge: async (input, ctx) =>
    toResponse(
      await respond(ctx, {
        operation: "RespondToAuthChallenge",
        clientId: input.ClientId,
        challengeName: input.ChallengeName,
        parameters: input.ChallengeResponses ?? {},
        session: input.Session,
        clientMetadata: input.ClientMetadata,
        analyticsMetadata: input.AnalyticsMetadata,
        userContextData: input.UserContextData,
      }),
    ),
};
