/**
 * CUSTOM_AUTH (ADMIN_INITIATE_AUTH.md §5.4): the pool's DefineAuthChallenge, CreateAuthChallenge
 * and VerifyAuthChallengeResponse functions run the sign-in, starting with custom challenges or,
 * with CHALLENGE_NAME=SRP_A, with the password's SRP proof. For an unknown user, clients that hide
 * user existence let the functions decide (they see `userNotFound: true`); others answer
 * `User does not exist.`.
 */
import { Errors } from "../../domain/errors.js";
import { requireCustomAuthTrigger } from "../../triggers/custom-auth.js";
import { defineNext } from "../custom-auth.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";
import { clientPublicValue } from "../srp-proof.js";
import { AFTER_CUSTOM_CHALLENGES } from "../steps/post-password.js";
import { requireParameters } from "../steps/required-parameters.js";
import { resolveUserOrStandIn } from "../steps/resolve-user.js";
import { checkInitiateSecretHash } from "../steps/secret-hash.js";
import { isUnknownUser } from "../unknown-user.js";
import { type AuthFlowModule, BOTH_OPERATIONS } from "./flow.js";

/** SDKs send CHALLENGE_NAME; the API reference writes ChallengeName: accept both [SDK]. */
function startingChallenge(parameters: Record<string, string>): string | undefined {
  return parameters.CHALLENGE_NAME ?? parameters.ChallengeName;
}

/** Define and Create must exist before anything runs; Verify is looked for at the first answer. */
const requireTriggers: Step = (signIn: SignIn) => {
  requireCustomAuthTrigger(signIn.pool, "DefineAuthChallenge");
  requireCustomAuthTrigger(signIn.pool, "CreateAuthChallenge");
  return undefined;
};

/** With SRP_A the sign-in starts with the password's proof; SRP_A must then be a valid value. */
const checkSrpStart: Step = (signIn: SignIn) => {
  if (startingChallenge(signIn.request.parameters) !== "SRP_A") return undefined;
  requireParameters(signIn.request.parameters, ["SRP_A"]);
  clientPublicValue(signIn.request.parameters.SRP_A);
  return undefined;
};

/** Custom challenges stand in for the password: only a disabled or unconfirmed account stops them here. */
const checkAccountState: Step = (signIn: SignIn) => {
  const user = resolvedUser(signIn);
  if (isUnknownUser(user)) return undefined;
  if (!user.enabled) throw Errors.userDisabled();
  if (user.status === "UNCONFIRMED") throw Errors.userNotConfirmed();
  return undefined;
};

/** The first DefineAuthChallenge: the history is empty, or SRP_A when the client started with SRP [DG]. */
const startCustomAuth: Step = (signIn: SignIn) => {
  const withSrp = startingChallenge(signIn.request.parameters) === "SRP_A";
  signIn.customAuthHistory = withSrp
    ? [{ challengeName: "SRP_A", challengeResult: true, challengeMetadata: null }]
    : [];
  return defineNext(signIn);
};

export const customAuthFlow: AuthFlowModule = {
  operations: BOTH_OPERATIONS,
  notEnabled: Errors.customAuthFlowNotEnabled,
  requiredParameters: ["USERNAME"],
  steps: [
    checkInitiateSecretHash,
    requireTriggers,
    checkSrpStart,
    resolveUserOrStandIn,
    checkAccountState,
    startCustomAuth,
    // DefineAuthChallenge issued tokens at once.
    ...AFTER_CUSTOM_CHALLENGES,
  ],
};
