/**
 * The steps that can follow the password on the sign-in page (OAUTH.md §2.2): a new password, an
 * MFA code, the choice of an MFA factor, setting MFA up. Each posts back to `/login` with the
 * challenge's Session; field names follow the spec's suggestion (`newPassword`, `smsCode`,
 * `totpCode`, `emailCode`, `mfaType`, `friendlyDeviceName`) [UNDOC].
 */
import { html, type SafeHtml } from "./html.js";
import { passkeyForm } from "./passkeys.js";
import { qrSvg } from "./qr-code.js";

export interface ChallengeForm {
  action: string;
  csrf: string;
  challengeName: string;
  session: string;
  /** The USERNAME the answer names. */
  username: string;
  /** The challenge's parameters, as the sign-in engine gave them (and the page's own, for MFA setup). */
  parameters: Record<string, string>;
  /** Who issues the codes, as authenticator apps list it (the user pool's name). */
  issuer: string;
  error?: string;
}

export interface ChallengeView {
  title: string;
  description?: string;
  content: SafeHtml;
}

/** The hidden fields every step carries: the CSRF token, the Session and what the page needs again. */
function carried(form: ChallengeForm): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${form.csrf}"/><input type="hidden" name="challenge" value="${form.challengeName}"/><input type="hidden" name="session" value="${form.session}"/><input type="hidden" name="username" value="${form.username}"/><input type="hidden" name="parameters" value="${JSON.stringify(form.parameters)}"/>`;
}

function errorLine(form: ChallengeForm): SafeHtml | string {
  return form.error ? html`<p class="errorMessage-customizable" role="alert">${form.error}</p>` : "";
}

function stepForm(form: ChallengeForm, fields: SafeHtml, submit: string): SafeHtml {
  return html`${errorLine(form)}<form action="${form.action}" name="challengeForm" method="post" class="cognito-asf">${carried(form)}${fields}<input name="challengeSubmitButton" type="submit" value="${submit}" class="btn btn-primary submitButton-customizable"></form>`;
}

/**
 * A labelled input. The input sits in its label, which names it without an id: a classic page
 * repeats every id in its second copy, where `for` would name the first copy's input.
 */
function field(label: string, input: SafeHtml): SafeHtml {
  return html`<label class="field"><span class="label-customizable">${label}</span>${input}</label>`;
}

export function codeInput(name: string, id = name): SafeHtml {
  return html`<input id="${id}" name="${name}" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="one-time-code" class="form-control inputField-customizable" required autofocus>`;
}

/** Attribute names as a person reads them: `given_name` → "Given name", `custom:team` → "Team". */
export function attributeLabel(name: string): string {
  const bare = name.replace(/^custom:/, "").replace(/_/g, " ");
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

function listParameter(form: ChallengeForm, name: string): string[] {
  try {
    const value = JSON.parse(form.parameters[name] ?? "[]");
    return Array.isArray(value) ? value.map(String) : [];
  } catch {
    return [];
  }
}

function newPassword(form: ChallengeForm): ChallengeView {
  const attributes = listParameter(form, "requiredAttributes").map((name) =>
    name.replace(/^userAttributes\./, ""),
  );
  const attributeFields = attributes.map((name) =>
    field(
      attributeLabel(name),
      html`<input id="requiredAttributes-${name}" name="requiredAttributes[${name}]" type="text" class="form-control inputField-customizable" required>`,
    ),
  );
  const fields = html`${field("New password", html`<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" class="form-control inputField-customizable" required autofocus>`)}${field("Enter new password again", html`<input id="confirmNewPassword" name="confirmNewPassword" type="password" autocomplete="new-password" class="form-control inputField-customizable" required>`)}${attributeFields}`;
  return {
    title: "Change password",
    description: "Please enter a new password for your account.",
    content: stepForm(form, fields, "Send"),
  };
}

function deliveredCode(form: ChallengeForm, fieldName: string, channel: string): ChallengeView {
  const destination = form.parameters.CODE_DELIVERY_DESTINATION;
  return {
    title: "Enter your code",
    description: destination
      ? `We sent a code by ${channel} to ${destination}.`
      : `We sent you a code by ${channel}.`,
    content: stepForm(form, field("Code", codeInput(fieldName)), "Sign in"),
  };
}

function totp(form: ChallengeForm): ChallengeView {
  return {
    title: "Enter your code",
    description: "Enter the code from your authenticator app.",
    content: stepForm(form, field("Code", codeInput("totpCode")), "Sign in"),
  };
}

const FACTOR_LABELS: Record<string, string> = {
  SOFTWARE_TOKEN_MFA: "Authenticator app",
  SMS_MFA: "Text message (SMS)",
  EMAIL_OTP: "Email",
};

function selectMfaType(form: ChallengeForm): ChallengeView {
  const choices = listParameter(form, "MFAS_CAN_CHOOSE").map(
    (factor, i) =>
      html`<label class="choice"><input type="radio" name="mfaType" value="${factor}" ${i === 0 ? "checked" : ""} required> ${FACTOR_LABELS[factor] ?? factor}</label>`,
  );
  return {
    title: "Choose how to verify",
    description: "Pick the second factor to sign in with.",
    content: stepForm(
      form,
      html`<fieldset class="choices"><legend class="visually-hidden">Second factor</legend>${choices}</fieldset>`,
      "Continue",
    ),
  };
}

/** What an MFA_SETUP page's form is for: the factor picked, the app's first code, the address. */
function setupStep(step: string): SafeHtml {
  return html`<input type="hidden" name="setupStep" value="${step}"/>`;
}

function chooseSetupFactor(form: ChallengeForm): ChallengeView {
  const choices = listParameter(form, "MFAS_CAN_SETUP").map(
    (factor, i) =>
      html`<label class="choice"><input type="radio" name="mfaType" value="${factor}" ${i === 0 ? "checked" : ""} required> ${FACTOR_LABELS[factor] ?? factor}</label>`,
  );
  return {
    title: "Set up multi-factor authentication",
    description: "Your account needs a second step at sign-in. Choose how you want to get your codes.",
    content: stepForm(
      form,
      html`${setupStep("choose")}<fieldset class="choices"><legend class="visually-hidden">Second factor</legend>${choices}</fieldset>`,
      "Continue",
    ),
  };
}

/** The key URI authenticator apps read (the de-facto `otpauth://` format, TOTP with SHA-1, 6 digits, 30 s). */
export function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({ secret, issuer, algorithm: "SHA1", digits: "6", period: "30" });
  return `otpauth://totp/${label}?${query.toString().replace(/\+/g, "%20")}`;
}

/** A secret in groups of four, as people copy it by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

function setUpAuthenticator(form: ChallengeForm): ChallengeView {
  const secret = form.parameters.secretCode ?? "";
  const uri = otpauthUri(form.issuer, form.username, secret);
  const fields = html`${setupStep("verifyToken")}<ol class="steps">
<li>In your authenticator app, scan this QR code or add an account with the setup key below.
${qrSvg(uri, "QR code of the setup key")}
<div class="secret-box"><code id="secretCode" class="secret" aria-label="Setup key">${grouped(secret)}</code></div>
<p class="hint">On this device? <a class="redirect-customizable" href="${uri}">Open the key in your authenticator app</a>.</p></li>
<li>Enter the 6-digit code the app shows.</li></ol>
${field("Code from the app", codeInput("totpCode"))}${field("Name for this authenticator (optional)", html`<input id="friendlyDeviceName" name="friendlyDeviceName" type="text" maxlength="131" autocomplete="off" class="form-control inputField-customizable">`)}`;
  return {
    title: "Set up an authenticator app",
    description: "Your account needs a code from an authenticator app at sign-in.",
    content: stepForm(form, fields, "Verify and sign in"),
  };
}

function setUpEmail(form: ChallengeForm): ChallengeView {
  const input = html`<input id="email" name="email" type="email" autocomplete="email" autocapitalize="none" spellcheck="false" class="form-control inputField-customizable" required autofocus>`;
  return {
    title: "Set up email codes",
    description: "Your account needs a code sent by email at sign-in. Where should we send it?",
    content: stepForm(form, html`${setupStep("email")}${field("Email address", input)}`, "Send code"),
  };
}

/** MFA_SETUP: the choice of a factor, then the page of the one picked (or the only one offered). */
function mfaSetup(form: ChallengeForm): ChallengeView {
  if (form.parameters.secretCode) return setUpAuthenticator(form);
  if (form.parameters.setupFactor === "EMAIL_OTP") return setUpEmail(form);
  return chooseSetupFactor(form);
}

/** WEB_AUTHN: the browser signs the challenge with one of the user's passkeys. */
function passkey(form: ChallengeForm): ChallengeView {
  return {
    title: "Sign in with a passkey",
    description: "Use the passkey saved on this device or your security key.",
    content: html`${errorLine(form)}${passkeyForm({
      action: form.action,
      ceremony: "get",
      options: form.parameters.CREDENTIAL_REQUEST_OPTIONS ?? "{}",
      hidden: carried(form),
      submit: "Use passkey",
    })}`,
  };
}

const VIEWS: Record<string, (form: ChallengeForm) => ChallengeView> = {
  NEW_PASSWORD_REQUIRED: newPassword,
  SMS_MFA: (form) => deliveredCode(form, "smsCode", "text message"),
  EMAIL_OTP: (form) => deliveredCode(form, "emailCode", "email"),
  SOFTWARE_TOKEN_MFA: totp,
  SELECT_MFA_TYPE: selectMfaType,
  MFA_SETUP: mfaSetup,
  WEB_AUTHN: passkey,
};

/** The page of a challenge, or undefined when the pages cannot answer it. */
export function challengeView(form: ChallengeForm): ChallengeView | undefined {
  return VIEWS[form.challengeName]?.(form);
}
