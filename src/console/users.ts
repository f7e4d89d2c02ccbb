/**
 * Users: search (ListUsers filters), create, and one user's page with what an operator does to a
 * user — disable, enable, reset the password, confirm, groups, MFA preferences, devices.
 */
import { CognitoError } from "../domain/errors.js";
import { html, type SafeHtml } from "../pages/html.js";
import { act, call, field, notice, poolOf, type Refusal, render, withDone } from "./page.js";
import { type ConsoleContext, type ConsoleResponse, consoleUrl } from "./request.js";
import { actionForm, attribute, badge, csrfField, props, table, userStatus, when } from "./views/parts.js";

function usersUrl(poolId: string): string {
  return consoleUrl("pools", poolId, "users");
}

function userUrl(poolId: string, username: string): string {
  return consoleUrl("pools", poolId, "users", username);
}

/** What the search box holds as a ListUsers filter: a filter as is, or plain text as a username prefix. */
export function searchFilter(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (/^\w+\s*\^?=\s*"/.test(trimmed)) return trimmed;
  return `username ^= "${trimmed.replace(/["\\]/g, "")}"`;
}

export async function usersPage(
  ctx: ConsoleContext,
  poolId: string,
  refusal?: Refusal,
): Promise<ConsoleResponse> {
  const pool = await poolOf(ctx, poolId);
  const search = ctx.request.query.get("q") ?? "";
  const filter = searchFilter(search);
  let users: Record<string, unknown>[] = [];
  let next: string | undefined;
  let searchError: Refusal | undefined;
  try {
    const out = await call(ctx, "ListUsers", {
      UserPoolId: poolId,
      Limit: 60,
      Filter: filter,
      PaginationToken: ctx.request.query.get("next") ?? undefined,
    });
    users = (out.Users ?? []) as Record<string, unknown>[];
    next = out.PaginationToken as string | undefined;
  } catch (error) {
    // A filter ListUsers refuses is shown with Cognito's message, above an empty list.
    if (!(error instanceof CognitoError)) throw error;
    searchError = { type: error.type, message: error.message };
  }
  const rows = users.map(
    (u) =>
      html`<tr><td><a href="${userUrl(poolId, String(u.Username))}">${u.Username}</a></td><td>${attribute(u.Attributes, "email") ?? ""}</td><td>${userStatus(u.UserStatus, u.Enabled)}</td><td>${when(u.UserCreateDate)}</td></tr>`,
  );
  const more = next
    ? html`<div class="pager"><a href="${usersUrl(poolId)}?q=${encodeURIComponent(search)}&amp;next=${encodeURIComponent(next)}">Next page →</a></div>`
    : "";
  const searchForm = html`<form class="search" method="get" action="${usersUrl(poolId)}" role="search"><label for="user-search" class="label" style="position:absolute;left:-999px">Search users</label><input type="search" id="user-search" name="q" value="${search}" placeholder='email ^= "ana"   ·   status = "UNCONFIRMED"   ·   or a username prefix'><button type="submit">Search</button></form>
<p class="muted" style="margin:0 0 14px;font-size:12.5px">ListUsers filters: <code>attribute = "value"</code> or <code>attribute ^= "prefix"</code> on username, email, phone_number, name, given_name, family_name, preferred_username, cognito:user_status (status), sub.${filter && filter !== search.trim() ? html` Searching <code>${filter}</code>.` : ""}</p>`;
  return render(ctx, {
    title: "Users",
    pool: { id: poolId, name: String(pool.Name), section: "users" },
    error: refusal ?? searchError,
    notice: notice(ctx, { deleted: "User deleted." }),
    content: html`${searchForm}<div class="grid main-side"><section class="card flush" aria-label="Users">${table(["Username", "Email", "Status", "Created"], rows, filter ? "No user matches." : "No users yet.")}${more}</section>${createUserForm(ctx, poolId, pool)}</div>`,
  });
}

function createUserForm(ctx: ConsoleContext, poolId: string, pool: Record<string, unknown>): SafeHtml {
  const form = ctx.request.form;
  const posted = ctx.request.method === "POST";
  const byEmail = Array.isArray(pool.UsernameAttributes) && pool.UsernameAttributes.includes("email");
  const checked = (name: string, byDefault: boolean) =>
    (posted ? form.get(name) === "yes" : byDefault) ? html` checked` : "";
  return html`<section class="card" aria-labelledby="create-user"><h2 id="create-user">Create a user</h2>
<form method="post" action="${usersUrl(poolId)}">${csrfField(ctx.csrf)}
<div class="field"><label for="new-username">${byEmail ? "Email address (the username)" : "Username"}</label><input type="text" id="new-username" name="username" required autocomplete="off" value="${form.get("username") ?? ""}"></div>
${byEmail ? "" : html`<div class="field"><label for="new-email">Email address</label><input type="email" id="new-email" name="email" autocomplete="off" value="${form.get("email") ?? ""}"></div>`}
<label class="check"><input type="checkbox" name="emailVerified" value="yes"${checked("emailVerified", true)}> Mark the email address verified</label>
<div class="field"><label for="new-password">Temporary password</label><input type="text" id="new-password" name="temporaryPassword" autocomplete="off" value="${form.get("temporaryPassword") ?? ""}"><span class="hint">Leave empty for a generated one.</span></div>
<label class="check"><input type="checkbox" name="invite" value="yes"${checked("invite", true)}> Send the invitation message</label>
<div class="actions"><button type="submit" class="primary">Create user</button></div></form></section>`;
}

export function createUser(ctx: ConsoleContext, poolId: string): Promise<ConsoleResponse> {
  return act(
    async () => {
      const pool = await poolOf(ctx, poolId);
      const byEmail = Array.isArray(pool.UsernameAttributes) && pool.UsernameAttributes.includes("email");
      const username = field(ctx, "username") ?? "";
      const email = byEmail ? username : field(ctx, "email");
      const attributes = email
        ? [
            { Name: "email", Value: email },
            ...(ctx.request.form.get("emailVerified") === "yes"
              ? [{ Name: "email_verified", Value: "true" }]
              : []),
          ]
        : [];
      const out = await call(ctx, "AdminCreateUser", {
        UserPoolId: poolId,
        Username: username,
        UserAttributes: attributes,
        TemporaryPassword: field(ctx, "temporaryPassword"),
        ...(ctx.request.form.get("invite") !== "yes" && { MessageAction: "SUPPRESS" }),
        ...(ctx.request.form.get("invite") === "yes" && email && { DesiredDeliveryMediums: ["EMAIL"] }),
      });
      const user = out.User as { Username: string };
      return withDone(userUrl(poolId, user.Username), "created");
    },
    (refusal) => usersPage(ctx, poolId, refusal),
  );
}

const USER_NOTICES: Record<string, string> = {
  created: "User created.",
  disabled: "User disabled: they can no longer sign in.",
  enabled: "User enabled.",
  reset: "Password reset: the user must set a new one with the code just sent (see Messages sent).",
  confirmed: "User confirmed.",
  password: "Password set.",
  "group-added": "Added to the group.",
  "group-removed": "Removed from the group.",
  mfa: "MFA preferences saved.",
  "device-forgotten": "Device forgotten.",
};

type MfaChoice = "off" | "on" | "preferred";

const MFA_KINDS: { id: string; label: string; setting: string; member: string }[] = [
  { id: "sms", label: "SMS text message", setting: "SMS_MFA", member: "SMSMfaSettings" },
  {
    id: "totp",
    label: "Authenticator app (TOTP)",
    setting: "SOFTWARE_TOKEN_MFA",
    member: "SoftwareTokenMfaSettings",
  },
  { id: "email", label: "Email message", setting: "EMAIL_OTP", member: "EmailMfaSettings" },
];

function mfaForm(ctx: ConsoleContext, action: string, user: Record<string, unknown>): SafeHtml {
  const enabled = new Set((user.UserMFASettingList ?? []) as string[]);
  const preferred = user.PreferredMfaSetting as string | undefined;
  const rows = MFA_KINDS.map((kind) => {
    const current: MfaChoice =
      preferred === kind.setting ? "preferred" : enabled.has(kind.setting) ? "on" : "off";
    const option = (value: MfaChoice, label: string) =>
      html`<option value="${value}"${current === value ? html` selected` : ""}>${label}</option>`;
    return html`<div class="field"><label for="mfa-${kind.id}">${kind.label}</label><select id="mfa-${kind.id}" name="${kind.id}">${option("off", "Off")}${option("on", "Enabled")}${option("preferred", "Enabled and preferred")}</select></div>`;
  });
  return html`<form method="post" action="${action}">${csrfField(ctx.csrf)}<input type="hidden" name="action" value="mfa">${rows}<div class="actions"><button type="submit">Save MFA preferences</button></div></form>`;
}

export async function userPage(
  ctx: ConsoleContext,
  poolId: string,
  username: string,
  refusal?: Refusal,
): Promise<ConsoleResponse> {
  const pool = await poolOf(ctx, poolId);
  const user = await call(ctx, "AdminGetUser", { UserPoolId: poolId, Username: username });
  const [groupsOut, allGroupsOut, devicesOut] = await Promise.all([
    call(ctx, "AdminListGroupsForUser", { UserPoolId: poolId, Username: username, Limit: 60 }),
    call(ctx, "ListGroups", { UserPoolId: poolId, Limit: 60 }),
    call(ctx, "AdminListDevices", { UserPoolId: poolId, Username: username, Limit: 60 }),
  ]);
  const self = userUrl(poolId, username);
  const button = (action: string, label: string, extra: Record<string, string> = {}, className = "") =>
    actionForm(self, ctx.csrf, label, { action, ...extra }, className);
  const attributes = (user.UserAttributes ?? []) as { Name: string; Value?: string }[];
  const groups = (groupsOut.Groups ?? []) as Record<string, unknown>[];
  const member = new Set(groups.map((g) => String(g.GroupName)));
  const others = ((allGroupsOut.Groups ?? []) as Record<string, unknown>[])
    .map((g) => String(g.GroupName))
    .filter((g) => !member.has(g));
  const devices = (devicesOut.Devices ?? []) as Record<string, unknown>[];

  const account = html`<section class="card"><h2>Account</h2>${props([
    ["Status", userStatus(user.UserStatus, user.Enabled)],
    ["Created", when(user.UserCreateDate)],
    ["Last modified", when(user.UserLastModifiedDate)],
    ["MFA", (user.UserMFASettingList as string[] | undefined)?.join(", ") || "none"],
  ])}<div class="actions" style="margin-top:16px">${
    user.Enabled === false
      ? button("enable", "Enable user", {}, "primary")
      : button("disable", "Disable user")
  }${button("reset", "Reset password")}${user.UserStatus === "UNCONFIRMED" ? button("confirm", "Confirm sign-up") : ""}</div>
<form method="post" action="${self}" style="margin-top:18px;padding-top:16px;border-top:1px solid var(--line)">${csrfField(ctx.csrf)}<input type="hidden" name="action" value="set-password"><div class="field"><label for="set-password">Set a password</label><input type="text" id="set-password" name="password" autocomplete="off" required></div><div class="actions"><label class="check" style="margin:0 8px 0 0"><input type="checkbox" name="permanent" value="yes" checked> Permanent (otherwise the user must change it at sign-in)</label><button type="submit">Set password</button></div></form></section>`;

  const attributeRows = attributes.map(
    (a) => html`<tr><td class="mono">${a.Name}</td><td>${a.Value ?? ""}</td></tr>`,
  );
  const attributesCard = html`<section class="card flush"><h2>Attributes</h2>${table(["Name", "Value"], attributeRows, "No attributes.")}</section>`;

  const groupRows = groups.map(
    (g) =>
      html`<tr><td>${g.GroupName}</td><td class="right">${button("remove-group", "Remove", { group: String(g.GroupName) }, "small")}</td></tr>`,
  );
  const addGroup =
    others.length > 0
      ? html`<form method="post" action="${self}" style="padding:12px 20px;border-top:1px solid var(--line)">${csrfField(ctx.csrf)}<input type="hidden" name="action" value="add-group"><div class="row"><div class="field" style="margin:0"><label for="add-group">Add to group</label><select id="add-group" name="group">${others.map((g) => html`<option>${g}</option>`)}</select></div><button type="submit">Add</button></div></form>`
      : html`<p class="muted" style="padding:0 20px 8px">Groups are created on the pool's <a href="${consoleUrl("pools", poolId, "groups")}">Groups</a> page.</p>`;
  const groupsCard = html`<section class="card flush"><h2>Groups</h2>${table(["Group", ""], groupRows, "In no group.")}${addGroup}</section>`;

  const deviceRows = devices.map((d) => {
    const name = attribute(d.DeviceAttributes, "device_name") ?? "";
    const status = attribute(d.DeviceAttributes, "device_status") ?? "";
    return html`<tr><td class="mono">${d.DeviceKey}</td><td>${name}</td><td>${status ? badge(status, status === "remembered" ? "ok" : "") : ""}</td><td class="nowrap">${when(d.DeviceLastAuthenticatedDate)}</td><td class="right">${button("forget-device", "Forget", { device: String(d.DeviceKey) }, "small")}</td></tr>`;
  });
  const devicesCard = html`<section class="card flush"><h2>Devices</h2>${table(["Device key", "Name", "Status", "Last sign-in", ""], deviceRows, "No tracked devices.")}</section>`;

  return render(ctx, {
    title: username,
    lede: html`<a href="${consoleUrl("pools", poolId, "events")}?user=${encodeURIComponent(username)}">Sign-in events</a> · <a href="${consoleUrl("pools", poolId, "outbox")}?user=${encodeURIComponent(username)}">Messages sent</a>`,
    crumbs: [{ label: "Users", href: usersUrl(poolId) }],
    pool: { id: poolId, name: String(pool.Name), section: "users" },
    notice: notice(ctx, USER_NOTICES),
    error: refusal,
    content: html`<div class="grid">${account}${attributesCard}</div><div class="grid" style="margin-top:18px">${groupsCard}<section class="card"><h2>MFA preferences</h2>${mfaForm(ctx, self, user)}</section></div><div style="margin-top:18px">${devicesCard}</div>
<section class="card"><h2>Delete this user</h2><form method="post" action="${self}">${csrfField(ctx.csrf)}<input type="hidden" name="action" value="delete"><label class="check"><input type="checkbox" name="sure" value="yes" required> I understand the user and their data are gone for good</label><button type="submit" class="danger">Delete user</button></form></section>`,
  });
}

function mfaSettings(ctx: ConsoleContext): Record<string, { Enabled: boolean; PreferredMfa: boolean }> {
  const settings: Record<string, { Enabled: boolean; PreferredMfa: boolean }> = {};
  for (const kind of MFA_KINDS) {
    const choice = ctx.request.form.get(kind.id);
    settings[kind.member] = {
      Enabled: choice === "on" || choice === "preferred",
      PreferredMfa: choice === "preferred",
    };
  }
  return settings;
}

/** One action on a user, through the operation the API has for it; the notice to show after. */
async function userAction(ctx: ConsoleContext, poolId: string, username: string): Promise<string> {
  const who = { UserPoolId: poolId, Username: username };
  const action = ctx.request.form.get("action");
  switch (action) {
    case "disable":
      await call(ctx, "AdminDisableUser", who);
      return "disabled";
    case "enable":
      await call(ctx, "AdminEnableUser", who);
      return "enabled";
    case "reset":
      await call(ctx, "AdminResetUserPassword", who);
      return "reset";
    case "confirm":
      await call(ctx, "AdminConfirmSignUp", who);
      return "confirmed";
    case "set-password":
      await call(ctx, "AdminSetUserPassword", {
        ...who,
        Password: ctx.request.form.get("password") ?? "",
        Permanent: ctx.request.form.get("permanent") === "yes",
      });
      return "password";
    case "add-group":
      await call(ctx, "AdminAddUserToGroup", { ...who, GroupName: field(ctx, "group") ?? "" });
      return "group-added";
    case "remove-group":
      await call(ctx, "AdminRemoveUserFromGroup", { ...who, GroupName: field(ctx, "group") ?? "" });
      return "group-removed";
    case "mfa":
      await call(ctx, "AdminSetUserMFAPreference", { ...who, ...mfaSettings(ctx) });
      return "mfa";
    case "forget-device":
      await call(ctx, "AdminForgetDevice", { ...who, DeviceKey: field(ctx, "device") ?? "" });
      return "device-forgotten";
    case "delete":
      if (ctx.request.form.get("sure") !== "yes") return "";
      await call(ctx, "AdminDeleteUser", who);
      return "deleted";
    default:
      return "";
  }
}

export function userActionPost(
  ctx: ConsoleContext,
  poolId: string,
  username: string,
): Promise<ConsoleResponse> {
  return act(
    async () => {
      const done = await userAction(ctx, poolId, username);
      if (done === "deleted") return withDone(usersUrl(poolId), done);
      return done === "" ? userUrl(poolId, username) : withDone(userUrl(poolId, username), done);
    },
    (refusal) => userPage(ctx, poolId, username, refusal),
  );
}
