/**
 * The custom authentication triggers (TRIGGERS.md §4.3–4.5, CHALLENGES.md §3.9): Define decides
 * what comes next from the history of the sign-in, Create makes a CUSTOM_CHALLENGE, Verify judges
 * the answer to it. InitiateAuth's ClientMetadata never reaches them; the respond operations' does.
 */
import { z } from "zod";
import { Errors } from "../domain/errors.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { callTrigger, type TriggerServices, triggerArn } from "./call.js";
import {
  type ChallengeResult,
  createAuthChallengeEvent,
  defineAuthChallengeEvent,
  eventUserAttributes,
  type StringMap,
  type TriggerName,
  verifyAuthChallengeEvent,
} from "./events.js";

export type { ChallengeResult };

/** Who is signing in: a user, or (clients hiding user existence) a name no user has. */
export interface CustomAuthInput {
  pool: PoolRecord;
  clientId: string;
  user: UserRecord | { unknownName: string };
  clientMetadata?: StringMap;
  /** Whether the client hides user existence: only then do events carry `userNotFound`. */
  preventUserExistenceErrors: boolean;
}

/** The function ARN of a custom-auth trigger; custom authentication cannot run without it. */
export function requireCustomAuthTrigger(pool: PoolRecord, trigger: TriggerName): string {
  const arn = triggerArn(pool, trigger);
  if (!arn) throw Errors.customAuthTriggersMissing();
  return arn;
}

function commonRequest(input: CustomAuthInput) {
  const known = "sub" in input.user ? input.user : undefined;
  return {
    subject: {
      pool: input.pool,
      clientId: input.clientId,
      userName: known ? known.username : (input.user as { unknownName: string }).unknownName,
    },
    request: {
      userAttributes: known ? eventUserAttributes(input.pool, known) : {},
      clientMetadata: input.clientMetadata ?? {},
      ...(input.preventUserExistenceErrors && { userNotFound: !known }),
    },
  };
}

const defineResponse = z.object({
  challengeName: z.string().nullish(),
  issueTokens: z.boolean().nullish(),
  failAuthentication: z.boolean().nullish(),
});

export type DefineDecision =
  | { kind: "fail" }
  | { kind: "issueTokens" }
  | { kind: "challenge"; challengeName: string };

/** DefineAuthChallenge: fail, issue tokens, or the next challenge. Failing wins over issuing tokens. */
export async function runDefineAuthChallenge(
  services: TriggerServices,
  input: CustomAuthInput & { session: ChallengeResult[] },
): Promise<DefineDecision> {
  const arn = requireCustomAuthTrigger(input.pool, "DefineAuthChallenge");
  const { subject, request } = commonRequest(input);
  const event = defineAuthChallengeEvent(subject, { ...request, session: input.session });
  const response = await callTrigger(services, "DefineAuthChallenge", arn, event, defineResponse);
  if (response.failAuthentication === true) return { kind: "fail" };
  if (response.issueTokens === true) return { kind: "issueTokens" };
  if (!response.challengeName) throw Errors.lambdaOutputUnrecognizable();
  return { kind: "challenge", challengeName: response.challengeName };
}

const stringMap = z.record(z.string(), z.string());

const createResponse = z.object({
  publicChallengeParameters: stringMap.nullish(),
  privateChallengeParameters: stringMap.nullish(),
  challengeMetadata: z.string().nullish(),
});

export interface CreatedChallenge {
  publicChallengeParameters: StringMap;
  privateChallengeParameters: StringMap;
  challengeMetadata: string | null;
}

/** CreateAuthChallenge, for the CUSTOM_CHALLENGE that Define asked for. */
export async function runCreateAuthChallenge(
  services: TriggerServices,
  input: CustomAuthInput & { session: ChallengeResult[] },
): Promise<CreatedChallenge> {
  const arn = requireCustomAuthTrigger(input.pool, "CreateAuthChallenge");
  const { subject, request } = commonRequest(input);
  const event = createAuthChallengeEvent(subject, { ...request, session: input.session });
  const response = await callTrigger(services, "CreateAuthChallenge", arn, event, createResponse);
  return {
    publicChallengeParameters: response.publicChallengeParameters ?? {},
    privateChallengeParameters: response.privateChallengeParameters ?? {},
    challengeMetadata: response.challengeMetadata ?? null,
  };
}

/** `answerCorrect` is the whole point of the answer: without it the output is unrecognizable [UNDOC]. */
const verifyResponse = z.object({ answerCorrect: z.boolean() });

/** VerifyAuthChallengeResponse: whether the answer to the custom challenge is right. */
export async function runVerifyAuthChallenge(
  services: TriggerServices,
  input: CustomAuthInput & { privateChallengeParameters: StringMap; challengeAnswer: string },
): Promise<boolean> {
  const arn = requireCustomAuthTrigger(input.pool, "VerifyAuthChallengeResponse");
  const { subject, request } = commonRequest(input);
  const event = verifyAuthChallengeEvent(subject, {
    ...request,
    privateChallengeParameters: input.privateChallengeParameters,
    challengeAnswer: input.challengeAnswer,
  });
  const response = await callTrigger(services, "VerifyAuthChallengeResponse", arn, event, verifyResponse);
  return response.answerCorrect;
}
