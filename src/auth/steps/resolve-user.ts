/**
 * Step 8: the user named by USERNAME — username, alias or `sub`, with the pool's case rules — or
 * the one the UserMigration trigger (or the pool's migration source) vouches for. An unknown user is `UserNotFoundException` unless
 * the client hides user existence (PreventUserExistenceErrors=ENABLED), when it fails like a wrong
 * password, after the same work (PreAuthentication included, told `userNotFound`).
 */
import { preventUserExistenceErrors } from "../../domain/clients.js";
import { Errors } from "../../domain/errors.js";
import { findUser } from "../../domain/users.js";
import type { SignIn, Step } from "../sign-in.js";
import { unknownUser } from "../unknown-user.js";
import {
  hidesUserExistence,
  migrateImportedPassword,
  migrateUnknownUser,
  preAuthenticateUnknownUser,
  preAuthentication,
} from "./triggers.js";
import { simulatePasswordCheck } from "./verify-password.js";

export const resolveUser: Step = async (signIn: SignIn) => {
  const { services, pool, client, request } = signIn;
  const found = await findUser(services.store, pool, request.parameters.USERNAME);
  const user = found ? await migrateImportedPassword(signIn, found) : await migrateUnknownUser(signIn);
  if (user) {
    signIn.user = user;
    return undefined;
  }
  if (preventUserExistenceErrors(client) !== "ENABLED") throw Errors.userNotFound();
  await preAuthenticateUnknownUser(signIn);
  await simulatePasswordCheck(services, pool.id, request.parameters.USERNAME, request.parameters.PASSWORD);
  throw Errors.incorrectUsernameOrPassword();
};

/**
 * The user, for flows whose challenges decide (CUSTOM_AUTH, USER_AUTH): an unknown one goes on as
 * a stand-in only for clients that hide user existence; others answer `User does not exist.`.
 */
export const resolveUserOrStandIn: Step = async (signIn: SignIn) => {
  const { services, pool, request, now } = signIn;
  const user = await findUser(services.store, pool, request.parameters.USERNAME);
  if (user) {
    signIn.user = user;
    return preAuthentication(signIn);
  }
  if (!hidesUserExistence(signIn)) throw Errors.userNotFound();
  await preAuthenticateUnknownUser(signIn);
  signIn.user = unknownUser(pool, request.parameters.USERNAME, now);
  return undefined;
};
