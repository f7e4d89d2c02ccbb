/**
 * A challenge step's form as the sign-in engine's ChallengeResponses (the field names of
 * src/pages/challenges.ts → CHALLENGES.md's response names), and what the pages do around the
 * engine for steps an SDK would take itself (MFA_SETUP's software token: mfa-setup.ts).
 */
import type { Clocked } from "../auth/engine.js";
import type { Params } from "./endpoint.js";
import { PageMessages } from "./errors.js";
import { answerMfaSetup, startMfaSetup } from "./mfa-setup.js";

/** A challenge as a step page carries it from one request to the next. */
export interface PendingChallenge {
  name: string;
  session: string;
  /** The USERNAME the answer names. */
  username: string;
  /** The challenge's parameters (and the page's own, for MFA_SETUP), shown on the page only. */
  parameters: Record<string, string>;
}

/** What a step's form leads to: an answer for the engine, or another page of the same step. */
export type PageAnswer =
  | { kind: "respond"; session: string; responses: Record<string, string> }
  | { kind: "show"; challenge: PendingChallenge; error?: string };

type Answer = (form: Params) => Record<string, string | undefined>;

const ANSWERS: Record<string, Answer> = {
  NEW_PASSWORD_REQUIRED: (form) => ({
    NEW_PASSWORD: form.get("newPassword"),
    ...Object.fromEntries(
      Object.entries(form.withPrefix("requiredAttributes[")).map(([rest, value]) => [
        `userAttributes.${rest.replace(/\]$/, "")}`,
        value.trim(),
      ]),
    ),
  }),
  SMS_MFA: (form) => ({ SMS_MFA_CODE: form.get("smsCode")?.trim() }),
  EMAIL_OTP: (form) => ({ EMAIL_OTP_CODE: form.get("emailCode")?.trim() }),
  SOFTWARE_TOKEN_MFA: (form) => ({ SOFTWARE_TOKEN_MFA_CODE: form.get("totpCode")?.trim() }),
  SELECT_MFA_TYPE: (form) => ({ ANSWER: form.get("mfaType") }),
  WEB_AUTHN: (form) => ({ CREDENTIAL: form.get("credential") }),
};

/** The responses a step's form gives, without empty ones; undefined for a challenge the pages do not answer. */
function challengeResponses(challengeName: string, form: Params): Record<string, string> | undefined {
  const answer = ANSWERS[challengeName];
  if (!answer) return undefined;
  return Object.fromEntries(
    Object.entries(answer(form)).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}

/** The new-password step asks twice; the two must agree before the engine sees them. */
function confirmationMismatch(challengeName: string, form: Params): boolean {
  return (
    challengeName === "NEW_PASSWORD_REQUIRED" && form.get("newPassword") !== form.get("confirmNewPassword")
  );
}

/** What a posted step asks for; undefined for a step the pages cannot answer. */
export async function pageAnswer(
  ctx: Clocked,
  challenge: PendingChallenge,
  form: Params,
): Promise<PageAnswer | undefined> {
  if (confirmationMismatch(challenge.name, form))
    return { kind: "show", challenge, error: PageMessages.passwordsDiffer };
  if (challenge.name === "MFA_SETUP") return answerMfaSetup(ctx, challenge, form);
  // Only the page's script fills the credential in.
  if (challenge.name === "WEB_AUTHN" && !form.get("credential"))
    return { kind: "show", challenge, error: PageMessages.passkeyNeedsScript };
  const responses = challengeResponses(challenge.name, form);
  return responses && { kind: "respond", session: challenge.session, responses };
}

/** A challenge the engine issued, as its first page shows it. */
export async function pageChallenge(ctx: Clocked, challenge: PendingChallenge): Promise<PendingChallenge> {
  return challenge.name === "MFA_SETUP" ? startMfaSetup(ctx, challenge) : challenge;
}
