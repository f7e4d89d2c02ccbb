/**
 * The sign-up pages: the form (`signupform` with `username`, `requiredAttributes[<name>]`,
 * `password`, button `signUpButton`), the confirmation code (`code` in `#verification_code`,
 * button `confirm`, hidden `username`, `destination`, `deliveryMedium`), the page that says a
 * confirmation link was e-mailed, and a new code — the names of Cognito's classic hosted UI
 * (OAUTH.md §2.2, §3.1), which teams' end-to-end tests fill.
 */
import { attributeLabel, codeInput } from "./challenges.js";
import {
  errorMessage,
  field,
  footerLink,
  hiddenFields,
  linkForm,
  newPasswordField,
  noticeMessage,
  type PasswordRules,
} from "./form-parts.js";
import { html, type SafeHtml } from "./html.js";

/** How the pool names its users: a username, or the email / phone number used as one. */
export interface UsernameField {
  label: string;
  type: "text" | "email" | "tel";
}

export interface SignUpForm {
  action: string;
  csrf: string;
  error?: string;
  username: UsernameField;
  /** The pool's required attributes, with what was typed before a failure. */
  attributes: { name: string; value?: string }[];
  typedUsername?: string;
  passwordRules: PasswordRules;
  signInUrl: string;
  /** The client's terms line (managed login only, once both documents exist). */
  terms?: SafeHtml;
}

/** Input types and autofill hints of the standard attributes. */
const ATTRIBUTE_INPUTS: Record<string, { type: string; autocomplete?: string; placeholder?: string }> = {
  email: { type: "email", autocomplete: "email" },
  phone_number: { type: "tel", autocomplete: "tel", placeholder: "+12065550100" },
  birthdate: { type: "date", autocomplete: "bday" },
  given_name: { type: "text", autocomplete: "given-name" },
  family_name: { type: "text", autocomplete: "family-name" },
  middle_name: { type: "text", autocomplete: "additional-name" },
  name: { type: "text", autocomplete: "name" },
  nickname: { type: "text", autocomplete: "nickname" },
  address: { type: "text", autocomplete: "street-address" },
  gender: { type: "text", autocomplete: "sex" },
  website: { type: "url", autocomplete: "url" },
  profile: { type: "url" },
  picture: { type: "url" },
  zoneinfo: { type: "text" },
  locale: { type: "text", autocomplete: "language" },
  preferred_username: { type: "text", autocomplete: "username" },
};

function attributeField(attribute: { name: string; value?: string }): SafeHtml {
  const id = `requiredAttributes-${attribute.name.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const input = ATTRIBUTE_INPUTS[attribute.name] ?? { type: "text" };
  return field(
    attributeLabel(attribute.name),
    html`<input id="${id}" name="requiredAttributes[${attribute.name}]" type="${input.type}" class="form-control inputField-customizable" autocomplete="${input.autocomplete ?? "off"}" placeholder="${input.placeholder ?? ""}" value="${attribute.value ?? ""}" required>`,
  );
}

function usernameAutocomplete(type: UsernameField["type"]): string {
  return type === "email" ? "email" : type === "tel" ? "tel" : "username";
}

export function signUpContent(form: SignUpForm): SafeHtml {
  const { username } = form;
  return html`${errorMessage(form.error)}<form action="${form.action}" name="signupform" method="post" class="cognito-asf">
${hiddenFields({ _csrf: form.csrf })}
${field(
  username.label,
  html`<input id="signUpFormUsername" name="username" type="${username.type}" class="form-control inputField-customizable" autocapitalize="none" autocomplete="${usernameAutocomplete(username.type)}" spellcheck="false" value="${form.typedUsername ?? ""}" required autofocus>`,
)}
${form.attributes.map(attributeField)}
${newPasswordField({ id: "signUpFormPassword", name: "password", label: "Password" }, form.passwordRules)}
<input type="hidden" name="cognitoAsfData">
${form.terms ?? ""}
<button type="submit" name="signUpButton" class="btn btn-primary submitButton-customizable">Sign up</button>
</form>${footerLink(form.signInUrl, "Sign in", "Already have an account?")}`;
}

/** The sign-up page of a pool where only administrators create users. */
export function signUpClosedContent(error: string, signInUrl: string): SafeHtml {
  return html`${errorMessage(error)}${footerLink(signInUrl, "Back to sign in")}`;
}

export interface ConfirmForm {
  action: string;
  csrf: string;
  error?: string;
  notice?: string;
  username: string;
  destination?: string;
  deliveryMedium?: string;
  resendAction: string;
  signInUrl: string;
}

/** Where the code went, in words: "We sent a code by email to a***@e***." */
export function codeSentLine(destination: string | undefined, deliveryMedium: string | undefined): string {
  const channel = deliveryMedium === "SMS" ? "text message" : "email";
  return destination ? `We sent a code by ${channel} to ${destination}.` : "We sent you a code.";
}

export function confirmContent(form: ConfirmForm): SafeHtml {
  // Without the username (a page opened by hand), it is asked for.
  const usernameInput = form.username
    ? hiddenFields({ username: form.username })
    : field(
        "Username",
        html`<input id="confirmFormUsername" name="username" type="text" class="form-control inputField-customizable" autocapitalize="none" autocomplete="username" spellcheck="false" required>`,
      );
  return html`${noticeMessage(form.notice)}${errorMessage(form.error)}<form action="${form.action}" name="confirmForm" method="post" class="cognito-asf">
${hiddenFields({ _csrf: form.csrf, destination: form.destination, deliveryMedium: form.deliveryMedium })}${usernameInput}
${field("Verification code", codeInput("code", "verification_code"))}
<input type="hidden" name="cognitoAsfData">
<button type="submit" name="confirm" class="btn btn-primary submitButton-customizable">Confirm account</button>
</form>${
    form.username
      ? linkForm({
          action: form.resendAction,
          name: "resendCodeForm",
          csrf: form.csrf,
          fields: { username: form.username },
          lead: "Didn't receive a code?",
          label: "Send a new code",
        })
      : ""
  }${footerLink(form.signInUrl, "Back to sign in")}`;
}

export interface LinkSentView {
  csrf: string;
  notice?: string;
  /** Whom the link was for; without it (a page opened by hand) there is nothing to send again. */
  username: string;
  resendAction: string;
  signInUrl: string;
  text: { resendLead: string; resendLabel: string; signIn: string };
}

/**
 * After a confirmation link went by e-mail: nothing to type, the same "send a new one" form as the
 * code's page (`resendCodeForm`) and the way back to sign-in.
 */
export function linkSentContent(view: LinkSentView): SafeHtml {
  const resend = view.username
    ? linkForm({
        action: view.resendAction,
        name: "resendCodeForm",
        csrf: view.csrf,
        fields: { username: view.username },
        lead: view.text.resendLead,
        label: view.text.resendLabel,
      })
    : "";
  return html`${noticeMessage(view.notice)}${resend}${footerLink(view.signInUrl, view.text.signIn)}`;
}

export interface ResendForm {
  action: string;
  csrf: string;
  error?: string;
  username: string;
  signInUrl: string;
}

/** `/resendcode` opened as a link: who the new code is for, and the button that sends it. */
export function resendContent(form: ResendForm): SafeHtml {
  return html`${errorMessage(form.error)}<form action="${form.action}" name="resendCodeForm" method="post" class="cognito-asf">
${hiddenFields({ _csrf: form.csrf })}
${field(
  "Username",
  html`<input id="resendFormUsername" name="username" type="text" class="form-control inputField-customizable" autocapitalize="none" autocomplete="username" spellcheck="false" value="${form.username}" required autofocus>`,
)}
<button type="submit" name="resendCode" class="btn btn-primary submitButton-customizable">Send a new code</button>
</form>${footerLink(form.signInUrl, "Back to sign in")}`;
}

/** The page an e-mail's confirmation link opens: the outcome, and nothing to fill. */
export function confirmLinkContent(outcome: { error?: string; notice?: string }): SafeHtml {
  return html`${noticeMessage(outcome.notice)}${errorMessage(outcome.error)}<p class="textDescription-customizable">You can close this page and return to the application.</p>`;
}
