/**
 * USER_SRP_AUTH (ADMIN_INITIATE_AUTH.md §5.2): the sign-in official clients use by default, on
 * InitiateAuth and AdminInitiateAuth. The password never travels: the flow answers USERNAME and
 * SRP_A with the PASSWORD_VERIFIER challenge, whose answer (password-verifier.ts) proves it.
 */
import { preventUserExistenceErrors } from "../../domain/clients.js";
import { Errors } from "../../domain/errors.js";
import { findUser } from "../../domain/users.js";
import {
  passwordVerifierChallenge,
  simulatedPasswordVerifierChallenge,
} from "../challenges/password-verifier.js";
import type { SignIn, Step } from "../sign-in.js";
import { clientPublicValue } from "../srp-proof.js";
import { checkAccountState } from "../steps/account-state.js";
import { resolvePresentedDevice } from "../steps/devices.js";
import { checkLockout } from "../steps/lockout.js";
import { checkInitiateSecretHash } from "../steps/secret-hash.js";
import { preAuthenticateUnknownUser, preAuthentication } from "../steps/triggers.js";
import { type AuthFlowModule, BOTH_OPERATIONS } from "./flow.js";

/** SRP_A must be a number that is not 0 mod N, whoever the user is. */
const checkClientValue: Step = (signIn: SignIn) => {
  clientPublicValue(signIn.request.parameters.SRP_A);
  return undefined;
};

/**
 * The user named by USERNAME. An unknown one is `User does not exist.`, unless the client hides
 * user existence: then a simulated challenge, which fails only at its answer.
 */
const resolveUser: Step = async (signIn: SignIn) => {
  const { services, pool, client, request } = signIn;
  const user = await findUser(services.store, pool, request.parameters.USERNAME);
  if (user) {
    signIn.user = user;
    return undefined;
  }
  if (preventUserExistenceErrors(client) !== "ENABLED") throw Errors.userNotFound();
  await preAuthenticateUnknownUser(signIn);
  const A = clientPublicValue(request.parameters.SRP_A);
  return simulatedPasswordVerifierChallenge(signIn, request.parameters.USERNAME, A);
};

const challengePasswordVerifier: Step = (signIn: SignIn) =>
  passwordVerifierChallenge(signIn, clientPublicValue(signIn.request.parameters.SRP_A));

export const userSrpFlow: AuthFlowModule = {
  operations: BOTH_OPERATIONS,
  notEnabled: Errors.userSrpFlowNotEnabled,
  requiredParameters: ["USERNAME", "SRP_A"],
  steps: [
    checkInitiateSecretHash,
    checkClientValue,
    resolveUser,
    preAuthentication,
    checkAccountState,
    checkLockout,
    // A DEVICE_KEY sent now (Amplify does) must be known; it is kept in the SECRET_BLOCK.
    resolvePresentedDevice,
    challengePasswordVerifier,
  ],
};
