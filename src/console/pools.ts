/** User pools: the list, creating one, a pool's overview (its settings), and its groups. */
import { html } from "../pages/html.js";
import { act, call, field, notice, poolOf, type Refusal, render, withDone } from "./page.js";
import { type ConsoleContext, type ConsoleResponse, consoleUrl } from "./request.js";
import { actionForm, badge, csrfField, json, props, table, when } from "./views/parts.js";

const NOTICES = { created: "User pool created.", "group-created": "Group created." };

export async function poolsPage(ctx: ConsoleContext, refusal?: Refusal): Promise<ConsoleResponse> {
  const next = ctx.request.query.get("next") ?? undefined;
  const out = await call(ctx, "ListUserPools", { MaxResults: 60, NextToken: next });
  const pools = (out.UserPools ?? []) as Record<string, unknown>[];
  const rows = pools.map(
    (p) =>
      html`<tr><td><a href="${consoleUrl("pools", String(p.Id))}">${p.Name}</a></td><td class="mono">${p.Id}</td><td class="nowrap">${when(p.CreationDate)}</td></tr>`,
  );
  const more = out.NextToken
    ? html`<div class="pager"><a href="/console/pools?next=${encodeURIComponent(String(out.NextToken))}">Next page →</a></div>`
    : "";
  const create = html`<section class="card" aria-labelledby="create-pool"><h2 id="create-pool">Create a user pool</h2>
<form method="post" action="/console/pools">${csrfField(ctx.csrf)}
<div class="field"><label for="pool-name">Name</label><input type="text" id="pool-name" name="name" required maxlength="128" value="${ctx.request.form.get("name") ?? ""}"></div>
<div class="field"><span class="label">Users sign in with</span>
<label class="check"><input type="radio" name="signIn" value="username" checked> a username</label>
<label class="check"><input type="radio" name="signIn" value="email"> their email address</label></div>
<label class="check"><input type="checkbox" name="verifyEmail" value="yes" checked> Verify email addresses (a code is sent)</label>
<div class="actions"><button type="submit" class="primary">Create user pool</button></div></form></section>`;
  return render(ctx, {
    title: "User pools",
    lede: "Every user pool on this server. Pools, clients and users made through the API show up here, and the other way round.",
    notice: notice(ctx, NOTICES),
    error: refusal,
    content: html`<div class="grid main-side"><section class="card flush" aria-label="User pools">${table(["Name", "Pool id", "Created"], rows, "No user pools yet: create one.")}${more}</section>${create}</div>`,
  });
}

export function createPool(ctx: ConsoleContext): Promise<ConsoleResponse> {
  return act(
    async () => {
      const byEmail = ctx.request.form.get("signIn") === "email";
      const verify = ctx.request.form.get("verifyEmail") === "yes";
      const out = await call(ctx, "CreateUserPool", {
        PoolName: field(ctx, "name") ?? "",
        ...(byEmail && { UsernameAttributes: ["email"] }),
        ...(verify && { AutoVerifiedAttributes: ["email"] }),
      });
      const pool = out.UserPool as { Id: string };
      return withDone(consoleUrl("pools", pool.Id), "created");
    },
    (refusal) => poolsPage(ctx, refusal),
  );
}

function list(value: unknown): string {
  return Array.isArray(value) && value.length > 0 ? value.join(", ") : "—";
}

export async function poolOverview(ctx: ConsoleContext, poolId: string): Promise<ConsoleResponse> {
  const pool = await poolOf(ctx, poolId);
  const mfa = await call(ctx, "GetUserPoolMfaConfig", { UserPoolId: poolId });
  const policy = (pool.Policies as { PasswordPolicy?: Record<string, unknown> } | undefined)?.PasswordPolicy;
  const triggers = Object.entries((pool.LambdaConfig ?? {}) as Record<string, unknown>).filter(
    ([, v]) => typeof v === "string",
  );
  const settings = props([
    ["Pool id", html`<code>${pool.Id}</code>`],
    ["ARN", html`<code>${pool.Arn}</code>`],
    ["Created", when(pool.CreationDate)],
    ["Estimated users", String(pool.EstimatedNumberOfUsers ?? 0)],
    ["Sign-in with", pool.UsernameAttributes ? list(pool.UsernameAttributes) : "username"],
    ["Aliases", list(pool.AliasAttributes)],
    ["Verified automatically", list(pool.AutoVerifiedAttributes)],
    ["MFA", html`${badge(String(mfa.MfaConfiguration ?? pool.MfaConfiguration ?? "OFF"))}`],
    ["Deletion protection", String(pool.DeletionProtection ?? "INACTIVE")],
    ["Domain", pool.Domain ? html`<code>${pool.Domain}</code>` : "—"],
    ["Tier", String(pool.UserPoolTier ?? "")],
  ]);
  const passwords = policy
    ? props([
        ["Minimum length", String(policy.MinimumLength)],
        ["Needs uppercase", policy.RequireUppercase ? "yes" : "no"],
        ["Needs lowercase", policy.RequireLowercase ? "yes" : "no"],
        ["Needs numbers", policy.RequireNumbers ? "yes" : "no"],
        ["Needs symbols", policy.RequireSymbols ? "yes" : "no"],
        ["Temporary password valid", `${policy.TemporaryPasswordValidityDays} days`],
      ])
    : html`<p class="muted">Cognito's defaults.</p>`;
  const lambdas = table(
    ["Trigger", "Function"],
    triggers.map(([name, arn]) => html`<tr><td>${name}</td><td class="mono">${arn}</td></tr>`),
    "No Lambda triggers configured.",
  );
  return render(ctx, {
    title: String(pool.Name),
    lede: "The pool's settings, as DescribeUserPool returns them.",
    pool: { id: poolId, name: String(pool.Name), section: "overview" },
    notice: notice(ctx, NOTICES),
    content: html`<div class="grid"><section class="card"><h2>Settings</h2>${settings}</section><section class="card"><h2>Password policy</h2>${passwords}</section></div>
<section class="card flush" style="margin-top:18px"><h2>Lambda triggers</h2>${lambdas}</section>
<section class="card"><details><summary>Everything DescribeUserPool returns</summary>${json(pool)}</details></section>`,
  });
}

export async function groupsPage(
  ctx: ConsoleContext,
  poolId: string,
  refusal?: Refusal,
): Promise<ConsoleResponse> {
  const pool = await poolOf(ctx, poolId);
  const out = await call(ctx, "ListGroups", { UserPoolId: poolId, Limit: 60 });
  const groups = (out.Groups ?? []) as Record<string, unknown>[];
  const rows = groups.map(
    (g) =>
      html`<tr><td>${g.GroupName}</td><td>${g.Description ?? ""}</td><td>${g.Precedence ?? ""}</td><td class="mono">${g.RoleArn ?? ""}</td><td class="right">${actionForm(`${consoleUrl("pools", poolId, "groups")}/delete`, ctx.csrf, "Delete", { group: String(g.GroupName) }, "small danger")}</td></tr>`,
  );
  const form = ctx.request.form;
  const create = html`<section class="card" aria-labelledby="create-group"><h2 id="create-group">Create a group</h2>
<form method="post" action="${consoleUrl("pools", poolId, "groups")}">${csrfField(ctx.csrf)}
<div class="field"><label for="group-name">Name</label><input type="text" id="group-name" name="name" required value="${form.get("name") ?? ""}"></div>
<div class="field"><label for="group-description">Description</label><input type="text" id="group-description" name="description" value="${form.get("description") ?? ""}"></div>
<div class="field"><label for="group-precedence">Precedence</label><input type="text" inputmode="numeric" id="group-precedence" name="precedence" value="${form.get("precedence") ?? ""}"><span class="hint">Lower wins when a user is in several groups.</span></div>
<div class="actions"><button type="submit" class="primary">Create group</button></div></form></section>`;
  return render(ctx, {
    title: "Groups",
    pool: { id: poolId, name: String(pool.Name), section: "groups" },
    notice: notice(ctx, { ...NOTICES, deleted: "Group deleted." }),
    error: refusal,
    content: html`<div class="grid main-side"><section class="card flush" aria-label="Groups">${table(["Name", "Description", "Precedence", "Role", ""], rows, "No groups in this pool.")}</section>${create}</div>`,
  });
}

export function createGroup(ctx: ConsoleContext, poolId: string): Promise<ConsoleResponse> {
  return act(
    async () => {
      const precedence = field(ctx, "precedence");
      await call(ctx, "CreateGroup", {
        UserPoolId: poolId,
        GroupName: field(ctx, "name") ?? "",
        Description: field(ctx, "description"),
        ...(precedence !== undefined && { Precedence: Number(precedence) }),
      });
      return withDone(consoleUrl("pools", poolId, "groups"), "group-created");
    },
    (refusal) => groupsPage(ctx, poolId, refusal),
  );
}

export function deleteGroup(ctx: ConsoleContext, poolId: string): Promise<ConsoleResponse> {
  return act(
    async () => {
      await call(ctx, "DeleteGroup", { UserPoolId: poolId, GroupName: field(ctx, "group") ?? "" });
      return withDone(consoleUrl("pools", poolId, "groups"), "deleted");
    },
    (refusal) => groupsPage(ctx, poolId, refusal),
  );
}
