/**
 * Step 10: what the account's state says before any password is checked (ADMIN_INITIATE_AUTH.md
 * §8, in its precedence): disabled, unconfirmed (even with a wrong password), reset required,
 * federated-only, an expired temporary password.
 */
import { Errors } from "../../domain/errors.js";
import { temporaryPasswordExpiry } from "../../domain/passwords.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";

export const checkAccountState: Step = (signIn: SignIn) => {
  const user = resolvedUser(signIn);
  if (!user.enabled) throw Errors.userDisabled();
  switch (user.status) {
    case "UNCONFIRMED":
      throw Errors.userNotConfirmed();
    case "RESET_REQUIRED":
      throw Errors.passwordResetRequired();
    case "EXTERNAL_PROVIDER":
      // Federated users have no password to sign in with here [DG; outcome UNDOC].
      throw Errors.incorrectUsernameOrPassword();
    case "FORCE_CHANGE_PASSWORD": {
      const expiry = temporaryPasswordExpiry(signIn.pool, user);
      if (expiry && signIn.now >= expiry) throw Errors.temporaryPasswordExpired();
      return undefined;
    }
    default:
      return undefined;
  }
};
