/** Step 11: a user locked by failed passwords is refused before the password is looked at. */
import { assertNotLocked } from "../lockout.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";

export const checkLockout: Step = async (signIn: SignIn) => {
  signIn.lockout = await assertNotLocked(
    signIn.services.store,
    signIn.pool,
    resolvedUser(signIn),
    signIn.now,
  );
  return undefined;
};
