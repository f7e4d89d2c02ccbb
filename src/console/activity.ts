/**
 * What happened in a pool: the messages "sent" (the outbox, so a developer reads the code), the
 * sign-in events with their risk decisions and reasons, and this process's recent trigger invocations.
 */
import { html, type SafeHtml } from "../pages/html.js";
import type { AuthEventRecord } from "../store/auth-events.js";
import { poolOf, render } from "./page.js";
import { type ConsoleContext, type ConsoleResponse, consoleUrl } from "./request.js";
import type { PoolSection } from "./views/layout.js";
import { badge, outcomeBadge, table, when } from "./views/parts.js";

const LIMIT = 100;

function inPool(poolId: string, pool: Record<string, unknown>, section: PoolSection) {
  return { pool: { id: poolId, name: String(pool.Name), section } };
}

/** A user filter's line: who the page shows, and the way back to everyone. */
function userLine(ctx: ConsoleContext, poolId: string, page: string, what: string): SafeHtml | string {
  const user = ctx.request.query.get("user");
  const all = consoleUrl("pools", poolId, page);
  return user
    ? html`${what} of <a href="${consoleUrl("pools", poolId, "users", user)}">${user}</a> · <a href="${all}">everyone's</a>`
    : `${what}, newest first (the last ${LIMIT}).`;
}

/** One-time codes stand out, so the eye finds them in a message. */
function highlightCodes(message: string): SafeHtml {
  const parts = message.split(/(\b\d{6,8}\b)/);
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<span class="code-big">${part}</span>` : part))}`;
}

export async function outboxPage(ctx: ConsoleContext, poolId: string): Promise<ConsoleResponse> {
  const pool = await poolOf(ctx, poolId);
  const messages = await ctx.services.store.outbox.list({
    poolId,
    username: ctx.request.query.get("user") ?? undefined,
    limit: LIMIT,
  });
  const rows = messages.map(
    (m) =>
      html`<tr><td class="nowrap">${when(m.createdAt)}</td><td><a href="${consoleUrl("pools", poolId, "users", m.username)}">${m.username}</a><div class="muted">${badge(m.channel)} ${m.destination}</div></td><td>${badge(m.purpose, "info")}</td><td>${m.subject ? html`<b>${m.subject}</b><br>` : ""}<div class="message">${highlightCodes(m.message)}</div></td></tr>`,
  );
  const keptOnly = ctx.services.config.messages.email.smtp === null;
  return render(ctx, {
    title: "Messages sent",
    lede: userLine(ctx, poolId, "outbox", "Email and SMS messages"),
    ...inPool(poolId, pool, "outbox"),
    content: html`<section class="card flush" aria-label="Messages">${table(["Sent", "To", "Purpose", "Message"], rows, "No messages yet.")}</section><p class="muted">${keptOnly ? "No mail server is configured: messages are kept here instead of being sent." : "Messages sent through the configured mail server or webhook appear here when messages.keepOutboxCopy is on."} Scripts read the same list at <code>/_cognate/outbox?poolId=${poolId}</code>.</p>`,
  });
}

function riskCell(event: AuthEventRecord): SafeHtml {
  const decision = event.riskDecision ?? "—";
  const tone = decision === "Block" ? "bad" : decision === "AccountTakeover" ? "warn" : "ok";
  const reasons = event.riskDetail.reasons;
  return html`${badge(decision, decision === "—" ? "" : tone)}${event.riskLevel ? html` ${badge(`risk ${event.riskLevel}`)}` : ""}${event.compromised ? html` ${badge("compromised credentials", "bad")}` : ""}${
    event.riskDetail.mode
      ? html`<div class="muted" style="font-size:12.5px">${[event.riskDetail.mode, ...event.riskDetail.actions, `score ${event.riskDetail.score}`].join(" · ")}</div>`
      : ""
  }${reasons.length > 0 ? html`<ul class="reasons">${reasons.map((r) => html`<li>${r.detail} <span class="mono">(${r.code}, ${r.points})</span></li>`)}</ul>` : ""}`;
}

export async function eventsPage(ctx: ConsoleContext, poolId: string): Promise<ConsoleResponse> {
  const pool = await poolOf(ctx, poolId);
  const events = await ctx.services.store.authEvents.listRecent(
    poolId,
    LIMIT,
    ctx.request.query.get("user") ?? undefined,
  );
  const rows = events.map((e) => {
    const challenges = e.challenges.map(
      (c) =>
        html`<div>${c.ChallengeName} ${badge(String(c.ChallengeResponse), c.ChallengeResponse === "Success" ? "ok" : "bad")}</div>`,
    );
    const tone = e.response === "Pass" ? "ok" : e.response === "Fail" ? "bad" : "warn";
    return html`<tr><td class="nowrap">${when(e.createdAt)}</td><td>${e.sub ? html`<a href="${consoleUrl("pools", poolId, "users", e.username)}">${e.username}</a>` : html`${e.username} <span class="muted">(no such user)</span>`}</td><td>${e.eventType}<div>${badge(e.response, tone)}</div></td><td>${riskCell(e)}</td><td class="muted" style="font-size:12.5px">${challenges}${e.ip ? html`<div>${e.ip}</div>` : ""}${e.deviceName ? html`<div>${e.deviceName}</div>` : ""}</td></tr>`;
  });
  const addOns = pool.UserPoolAddOns as { AdvancedSecurityMode?: string } | undefined;
  const mode = addOns?.AdvancedSecurityMode ?? "OFF";
  return render(ctx, {
    title: "Sign-in events",
    lede: userLine(
      ctx,
      poolId,
      "events",
      "Sign-ins, sign-ups and password changes with their risk decisions",
    ),
    ...inPool(poolId, pool, "events"),
    content: html`${mode === "OFF" ? html`<div class="alert notice" style="background:var(--warn-soft);border-color:var(--warn);color:var(--warn)">Threat protection is off for this pool (AdvancedSecurityMode OFF): Cognito records no events then. Turn it on with UpdateUserPool to see them here.</div>` : ""}<section class="card flush" aria-label="Sign-in events">${table(["When", "User", "Event", "Risk decision and reasons", "Challenges · from"], rows, "No events recorded yet.")}</section>`,
  });
}

export async function triggersPage(ctx: ConsoleContext, poolId: string): Promise<ConsoleResponse> {
  const pool = await poolOf(ctx, poolId);
  const invocations = ctx.services.recentInvocations.list(poolId);
  const rows = invocations.map(
    (i) =>
      html`<tr><td class="nowrap">${when(i.at)}</td><td>${i.trigger}<div class="muted mono">${i.source}</div></td><td>${i.userName ?? ""}</td><td>${outcomeBadge(i.outcome)}${i.message ? html`<div class="muted" style="font-size:12.5px">${i.message}</div>` : ""}</td><td class="right nowrap">${i.ms} ms</td><td class="mono muted" style="font-size:12px">${i.functionArn}</td></tr>`,
  );
  return render(ctx, {
    title: "Trigger invocations",
    lede: "This server process's latest Lambda trigger calls for the pool (kept in memory, newest first; a restart forgets them, and each instance or worker keeps its own).",
    ...inPool(poolId, pool, "triggers"),
    content: html`<section class="card flush" aria-label="Trigger invocations">${table(["When", "Trigger", "User", "Outcome", "Took", "Function"], rows, "No trigger has run since the server started.")}</section>`,
  });
}
