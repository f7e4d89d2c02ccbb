/**
 * The sign-in pages' own style sheet. It styles Cognito's `*-customizable` classes, so that a
 * pool's UI customization CSS, which comes after it, restyles them as it does on AWS.
 */
export const BASE_CSS = `
:root {
  --accent: #2563eb;
  --accent-hover: #1d4ed8;
  --text: #111827;
  --muted: #4b5563;
  --border: #d1d5db;
  --page: #f3f4f6;
  --card: #ffffff;
  --error-bg: #fef2f2;
  --error-text: #b91c1c;
  --info-bg: #eff6ff;
  --info-text: #1e40af;
  color-scheme: light;
}
* { box-sizing: border-box; }
html, body { margin: 0; }
body {
  min-height: 100vh;
  background: var(--page);
  color: var(--text);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  -webkit-font-smoothing: antialiased;
}
.page { display: flex; justify-content: center; align-items: flex-start; padding: 56px 16px; }
.modal-content {
  width: 100%;
  max-width: 420px;
  background: var(--card);
  border-radius: 14px;
  box-shadow: 0 1px 2px rgba(17, 24, 39, .06), 0 12px 32px rgba(17, 24, 39, .10);
  overflow: hidden;
}
.visible-xs.visible-sm { display: none; }
@media (max-width: 991px) {
  .visible-xs.visible-sm { display: block; }
  .visible-md.visible-lg { display: none; }
}
@media (max-width: 520px) {
  .page { padding: 0; }
  .modal-content { max-width: none; min-height: 100vh; border-radius: 0; box-shadow: none; }
}
.banner-customizable {
  display: flex; justify-content: center; align-items: center;
  padding: 28px 32px 4px;
}
.logo-customizable { max-width: 100%; max-height: 72px; }
.brand-mark {
  display: inline-flex; align-items: center; justify-content: center;
  width: 44px; height: 44px; border-radius: 12px;
  background: var(--accent); color: #fff; font-weight: 700; font-size: 20px;
}
.modal-body { padding: 12px 32px 32px; }
h1 { font-size: 1.45rem; line-height: 1.3; margin: 12px 0 4px; text-align: center; font-weight: 650; }
.textDescription-customizable { color: var(--muted); margin: 0 0 20px; text-align: center; font-size: .95rem; }
.field { margin-bottom: 16px; }
.label-customizable { display: block; font-weight: 600; font-size: .9rem; margin-bottom: 6px; }
.form-control {
  display: block; width: 100%; height: 44px; padding: 8px 12px;
  font: inherit; color: var(--text); background: #fff;
  border: 1px solid var(--border); border-radius: 8px;
  transition: border-color .15s, box-shadow .15s;
}
.form-control:focus { outline: none; border-color: var(--accent); box-shadow: 0 0 0 3px rgba(37, 99, 235, .25); }
.btn {
  display: block; width: 100%; min-height: 44px; padding: 10px 16px; margin-top: 8px;
  font: inherit; font-weight: 600; border-radius: 8px; border: 1px solid transparent; cursor: pointer;
}
.btn-primary { background: var(--accent); color: #fff; }
.btn-primary:hover { background: var(--accent-hover); }
.btn:focus-visible, a:focus-visible { outline: 3px solid rgba(37, 99, 235, .45); outline-offset: 2px; }
.btn-secondary { background: #fff; color: var(--text); border-color: var(--border); }
.btn-secondary:hover { background: #f9fafb; }
.idpButton-customizable { margin-top: 10px; }
a, .redirect-customizable { color: var(--accent); text-decoration: none; font-weight: 500; }
a:hover { text-decoration: underline; }
.aside { display: flex; justify-content: flex-end; margin: -6px 0 12px; font-size: .9rem; }
.footer-customizable, .legalText-customizable { text-align: center; color: var(--muted); font-size: .9rem; margin: 20px 0 0; }
.errorMessage-customizable {
  background: var(--error-bg); color: var(--error-text);
  border-radius: 8px; padding: 10px 12px; margin: 0 0 16px; font-size: .92rem;
}
.infoMessage { background: var(--info-bg); color: var(--info-text); border-radius: 8px; padding: 10px 12px; margin: 0 0 16px; font-size: .92rem; }
.divider { display: flex; align-items: center; gap: 12px; color: var(--muted); font-size: .85rem; margin: 20px 0 4px; }
.divider::before, .divider::after { content: ""; flex: 1; border-top: 1px solid var(--border); }
.choices { display: grid; gap: 10px; margin: 0 0 8px; padding: 0; border: 0; }
.choice { display: flex; gap: 10px; align-items: center; padding: 12px; border: 1px solid var(--border); border-radius: 8px; cursor: pointer; }
.choice:focus-within { border-color: var(--accent); box-shadow: 0 0 0 3px rgba(37, 99, 235, .25); }
.secret { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; word-break: break-all; background: #f9fafb; border: 1px dashed var(--border); border-radius: 8px; padding: 10px 12px; }
.fieldLabel { display: block; margin: 0; }
.passwordRules { margin: -8px 0 16px; color: var(--muted); font-size: .85rem; }
.passwordRules ul { margin: 4px 0 0; padding-left: 20px; }
.linkForm { margin: 18px 0 0; text-align: center; color: var(--muted); font-size: .9rem; }
.linkButton { background: none; border: 0; padding: 0; font: inherit; cursor: pointer; }
.linkButton:hover { text-decoration: underline; }
.linkButton:focus-visible { outline: 3px solid rgba(37, 99, 235, .45); outline-offset: 2px; border-radius: 2px; }
.linkForm + .footer-customizable { margin-top: 10px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
