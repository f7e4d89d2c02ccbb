/**
 * MFA_SETUP on the sign-in pages (CHALLENGES.md §3.5): the steps an SDK takes for the user, done
 * by the page. An authenticator app is associated with the challenge's Session (its secret shown
 * to be added to the app), proven with the app's first code, and MFA_SETUP is then answered with
 * the Session that proof gave. Email MFA is set up by answering MFA_SETUP with the address; the
 * EMAIL_OTP step that follows is the ordinary code page. Where the pool offers both, the user
 * picks one first. SMS cannot be set up this way [API].
 */
import type { Clocked } from "../auth/engine.js";
import { associateWithSession, verifyWithSession } from "../auth/software-token-setup.js";
import type { PageAnswer, PendingChallenge } from "./challenge-answers.js";
import type { Params } from "./endpoint.js";
import { PageMessages } from "./errors.js";

/** Page-only parameters of the step, carried in its form beside the challenge's own. */
export const SETUP_PAGE = {
  /** The secret being set up, shown again after a wrong code (the Session holds it sealed). */
  secretCode: "secretCode",
  /** The factor the user picked where the pool offers several. */
  factor: "setupFactor",
} as const;

/** The factors MFA_SETUP offers, from its MFAS_CAN_SETUP parameter. */
export function setupOptions(challenge: Pick<PendingChallenge, "parameters">): string[] {
  try {
    const options = JSON.parse(challenge.parameters.MFAS_CAN_SETUP ?? "[]");
    return Array.isArray(options) ? options.map(String) : [];
  } catch {
    return [];
  }
}

/** An authenticator app for the user: a new secret, under the new Session that holds it. */
async function withNewSecret(ctx: Clocked, challenge: PendingChallenge): Promise<PendingChallenge> {
  const { secretCode, session } = await associateWithSession(ctx, challenge.session);
  return {
    ...challenge,
    session,
    parameters: {
      ...challenge.parameters,
      [SETUP_PAGE.factor]: "SOFTWARE_TOKEN_MFA",
      [SETUP_PAGE.secretCode]: secretCode,
    },
  };
}

/** The challenge as its first page shows it: with the secret already, when an app is the only option. */
export async function startMfaSetup(ctx: Clocked, challenge: PendingChallenge): Promise<PendingChallenge> {
  const options = setupOptions(challenge);
  if (options.length === 1 && options[0] === "SOFTWARE_TOKEN_MFA") return withNewSecret(ctx, challenge);
  if (options.length === 1)
    return { ...challenge, parameters: { ...challenge.parameters, [SETUP_PAGE.factor]: options[0] } };
  return challenge;
}

/**
 * What the page does with a setup form: the factor picked → its page; the app's first code →
 * VerifySoftwareToken, then MFA_SETUP answered; an address → MFA_SETUP answered with EMAIL.
 */
export async function answerMfaSetup(
  ctx: Clocked,
  challenge: PendingChallenge,
  form: Params,
): Promise<PageAnswer | undefined> {
  switch (form.get("setupStep")) {
    case "choose": {
      const factor = form.get("mfaType") ?? "";
      if (!setupOptions(challenge).includes(factor)) return undefined;
      if (factor === "SOFTWARE_TOKEN_MFA")
        return { kind: "show", challenge: await withNewSecret(ctx, challenge) };
      return {
        kind: "show",
        challenge: { ...challenge, parameters: { ...challenge.parameters, [SETUP_PAGE.factor]: factor } },
      };
    }
    case "verifyToken": {
      const code = form.get("totpCode")?.trim() ?? "";
      const name = form.get("friendlyDeviceName")?.trim() || undefined;
      const { session } = await verifyWithSession(ctx, challenge.session, code, name);
      return { kind: "respond", session, responses: {} };
    }
    case "email": {
      const address = form.get("email")?.trim();
      if (!address) return { kind: "show", challenge, error: PageMessages.emailMissing };
      return { kind: "respond", session: challenge.session, responses: { EMAIL: address } };
    }
    default:
      return undefined;
  }
}
