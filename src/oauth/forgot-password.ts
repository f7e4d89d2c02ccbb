/**
 * Password reset on a domain's pages (OAUTH.md §2.2): `/forgotPassword` sends the code as
 * ForgotPassword does, `/confirmForgotPassword` takes it with the new password as
 * ConfirmForgotPassword does (src/auth/password-reset.ts: UserMigration, CustomMessage and
 * PostConfirmation included; an app client that prevents user existence errors reveals nothing),
 * then back to `/login` with a notice.
 */
import { confirmForgotPassword, forgotPassword } from "../auth/password-reset.js";
import { publicRequestContext } from "../domain/client-context.js";
import { confirmForgotPasswordContent, forgotPasswordContent } from "../pages/forgot-password.js";
import { codeSentLine } from "../pages/sign-up.js";
import { validateInput } from "../protocol/validate.js";
import { accountLink, type CodeSent, codeSentOf, codeSentTo } from "./account-links.js";
import {
  accountEndpoint,
  formValue,
  passwordRulesOf,
  selfServiceClient,
  usernameFieldOf,
} from "./account-page.js";
import type { AuthorizeRequest } from "./authorize-request.js";
import { pageCsrf } from "./csrf.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "./endpoint.js";
import { PageMessages } from "./errors.js";
import { runEngine } from "./login.js";
import { noticeCookie } from "./notice.js";
import { pageResponse } from "./views.js";

function forgotPasswordPage(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  options: { error?: string } = {},
): EndpointResponse {
  const { token, cookies } = pageCsrf(request);
  return pageResponse(
    request,
    authorize.client,
    {
      title: "Forgot your password?",
      description: "Enter your username and we will send you a code to reset your password.",
      content: forgotPasswordContent({
        action: accountLink(request, "/forgotPassword"),
        csrf: token,
        error: options.error,
        username: usernameFieldOf(request.site.pool),
        typedUsername: request.form?.get("username"),
        signInUrl: accountLink(request, "/login"),
      }),
    },
    { cookies },
  );
}

async function submitForgotPassword(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
): Promise<EndpointResponse> {
  const username = formValue(request, "username");
  return runEngine(
    authorize,
    async () => {
      validateInput("ForgotPasswordRequest", { ClientId: authorize.client.id, Username: username });
      const details = await forgotPassword(request.services, {
        ...selfServiceClient(request, authorize),
        username,
      });
      return redirect(accountLink(request, "/confirmForgotPassword", codeSentTo(username, details)));
    },
    (error) => forgotPasswordPage(request, authorize, { error: error.message }),
  );
}

function confirmForgotPasswordPage(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  sent: CodeSent,
  options: { error?: string } = {},
): EndpointResponse {
  const { token, cookies } = pageCsrf(request);
  return pageResponse(
    request,
    authorize.client,
    {
      title: "Reset your password",
      description: `${codeSentLine(sent.destination, sent.deliveryMedium)} Enter it and choose a new password.`,
      content: confirmForgotPasswordContent({
        action: accountLink(request, "/confirmForgotPassword"),
        csrf: token,
        error: options.error,
        ...sent,
        passwordRules: passwordRulesOf(request.site.pool),
        resendAction: accountLink(request, "/forgotPassword"),
        signInUrl: accountLink(request, "/login"),
      }),
    },
    { cookies },
  );
}

async function submitNewPassword(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
): Promise<EndpointResponse> {
  const sent = codeSentOf(request.form);
  const code = formValue(request, "code");
  const password = request.form?.get("password") ?? "";
  if (password !== (request.form?.get("confirmPassword") ?? "")) {
    return confirmForgotPasswordPage(request, authorize, sent, { error: PageMessages.passwordsDiffer });
  }
  return runEngine(
    authorize,
    async () => {
      validateInput("ConfirmForgotPasswordRequest", {
        ClientId: authorize.client.id,
        Username: sent.username,
        ConfirmationCode: code,
        Password: password,
      });
      await confirmForgotPassword(request.services, {
        ...selfServiceClient(request, authorize),
        username: sent.username,
        code,
        password,
        context: publicRequestContext(request, authorize.client),
      });
      return redirect(accountLink(request, "/login"), [noticeCookie(request.site, "passwordReset")]);
    },
    (error) => confirmForgotPasswordPage(request, authorize, sent, { error: error.message }),
  );
}

export const forgotPasswordGet = accountEndpoint(async (request, authorize) =>
  forgotPasswordPage(request, authorize),
);
export const forgotPasswordPost = accountEndpoint(submitForgotPassword);
export const confirmForgotPasswordGet = accountEndpoint(async (request, authorize) =>
  confirmForgotPasswordPage(request, authorize, codeSentOf(request.query)),
);
export const confirmForgotPasswordPost = accountEndpoint(submitNewPassword);
