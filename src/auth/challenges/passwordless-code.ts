/**
 * EMAIL_OTP and SMS_OTP as first factors of choice-based sign-in (CHALLENGES.md §3.3, §3.7): a code
 * (8 digits by email, 6 by SMS; auth/otp.ts) sent to the user's email address or phone number.
 * The right code proves that address: it becomes verified, and an unconfirmed user is confirmed by
 * it [DG]; the sign-in then ends without MFA. EMAIL_OTP answers reach here from the EMAIL_OTP
 * module, which also answers email MFA; SMS_OTP is only a first factor.
 *
 * A user that does not exist (clients hiding user existence) gets the same challenge, with the
 * destination masked from the name it gave; no code is sent and every code is wrong.
 */
import { markVerified } from "../../domain/attributes.js";
import { maskDestination } from "../../domain/codes.js";
import { Errors } from "../../domain/errors.js";
import { saveUser } from "../../domain/users.js";
import type { Store } from "../../store/store.js";
import { sendSignInCode, verifySignInCode } from "../otp.js";
import { openSession } from "../session.js";
import { type AuthOutcome, resolvedUser, runSteps, type SignIn } from "../sign-in.js";
import { CONFIRMS_USER } from "../steps/challenge-session.js";
import { AFTER_PASSWORDLESS } from "../steps/passwordless.js";
import { isUnknownUser, unknownUserState } from "../unknown-user.js";
import type { ChallengeModule } from "./challenge.js";

export type PasswordlessCode = "EMAIL_OTP" | "SMS_OTP";

/** Session state: the code is a first factor, not MFA. */
const FIRST_FACTOR_CODE = "passwordlessCode";

const ATTRIBUTE: Record<PasswordlessCode, "email" | "phone_number"> = {
  EMAIL_OTP: "email",
  SMS_OTP: "phone_number",
};

/** The simulated challenge of an unknown user: what a real one would show, nothing sent. */
async function simulatedCodeChallenge(signIn: SignIn, factor: PasswordlessCode): Promise<AuthOutcome> {
  const user = resolvedUser(signIn);
  return {
    kind: "challenge",
    challengeName: factor,
    challengeParameters: {
      CODE_DELIVERY_DELIVERY_MEDIUM: factor === "EMAIL_OTP" ? "EMAIL" : "SMS",
      CODE_DELIVERY_DESTINATION: maskDestination(ATTRIBUTE[factor], user.username),
    },
    session: await openSession(signIn, factor, { [FIRST_FACTOR_CODE]: factor, ...unknownUserState(user) }),
  };
}

/** Sends the code of the chosen factor and issues its challenge. */
export async function challengeSignInCode(signIn: SignIn, factor: PasswordlessCode): Promise<AuthOutcome> {
  const user = resolvedUser(signIn);
  if (isUnknownUser(user)) return simulatedCodeChallenge(signIn, factor);
  return sendSignInCode(signIn, {
    challengeName: factor,
    state: { [FIRST_FACTOR_CODE]: factor, [CONFIRMS_USER]: user.status === "UNCONFIRMED" },
  });
}

/** Whether the Session being answered is a first-factor code's. */
export function isFirstFactorCode(signIn: SignIn): boolean {
  const factor = signIn.session?.state[FIRST_FACTOR_CODE];
  return factor === "EMAIL_OTP" || factor === "SMS_OTP";
}

/** The code proved the address: verified, and the user confirmed if it was not [DG]. */
function proveAddress(signIn: SignIn, factor: PasswordlessCode) {
  return async (tx: Store): Promise<void> => {
    const { pool, now } = signIn;
    const current = await tx.users.getForUpdate(pool.id, resolvedUser(signIn).usernameKey);
    if (!current) throw Errors.userNotFound();
    const verified = markVerified(current, ATTRIBUTE[factor], now);
    const updated =
      current.status === "UNCONFIRMED" ? { ...verified, status: "CONFIRMED" as const } : verified;
    await saveUser(tx, pool, updated);
    signIn.user = updated;
  };
}

/** Checks the code of a first-factor challenge and ends the sign-in. */
export async function answerFirstFactorCode(signIn: SignIn, code: string): Promise<AuthOutcome> {
  const factor = signIn.session?.state[FIRST_FACTOR_CODE] as PasswordlessCode;
  if (isUnknownUser(resolvedUser(signIn))) throw Errors.mfaCodeMismatch();
  await verifySignInCode(signIn, code, proveAddress(signIn, factor));
  signIn.authTime = signIn.now;
  return runSteps(AFTER_PASSWORDLESS, signIn);
}

export const smsOtp: ChallengeModule = {
  name: "SMS_OTP",
  requiresSession: true,
  requiredResponses: ["SMS_OTP_CODE"],
  answer: (signIn) => answerFirstFactorCode(signIn, signIn.request.parameters.SMS_OTP_CODE),
};
