/**
 * A challenge step's form as the sign-in engine's ChallengeResponses (the field names of
 * src/pages/challenges.ts → CHALLENGES.md's response names).
 */
import type { Params } from "./endpoint.js";

type Answer = (form: Params) => Record<string, string | undefined>;

const ANSWERS: Record<string, Answer> = {
  NEW_PASSWORD_REQUIRED: (form) => ({
    NEW_PASSWORD: form.get("newPassword"),
    ...Object.fromEntries(
      Object.entries(form.withPrefix("requiredAttributes[")).map(([rest, value]) => [
        `userAttributes.${rest.replace(/\]$/, "")}`,
        value,
      ]),
    ),
  }),
  SMS_MFA: (form) => ({ SMS_MFA_CODE: form.get("smsCode") }),
  EMAIL_OTP: (form) => ({ EMAIL_OTP_CODE: form.get("emailCode") }),
  SOFTWARE_TOKEN_MFA: (form) => ({ SOFTWARE_TOKEN_MFA_CODE: form.get("totpCode") }),
  SELECT_MFA_TYPE: (form) => ({ ANSWER: form.get("mfaType") }),
};

/** The responses a step's form gives, without empty ones; undefined for a challenge the pages do not answer. */
export function challengeResponses(challengeName: string, form: Params): Record<string, string> | undefined {
  const answer = ANSWERS[challengeName];
  if (!answer) return undefined;
  return Object.fromEntries(
    Object.entries(answer(form)).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}

/** The new-password step asks twice; the two must agree before the engine sees them. */
export function confirmationMismatch(challengeName: string, form: Params): boolean {
  return (
    challengeName === "NEW_PASSWORD_REQUIRED" && form.get("newPassword") !== form.get("confirmNewPassword")
  );
}
