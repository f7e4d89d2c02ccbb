/** SMS_MFA (CHALLENGES.md §3.3): the 6-digit code sent by SMS when the challenge was issued. */
import { verifySignInCode } from "../otp.js";
import type { ChallengeModule } from "./challenge.js";

export const smsMfa: ChallengeModule = {
  name: "SMS_MFA",
  requiresSession: true,
  requiredResponses: ["SMS_MFA_CODE"],
  async answer(signIn) {
    await verifySignInCode(signIn, signIn.request.parameters.SMS_MFA_CODE);
    return undefined;
  },
};
