/** The plaintext-password sign-in, shared by ADMIN_USER_PASSWORD_AUTH and USER_PASSWORD_AUTH (§4 steps 7–15). */
import type { SignIn, Step } from "../sign-in.js";
import { checkAccountState } from "./account-state.js";
import { checkLockout } from "./lockout.js";
import { AFTER_FIRST_FACTOR } from "./post-password.js";
import { resolveUser } from "./resolve-user.js";
import { checkSecretHash } from "./secret-hash.js";
import { preAuthentication } from "./triggers.js";
import { verifyPassword } from "./verify-password.js";

/** SECRET_HASH over the USERNAME as sent (an alias is fine); it is checked before the user is looked up. */
const checkInitiateSecretHash: Step = (signIn: SignIn) => {
  const { USERNAME, SECRET_HASH } = signIn.request.parameters;
  checkSecretHash(signIn.client, [USERNAME], SECRET_HASH);
  return undefined;
};

export const PASSWORD_SIGN_IN: readonly Step[] = [
  checkInitiateSecretHash,
  resolveUser,
  preAuthentication,
  checkAccountState,
  checkLockout,
  verifyPassword,
  ...AFTER_FIRST_FACTOR,
];
