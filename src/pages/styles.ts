/**
 * The sign-in pages' own style sheets. Every rule reads custom properties, so that a managed-login
 * style (branding-css.ts) restyles version-2 pages by setting them; and every rule on Cognito's
 * `*-customizable` classes has a single class's specificity, so that a pool's UI customization CSS,
 * which comes after, restyles version-1 pages as it does on AWS.
 */

/** What both versions share: the defaults of the custom properties and the page's structure. */
export const BASE_CSS = `
:root {
  --page: #f3f4f6; --card: #ffffff; --card-border: transparent;
  --heading: #111827; --text: #374151; --muted: #6b7280; --label: #111827;
  --accent: #2563eb; --accent-text: #ffffff; --accent-hover: #1d4ed8; --accent-hover-text: #ffffff;
  --secondary-bg: #ffffff; --secondary-border: #d1d5db; --secondary-text: #111827; --secondary-hover-bg: #f9fafb;
  --link: #2563eb; --link-hover: #1d4ed8; --focus: #2563eb;
  --input-bg: #ffffff; --border: #d1d5db; --placeholder: #9ca3af;
  --error-bg: #fef2f2; --error-border: #fca5a5; --error-text: #b91c1c;
  --divider: #e5e7eb; --option-selected: #2563eb;
  --header-bg: #ffffff; --header-border: #e5e7eb; --footer-bg: #ffffff; --footer-border: #e5e7eb;
  --radius-card: 12px; --radius-input: 8px; --radius-button: 8px; --radius-alert: 8px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --density: 1; --form-justify: center; --form-align: flex-start;
  color-scheme: light;
}
* { box-sizing: border-box; }
html, body { margin: 0; }
body {
  min-height: 100vh; display: flex; flex-direction: column;
  background-color: var(--page); background-image: var(--page-image, none);
  background-size: cover; background-position: center;
  color: var(--text); font: 16px/1.5 var(--font);
  -webkit-font-smoothing: antialiased;
}
.page { flex: 1; display: flex; justify-content: var(--form-justify); align-items: var(--form-align); padding: calc(48px * var(--density)) 16px; }
.modal-content {
  width: 100%; max-width: 420px;
  background-color: var(--card); background-image: var(--form-image, none); background-size: cover;
  border: 1px solid var(--card-border); border-radius: var(--radius-card);
  overflow: hidden;
}
.modal-body { padding: calc(8px * var(--density)) calc(32px * var(--density)) calc(32px * var(--density)); }
h1 { color: var(--heading); margin: 0; }
.textDescription-customizable { color: var(--muted); }
.field { display: block; margin-bottom: calc(16px * var(--density)); }
.label-customizable { display: block; color: var(--label); margin-bottom: 6px; }
.form-control {
  display: block; width: 100%; font: inherit; color: var(--heading);
  background: var(--input-bg); border: 1px solid var(--border); border-radius: var(--radius-input);
  transition: border-color .15s, box-shadow .15s;
}
.form-control::placeholder { color: var(--placeholder); }
.form-control:focus { outline: none; border-color: var(--focus); box-shadow: 0 0 0 3px color-mix(in srgb, var(--focus) 28%, transparent); }
.btn {
  display: block; width: 100%; min-height: 44px; padding: 10px 16px; margin-top: 8px;
  font: inherit; font-weight: 600; border-radius: var(--radius-button); border: 1px solid transparent; cursor: pointer;
}
.btn-primary { background: var(--accent); color: var(--accent-text); }
.btn-primary:hover { background: var(--accent-hover); color: var(--accent-hover-text); }
.btn-secondary { background: var(--secondary-bg); color: var(--secondary-text); border-color: var(--secondary-border); }
.btn-secondary:hover { background: var(--secondary-hover-bg); }
.btn:focus-visible, a:focus-visible, .choice input:focus-visible { outline: 3px solid color-mix(in srgb, var(--focus) 55%, transparent); outline-offset: 2px; }
a, .redirect-customizable { color: var(--link); text-decoration: none; font-weight: 500; }
a:hover { color: var(--link-hover); text-decoration: underline; }
.aside { display: flex; justify-content: flex-end; margin: -6px 0 12px; font-size: .9rem; }
.footer-customizable, .legalText-customizable { text-align: center; color: var(--muted); font-size: .9rem; margin: 20px 0 0; }
.errorMessage-customizable {
  background: var(--error-bg); color: var(--error-text); border: 1px solid var(--error-border);
  border-radius: var(--radius-alert); padding: 10px 12px; margin: 0 0 16px; font-size: .92rem;
}
.infoMessage { background: color-mix(in srgb, var(--accent) 8%, var(--card)); color: var(--heading); border-radius: var(--radius-alert); padding: 10px 12px; margin: 0 0 16px; font-size: .92rem; }
.divider { display: flex; align-items: center; gap: 12px; color: var(--muted); font-size: .85rem; margin: 20px 0 4px; }
.divider::before, .divider::after { content: ""; flex: 1; border-top: 1px solid var(--divider); }
.choices { display: grid; gap: 10px; margin: 0 0 8px; padding: 0; border: 0; }
.choice { display: flex; gap: 10px; align-items: center; padding: 12px; border: 1px solid var(--border); border-radius: var(--radius-input); cursor: pointer; color: var(--heading); }
.choice input { accent-color: var(--option-selected); width: 18px; height: 18px; margin: 0; }
.choice:has(input:checked) { border-color: var(--option-selected); box-shadow: 0 0 0 1px var(--option-selected); }
.steps { margin: 0 0 16px; padding-left: 1.25rem; color: var(--text); font-size: .95rem; }
.steps li { margin-bottom: 8px; }
.secret-box { margin: 8px 0 4px; }
.secret {
  display: block; font: 600 1rem/1.6 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; letter-spacing: .04em;
  color: var(--heading); word-break: break-word; user-select: all;
  background: color-mix(in srgb, var(--border) 22%, var(--card)); border: 1px dashed var(--border); border-radius: var(--radius-input); padding: 10px 12px;
}
.hint { margin: 4px 0 0; font-size: .85rem; color: var(--muted); }
.qr { display: block; width: 184px; height: 184px; margin: 12px auto 8px; border-radius: 6px; border: 1px solid var(--divider); }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/**
 * Version 1, the classic hosted UI, cleaned up: the logo on a grey banner above the form, Bootstrap's
 * blue button and its inputs, a smaller heading, the copy for small screens or for large ones.
 */
export const CLASSIC_CSS = `
:root { --page: #f2f2f2; --accent: #337ab7; --accent-hover: #286090; --link: #337ab7; --link-hover: #23527c; --focus: #66afe9;
  --border: #cccccc; --muted: #555555; --text: #333333; --heading: #333333; --label: #333333;
  --error-bg: #f5f5f5; --error-border: #d64958; --error-text: #d64958;
  --radius-card: 6px; --radius-input: 4px; --radius-button: 4px; --radius-alert: 4px;
  --font: "Helvetica Neue", Helvetica, Arial, sans-serif; }
body { font-size: 15px; }
.modal-content { max-width: 400px; box-shadow: 0 5px 15px rgba(0, 0, 0, .12); border-color: rgba(0, 0, 0, .12); }
.visible-xs.visible-sm { display: none; }
@media (max-width: 991px) {
  .visible-xs.visible-sm { display: block; }
  .visible-md.visible-lg { display: none; }
}
.banner-customizable { display: flex; justify-content: center; align-items: center; min-height: 72px; padding: 22px 24px; background-color: #fafafa; border-bottom: 1px solid #e8e8e8; }
.logo-customizable { display: block; max-width: 100%; max-height: 100px; }
.app-name { font-size: 1.15rem; font-weight: 600; color: var(--heading); }
.modal-body { padding: 18px 28px 28px; }
h1 { font-size: 1.15rem; font-weight: 600; line-height: 1.4; margin: 4px 0 2px; }
.textDescription-customizable { display: block; padding: 0 0 12px; margin: 0; font-size: .95rem; }
.label-customizable { font-weight: 400; font-size: .95rem; margin-bottom: 4px; }
.form-control { height: 38px; padding: 6px 12px; }
.submitButton-customizable { font-size: 14px; font-weight: 700; height: 40px; margin: 18px 0 8px; }
.errorMessage-customizable { border-width: 2px; font-size: 14px; padding: 6px 10px; }
@media (max-width: 520px) {
  .page { padding: 0; }
  .modal-content { max-width: none; min-height: 100vh; border-radius: 0; box-shadow: none; border: 0; }
}
`;

/**
 * Version 2, managed login: a current product's look, every colour from the style (the default
 * style when the client's sets none): the form logo in the card, a page header and footer where the
 * style enables them, dark mode following the style's colour scheme.
 */
export const MANAGED_CSS = `
body { font-size: 15px; }
.page-header, .page-footer { display: flex; align-items: center; min-height: 56px; padding: 10px 24px; background-color: var(--header-bg); background-image: var(--header-image, none); background-size: cover; border-bottom: 1px solid var(--header-border); }
.page-footer { background-color: var(--footer-bg); background-image: var(--footer-image, none); border-bottom: 0; border-top: 1px solid var(--footer-border); }
.page-header img, .page-footer img { max-height: 36px; max-width: 240px; }
.modal-content { max-width: 400px; box-shadow: 0 1px 2px rgba(16, 24, 40, .05), 0 10px 30px rgba(16, 24, 40, .08); }
.form-logo { display: flex; justify-content: center; padding: calc(32px * var(--density)) 32px 0; }
.form-logo img { max-width: 200px; max-height: 64px; }
.modal-body { padding-top: calc(28px * var(--density)); }
h1 { font-size: 1.6rem; font-weight: 700; letter-spacing: -.01em; line-height: 1.25; margin: 0 0 6px; }
.textDescription-customizable { margin: 0 0 24px; font-size: .95rem; }
.label-customizable { font-weight: 600; font-size: .875rem; }
.form-control { height: 44px; padding: 8px 12px; }
.submitButton-customizable { margin-top: 16px; }
.aside { margin: -4px 0 8px; }
@media (max-width: 520px) {
  .page { padding: 0; align-items: stretch; }
  .modal-content { max-width: none; border: 0; border-radius: 0; box-shadow: none; }
  .modal-body { padding-left: 24px; padding-right: 24px; }
}
.fieldLabel { display: block; margin: 0; }
.passwordRules { margin: -8px 0 16px; color: var(--muted); font-size: .85rem; }
.passwordRules ul { margin: 4px 0 0; padding-left: 20px; }
.linkForm { margin: 18px 0 0; text-align: center; color: var(--muted); font-size: .9rem; }
.linkButton { background: none; border: 0; padding: 0; font: inherit; color: var(--accent); font-weight: 500; cursor: pointer; }
.linkButton:hover { text-decoration: underline; }
.linkButton:focus-visible { outline: 3px solid color-mix(in srgb, var(--focus) 55%, transparent); outline-offset: 2px; border-radius: 2px; }
.linkForm + .footer-customizable { margin-top: 10px; }
`;
