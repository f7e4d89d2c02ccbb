/**
 * Pieces the account pages (sign-up, confirmation, password reset) share: the messages above a
 * form, hidden fields, the password field with the pool's rules under it, a second small form whose
 * button reads as a link ("Send a new code"), and the footer link back.
 */
import { html, type SafeHtml } from "./html.js";

/** What the pool's password policy asks for, as the page lists it. */
export interface PasswordRules {
  minimumLength: number;
  lowercase: boolean;
  uppercase: boolean;
  numbers: boolean;
  symbols: boolean;
}

/**
 * A labelled field. The label holds its input rather than naming it by id: classic pages repeat the
 * card, ids and all (OAUTH.md §3.1), and `for` would name the first copy's input in both.
 */
export function field(label: string, input: SafeHtml): SafeHtml {
  return html`<div class="field"><label class="fieldLabel"><span class="label-customizable">${label}</span>${input}</label></div>`;
}

/** A failure, read out at once by screen readers. */
export function errorMessage(text: string | undefined): SafeHtml | "" {
  return text ? html`<p class="errorMessage-customizable" role="alert">${text}</p>` : "";
}

/** What the previous step did ("We sent you a new code."). */
export function noticeMessage(text: string | undefined): SafeHtml | "" {
  return text ? html`<p class="infoMessage" role="status">${text}</p>` : "";
}

/** Hidden inputs; absent values are left out. */
export function hiddenFields(fields: Record<string, string | undefined>): SafeHtml {
  return html`${Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}"/>`)}`;
}

function ruleList(rules: PasswordRules): string[] {
  return [
    `At least ${rules.minimumLength} characters`,
    rules.lowercase ? "A lowercase letter" : "",
    rules.uppercase ? "An uppercase letter" : "",
    rules.numbers ? "A number" : "",
    rules.symbols ? "A special character" : "",
  ].filter(Boolean);
}

/** A new password's field, described by the policy's rules listed under it. */
export function newPasswordField(
  input: { id: string; name: string; label: string; autofocus?: boolean },
  rules: PasswordRules,
): SafeHtml {
  const rulesId = `${input.id}-rules`;
  return html`${field(
    input.label,
    html`<input id="${input.id}" name="${input.name}" type="password" autocomplete="new-password" class="form-control inputField-customizable" aria-describedby="${rulesId}" required${input.autofocus ? " autofocus" : ""}>`,
  )}<div class="passwordRules" id="${rulesId}"><span>Your password needs:</span><ul>${ruleList(rules).map(
    (rule) => html`<li>${rule}</li>`,
  )}</ul></div>`;
}

/** A second form on a page whose one button reads as a link, e.g. "Didn't get a code? Send a new code". */
export function linkForm(form: {
  action: string;
  name: string;
  csrf: string;
  fields: Record<string, string | undefined>;
  lead: string;
  label: string;
}): SafeHtml {
  return html`<form action="${form.action}" name="${form.name}" method="post" class="linkForm">${hiddenFields({ _csrf: form.csrf, ...form.fields })}<span>${form.lead}</span> <button type="submit" class="linkButton redirect-customizable">${form.label}</button></form>`;
}

/** The line under the card's form: "Already have an account? Sign in", "Back to sign in". */
export function footerLink(href: string, label: string, lead = ""): SafeHtml {
  return html`<p class="footer-customizable">${lead ? html`${lead} ` : ""}<a class="redirect-customizable" href="${href}">${label}</a></p>`;
}
