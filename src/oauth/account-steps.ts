/**
 * `POST /login` for a user who cannot sign in yet (OAUTH.md §2.3 step 3): an unconfirmed user gets
 * a fresh sign-up code and the `/confirm` page (`/confirmLinkSent` when it went by e-mail as a
 * link); a user whose password must be reset gets a reset code and the `/confirmForgotPassword`
 * page [UNDOC].
 */
import { forgotPassword } from "../auth/password-reset.js";
import { resendSignUpCode } from "../auth/sign-up.js";
import { CognitoError } from "../domain/errors.js";
import { accountLink, type CodeSent, codeSentTo, confirmationPageLink } from "./account-links.js";
import { selfServiceClient } from "./account-page.js";
import type { AuthorizeRequest } from "./authorize-request.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "./endpoint.js";
import { isTriggerError, triggerFailureRedirect } from "./grant.js";

type PageFor = (request: EndpointRequest, sent: CodeSent) => string;

const STEPS: Readonly<Record<string, { page: PageFor; sendCode: typeof resendSignUpCode }>> = {
  UserNotConfirmedException: { page: confirmationPageLink, sendCode: resendSignUpCode },
  PasswordResetRequiredException: {
    page: (request, sent) => accountLink(request, "/confirmForgotPassword", sent),
    sendCode: forgotPassword,
  },
};

/** The page that lets the user go on after the sign-in's error, with its code sent; undefined for other errors. */
export async function accountStepAfterSignIn(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  error: CognitoError,
  username: string,
): Promise<EndpointResponse | undefined> {
  const step = STEPS[error.type];
  if (!step) return undefined;
  try {
    const details = await step.sendCode(request.services, {
      ...selfServiceClient(request, authorize),
      username,
    });
    return redirect(step.page(request, codeSentTo(username, details)));
  } catch (failure) {
    if (isTriggerError(failure)) return triggerFailureRedirect(authorize, failure);
    // No code can be sent (the pool verifies nothing, no recovery destination): the sign-in's error stands.
    if (failure instanceof CognitoError) return undefined;
    throw failure;
  }
}
