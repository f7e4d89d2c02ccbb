/** The plaintext-password sign-in, shared by ADMIN_USER_PASSWORD_AUTH and USER_PASSWORD_AUTH (§4 steps 7–15). */
import type { Step } from "../sign-in.js";
import { checkAccountState } from "./account-state.js";
import { checkLockout } from "./lockout.js";
import { AFTER_FIRST_FACTOR } from "./post-password.js";
import { resolveUser } from "./resolve-user.js";
import { checkInitiateSecretHash } from "./secret-hash.js";
import { preAuthentication } from "./triggers.js";
import { verifyPassword } from "./verify-password.js";

export const PASSWORD_SIGN_IN: readonly Step[] = [
  checkInitiateSecretHash,
  resolveUser,
  preAuthentication,
  checkAccountState,
  checkLockout,
  verifyPassword,
  ...AFTER_FIRST_FACTOR,
];
