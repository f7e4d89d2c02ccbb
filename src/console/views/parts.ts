/** Small pieces the console's pages share. */
import { html, type SafeHtml } from "../../pages/html.js";

export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** An API timestamp (epoch seconds) or a Date, as UTC to the second. */
export function when(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === "number" ? new Date(value * 1000) : undefined;
  if (!date || Number.isNaN(date.getTime())) return "";
  // The time and its zone never part: a narrow column breaks after the date only.
  return `${date.toISOString().slice(0, 19).replace("T", " ")}\u00a0UTC`;
}

const STATUS_TONE: Record<string, string> = {
  CONFIRMED: "ok",
  EXTERNAL_PROVIDER: "info",
  FORCE_CHANGE_PASSWORD: "warn",
  RESET_REQUIRED: "warn",
  UNCONFIRMED: "warn",
  COMPROMISED: "bad",
  ARCHIVED: "bad",
};

export function badge(text: string, tone = ""): SafeHtml {
  return html`<span class="badge ${tone}">${text}</span>`;
}

export function userStatus(status: unknown, enabled: unknown): SafeHtml {
  const text = String(status ?? "UNKNOWN");
  return html`${badge(text, STATUS_TONE[text] ?? "")}${enabled === false ? html` ${badge("Disabled", "bad")}` : ""}`;
}

export function outcomeBadge(outcome: string): SafeHtml {
  return badge(outcome, outcome === "success" || outcome === "Pass" ? "ok" : "bad");
}

export function table(head: string[], rows: SafeHtml[], empty: string): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<table><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
}

export function props(entries: [string, unknown][]): SafeHtml {
  return html`<dl class="props">${entries
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

/** A value of a list of {Name, Value} (the API's attributes). */
export function attribute(list: unknown, name: string): string | undefined {
  if (!Array.isArray(list)) return undefined;
  return (list as { Name: string; Value?: string }[]).find((a) => a.Name === name)?.Value;
}

/** A form that POSTs one action with its fields and a single button. */
export function actionForm(
  action: string,
  csrf: string,
  label: string,
  fields: Record<string, string> = {},
  className = "",
): SafeHtml {
  return html`<form class="inline" method="post" action="${action}">${csrfField(csrf)}${Object.entries(
    fields,
  ).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit"${className ? html` class="${className}"` : ""}>${label}</button></form>`;
}

export function json(value: unknown): SafeHtml {
  return html`<pre>${JSON.stringify(value, null, 2)}</pre>`;
}
