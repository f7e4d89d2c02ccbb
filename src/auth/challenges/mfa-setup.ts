/**
 * MFA_SETUP (CHALLENGES.md §3.5). TOTP: the client calls AssociateSoftwareToken and
 * VerifySoftwareToken with the challenge's Session (operations/mfa.ts), then answers with the
 * Session VerifySoftwareToken returned → tokens (as the SDKs expect [UNDOC conflict with the DG
 * flow chart]). Email: the answer gives EMAIL, a code goes there, and an EMAIL_OTP challenge
 * follows (email-otp.ts). SMS cannot be set up here [API].
 */
import { isEmailFormat } from "../../domain/attributes.js";
import { Errors } from "../../domain/errors.js";
import type { MfaFactor } from "../../domain/mfa.js";
import { sendSignInCode } from "../otp.js";
import { consumeSession } from "../session.js";
import { type AuthOutcome, resolvedUser, type SignIn } from "../sign-in.js";
import { MFA_STATE } from "../steps/mfa.js";
import type { ChallengeModule } from "./challenge.js";

async function setUpEmail(signIn: SignIn, address: string): Promise<AuthOutcome> {
  const session = signIn.session;
  if (!session) throw Errors.sessionInvalid();
  const options = (session.state[MFA_STATE.canSetup] ?? []) as MfaFactor[];
  if (!options.includes("EMAIL_OTP")) throw Errors.emailMfaSetupNotOffered();
  if (!isEmailFormat(address)) throw Errors.invalidEmail();
  await consumeSession(signIn.services.store, session, signIn.now);
  return sendSignInCode(signIn, {
    challengeName: "EMAIL_OTP",
    destination: address,
    parameters: { USER_ID_FOR_SRP: resolvedUser(signIn).username },
    state: { [MFA_STATE.setupEmail]: address },
  });
}

export const mfaSetup: ChallengeModule = {
  name: "MFA_SETUP",
  requiresSession: true,
  requiredResponses: [],
  async answer(signIn) {
    const session = signIn.session;
    if (!session) throw Errors.sessionInvalid();
    const address = signIn.request.parameters.EMAIL;
    if (address) return setUpEmail(signIn, address);
    if (session.state[MFA_STATE.tokenVerified] !== true) throw Errors.softwareTokenNotVerified();
    await consumeSession(signIn.services.store, session, signIn.now);
    return undefined;
  },
};
