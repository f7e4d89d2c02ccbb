/**
 * The password-reset pages: the username a code is sent for, then the code with the new password
 * typed twice. Cognito documents no field names here; these are `username`, `code`, `password`,
 * `confirmPassword` [UNDOC] (docs/decisions/managed-login.md).
 */
import { codeInput } from "./challenges.js";
import {
  errorMessage,
  field,
  footerLink,
  hiddenFields,
  linkForm,
  newPasswordField,
  type PasswordRules,
} from "./form-parts.js";
import { html, type SafeHtml } from "./html.js";
import type { UsernameField } from "./sign-up.js";

export interface ForgotPasswordForm {
  action: string;
  csrf: string;
  error?: string;
  username: UsernameField;
  typedUsername?: string;
  signInUrl: string;
}

export function forgotPasswordContent(form: ForgotPasswordForm): SafeHtml {
  return html`${errorMessage(form.error)}<form action="${form.action}" name="forgotPasswordForm" method="post" class="cognito-asf">
${hiddenFields({ _csrf: form.csrf })}
${field(
  form.username.label,
  html`<input id="forgotPasswordUsername" name="username" type="${form.username.type}" class="form-control inputField-customizable" autocapitalize="none" autocomplete="username" spellcheck="false" value="${form.typedUsername ?? ""}" required autofocus>`,
)}
<input type="hidden" name="cognitoAsfData">
<button type="submit" name="reset_my_password" class="btn btn-primary submitButton-customizable">Send code</button>
</form>${footerLink(form.signInUrl, "Back to sign in")}`;
}

export interface ConfirmForgotPasswordForm {
  action: string;
  csrf: string;
  error?: string;
  username: string;
  destination?: string;
  deliveryMedium?: string;
  passwordRules: PasswordRules;
  /** `/forgotPassword`, where "Send a new code" posts the username again. */
  resendAction: string;
  signInUrl: string;
}

export function confirmForgotPasswordContent(form: ConfirmForgotPasswordForm): SafeHtml {
  const usernameInput = form.username
    ? hiddenFields({ username: form.username })
    : field(
        "Username",
        html`<input id="confirmForgotPasswordUsername" name="username" type="text" class="form-control inputField-customizable" autocapitalize="none" autocomplete="username" spellcheck="false" required>`,
      );
  return html`${errorMessage(form.error)}<form action="${form.action}" name="confirmForgotPasswordForm" method="post" class="cognito-asf">
${hiddenFields({ _csrf: form.csrf, destination: form.destination, deliveryMedium: form.deliveryMedium })}${usernameInput}
${field("Code", codeInput("code", "forgot_password_code"))}
${newPasswordField({ id: "new_password", name: "password", label: "New password" }, form.passwordRules)}
${field(
  "Enter the new password again",
  html`<input id="confirm_password" name="confirmPassword" type="password" autocomplete="new-password" class="form-control inputField-customizable" required>`,
)}
<input type="hidden" name="cognitoAsfData">
<button type="submit" name="change_password" class="btn btn-primary submitButton-customizable">Change password</button>
</form>${
    form.username
      ? linkForm({
          action: form.resendAction,
          name: "resendResetCodeForm",
          csrf: form.csrf,
          fields: { username: form.username },
          lead: "Didn't receive a code?",
          label: "Send a new code",
        })
      : ""
  }${footerLink(form.signInUrl, "Back to sign in")}`;
}
