/**
 * Step 14, the MFA part (ADMIN_INITIATE_AUTH.md §12): after the password (and NEW_PASSWORD_REQUIRED)
 * the user meets the challenge of the preferred or only usable factor, a choice among several
 * (SELECT_MFA_TYPE), or, when MFA is required and the user has none, MFA_SETUP. A remembered
 * device stands in for MFA (devices.ts decides; its DEVICE_SRP_AUTH then follows).
 */
import { decideMfa, type MfaFactor, poolMfaFactors, userMfaSettings } from "../../domain/mfa.js";
import { sendSignInCode } from "../otp.js";
import { openSession } from "../session.js";
import { type AuthOutcome, resolvedUser, type SignIn, type Step } from "../sign-in.js";
import { rememberedDeviceReplacesMfa } from "./devices.js";

/** Session state keys of the MFA challenges. */
export const MFA_STATE = {
  /** SELECT_MFA_TYPE: the factors offered. */
  canChoose: "mfasCanChoose",
  /** MFA_SETUP: what can be set up. */
  canSetup: "mfasCanSetup",
  /** MFA_SETUP: the software token was verified with this Session's chain. */
  tokenVerified: "softwareTokenVerified",
  /** EMAIL_OTP after MFA_SETUP: the address being set up. */
  setupEmail: "mfaSetupEmail",
} as const;

/** Every MFA challenge names the user as SRP clients know it [OBS]. */
function userParameter(signIn: SignIn): Record<string, string> {
  return { USER_ID_FOR_SRP: resolvedUser(signIn).username };
}

/** The challenge of one factor: a code sent now (SMS, email), or the authenticator's (TOTP). */
export async function factorChallenge(signIn: SignIn, factor: MfaFactor): Promise<AuthOutcome> {
  if (factor !== "SOFTWARE_TOKEN_MFA") {
    return sendSignInCode(signIn, { challengeName: factor, parameters: userParameter(signIn) });
  }
  const friendlyName = userMfaSettings(resolvedUser(signIn)).token?.friendlyName;
  return {
    kind: "challenge",
    challengeName: "SOFTWARE_TOKEN_MFA",
    challengeParameters: {
      ...(friendlyName !== undefined && { FRIENDLY_DEVICE_NAME: friendlyName }),
      ...userParameter(signIn),
    },
    session: await openSession(signIn, "SOFTWARE_TOKEN_MFA"),
  };
}

async function selectChallenge(signIn: SignIn, factors: MfaFactor[]): Promise<AuthOutcome> {
  return {
    kind: "challenge",
    challengeName: "SELECT_MFA_TYPE",
    challengeParameters: { MFAS_CAN_CHOOSE: JSON.stringify(factors), ...userParameter(signIn) },
    session: await openSession(signIn, "SELECT_MFA_TYPE", { [MFA_STATE.canChoose]: factors }),
  };
}

async function setupChallenge(signIn: SignIn, options: MfaFactor[]): Promise<AuthOutcome> {
  return {
    kind: "challenge",
    challengeName: "MFA_SETUP",
    challengeParameters: { MFAS_CAN_SETUP: JSON.stringify(options), ...userParameter(signIn) },
    session: await openSession(signIn, "MFA_SETUP", { [MFA_STATE.canSetup]: options }),
  };
}

export const challengeMfa: Step = async (signIn: SignIn) => {
  if (rememberedDeviceReplacesMfa(signIn)) return undefined;
  const user = resolvedUser(signIn);
  const decision = decideMfa(signIn.pool, await poolMfaFactors(signIn.services.store, signIn.pool), user);
  switch (decision.kind) {
    case "none":
      return undefined;
    case "challenge":
      return factorChallenge(signIn, decision.factor);
    case "select":
      return selectChallenge(signIn, decision.factors);
    case "setup":
      return setupChallenge(signIn, decision.options);
  }
};
