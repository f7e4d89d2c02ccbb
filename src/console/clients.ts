/** App clients: the list, creating one, and one client's settings. */
import { html } from "../pages/html.js";
import { act, call, field, notice, poolOf, type Refusal, render, withDone } from "./page.js";
import { type ConsoleContext, type ConsoleResponse, consoleUrl } from "./request.js";
import { badge, csrfField, json, props, table, when } from "./views/parts.js";

/** The flows a new client may allow, with what they mean to a developer. */
const FLOWS: [string, string][] = [
  ["ALLOW_USER_SRP_AUTH", "SRP (Amplify's default)"],
  ["ALLOW_USER_PASSWORD_AUTH", "Password in the request"],
  ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "Admin password sign-in"],
  ["ALLOW_USER_AUTH", "Choice-based sign-in"],
  ["ALLOW_CUSTOM_AUTH", "Custom challenges (Lambda)"],
  ["ALLOW_REFRESH_TOKEN_AUTH", "Refresh tokens"],
];
const DEFAULT_FLOWS = new Set([
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
]);

function base(poolId: string): string {
  return consoleUrl("pools", poolId, "clients");
}

export async function clientsPage(
  ctx: ConsoleContext,
  poolId: string,
  refusal?: Refusal,
): Promise<ConsoleResponse> {
  const pool = await poolOf(ctx, poolId);
  const out = await call(ctx, "ListUserPoolClients", { UserPoolId: poolId, MaxResults: 60 });
  const clients = (out.UserPoolClients ?? []) as Record<string, unknown>[];
  const rows = clients.map(
    (c) =>
      html`<tr><td><a href="${base(poolId)}/${encodeURIComponent(String(c.ClientId))}">${c.ClientName}</a></td><td class="mono">${c.ClientId}</td></tr>`,
  );
  const posted = ctx.request.method === "POST";
  const checked = (flow: string) =>
    posted ? ctx.request.form.getAll("flows").includes(flow) : DEFAULT_FLOWS.has(flow);
  const flows = FLOWS.map(
    ([flow, label]) =>
      html`<label class="check flow"><input type="checkbox" name="flows" value="${flow}"${checked(flow) ? html` checked` : ""}><span>${label}<br><code class="muted">${flow}</code></span></label>`,
  );
  const create = html`<section class="card" aria-labelledby="create-client"><h2 id="create-client">Create an app client</h2>
<form method="post" action="${base(poolId)}">${csrfField(ctx.csrf)}
<div class="field"><label for="client-name">Name</label><input type="text" id="client-name" name="name" required value="${ctx.request.form.get("name") ?? ""}"></div>
<label class="check"><input type="checkbox" name="secret" value="yes"${ctx.request.form.get("secret") === "yes" ? html` checked` : ""}> Generate a client secret (server-side apps)</label>
<fieldset style="border:0;padding:0;margin:12px 0"><legend class="label" style="font-weight:600;margin-bottom:6px">Authentication flows</legend>${flows}</fieldset>
<div class="actions"><button type="submit" class="primary">Create app client</button></div></form></section>`;
  return render(ctx, {
    title: "App clients",
    pool: { id: poolId, name: String(pool.Name), section: "clients" },
    error: refusal,
    content: html`<div class="grid main-side"><section class="card flush" aria-label="App clients">${table(["Name", "Client id"], rows, "No app clients yet.")}</section>${create}</div>`,
  });
}

export function createClient(ctx: ConsoleContext, poolId: string): Promise<ConsoleResponse> {
  return act(
    async () => {
      const out = await call(ctx, "CreateUserPoolClient", {
        UserPoolId: poolId,
        ClientName: field(ctx, "name") ?? "",
        GenerateSecret: ctx.request.form.get("secret") === "yes",
        ExplicitAuthFlows: ctx.request.form.getAll("flows"),
      });
      const client = out.UserPoolClient as { ClientId: string };
      return withDone(`${base(poolId)}/${encodeURIComponent(client.ClientId)}`, "created");
    },
    (refusal) => clientsPage(ctx, poolId, refusal),
  );
}

export async function clientPage(
  ctx: ConsoleContext,
  poolId: string,
  clientId: string,
): Promise<ConsoleResponse> {
  const pool = await poolOf(ctx, poolId);
  const out = await call(ctx, "DescribeUserPoolClient", { UserPoolId: poolId, ClientId: clientId });
  const client = out.UserPoolClient as Record<string, unknown>;
  const list = (value: unknown) =>
    Array.isArray(value) && value.length > 0 ? value.map((v) => html`${badge(String(v))} `) : "—";
  const validity = client.TokenValidityUnits as Record<string, string> | undefined;
  const settings = props([
    ["Client id", html`<code>${client.ClientId}</code>`],
    [
      "Client secret",
      client.ClientSecret ? html`<code>${client.ClientSecret}</code>` : "none (a public client)",
    ],
    ["Created", when(client.CreationDate)],
    ["Authentication flows", list(client.ExplicitAuthFlows)],
    ["Refresh token valid", `${client.RefreshTokenValidity ?? 30} ${validity?.RefreshToken ?? "days"}`],
    ["Access token valid", `${client.AccessTokenValidity ?? 60} ${validity?.AccessToken ?? "minutes"}`],
    ["ID token valid", `${client.IdTokenValidity ?? 60} ${validity?.IdToken ?? "minutes"}`],
    ["OAuth flows", list(client.AllowedOAuthFlows)],
    ["OAuth scopes", list(client.AllowedOAuthScopes)],
    ["Callback URLs", list(client.CallbackURLs)],
    ["Identity providers", list(client.SupportedIdentityProviders)],
    ["Prevent user existence errors", String(client.PreventUserExistenceErrors ?? "")],
  ]);
  return render(ctx, {
    title: String(client.ClientName),
    lede: "The app client's settings, as DescribeUserPoolClient returns them.",
    crumbs: [{ label: "App clients", href: base(poolId) }],
    pool: { id: poolId, name: String(pool.Name), section: "clients" },
    notice: notice(ctx, { created: "App client created." }),
    content: html`<section class="card"><h2>Settings</h2>${settings}</section><section class="card"><details><summary>Everything DescribeUserPoolClient returns</summary>${json(client)}</details></section>`,
  });
}
