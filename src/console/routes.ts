/**
 * The console's routes: who may enter (access.ts), CSRF on every POST, then the page. Every change
 * is an operation of the API called in process (page.ts `call`), so the console can do nothing the
 * API would refuse; reading the outbox, events and trigger invocations goes to where they are kept.
 */
import { CognitoError } from "../domain/errors.js";
import { html } from "../pages/html.js";
import type { OperationCaller } from "../protocol/dispatch.js";
import type { Services } from "../services.js";
import { accessOf, csrfToken, csrfValid, endSessionCookie, sessionCookie } from "./access.js";
import { eventsPage, outboxPage, triggersPage } from "./activity.js";
import { clientPage, clientsPage, createClient } from "./clients.js";
import { render } from "./page.js";
import { createGroup, createPool, deleteGroup, groupsPage, poolOverview, poolsPage } from "./pools.js";
import { type ConsoleContext, type ConsoleRequest, type ConsoleResponse, redirect } from "./request.js";
import { createUser, userActionPost, userPage, usersPage } from "./users.js";
import { CONSOLE_CSP, renderBarePage } from "./views/layout.js";
import { csrfField } from "./views/parts.js";

type Page = (ctx: ConsoleContext, ...params: string[]) => Promise<ConsoleResponse>;

interface Route {
  pattern: RegExp;
  GET?: Page;
  POST?: Page;
}

const SEGMENT = "([^/]+)";

const ROUTES: Route[] = [
  { pattern: /^\/?$/, GET: async () => redirect("/console/pools") },
  { pattern: /^\/pools$/, GET: (ctx) => poolsPage(ctx), POST: createPool },
  { pattern: new RegExp(`^/pools/${SEGMENT}$`), GET: poolOverview },
  {
    pattern: new RegExp(`^/pools/${SEGMENT}/users$`),
    GET: (ctx, id) => usersPage(ctx, id),
    POST: createUser,
  },
  {
    pattern: new RegExp(`^/pools/${SEGMENT}/users/${SEGMENT}$`),
    GET: (ctx, id, user) => userPage(ctx, id, user),
    POST: userActionPost,
  },
  {
    pattern: new RegExp(`^/pools/${SEGMENT}/groups$`),
    GET: (ctx, id) => groupsPage(ctx, id),
    POST: createGroup,
  },
  { pattern: new RegExp(`^/pools/${SEGMENT}/groups/delete$`), POST: deleteGroup },
  {
    pattern: new RegExp(`^/pools/${SEGMENT}/clients$`),
    GET: (ctx, id) => clientsPage(ctx, id),
    POST: createClient,
  },
  { pattern: new RegExp(`^/pools/${SEGMENT}/clients/${SEGMENT}$`), GET: clientPage },
  { pattern: new RegExp(`^/pools/${SEGMENT}/outbox$`), GET: outboxPage },
  { pattern: new RegExp(`^/pools/${SEGMENT}/events$`), GET: eventsPage },
  { pattern: new RegExp(`^/pools/${SEGMENT}/triggers$`), GET: triggersPage },
];

function bare(
  status: number,
  title: string,
  content: ReturnType<typeof html>,
  cookies: string[] = [],
): ConsoleResponse {
  return {
    status,
    headers: { "content-type": "text/html; charset=utf-8" },
    cookies,
    body: renderBarePage(title, content),
  };
}

function refused(): ConsoleResponse {
  return bare(
    403,
    "Console not available",
    html`<h1>The console answers on loopback only</h1><p class="lede">This request came from another machine, or named this server by a host name that is not a loopback one. Open the console on the server's own machine at <code>http://127.0.0.1:&lt;port&gt;/console</code>, or configure an operator credential (<code>console.token</code> or <code>COGNATE_CONSOLE_TOKEN</code>) to reach it from elsewhere.</p>`,
  );
}

function signInPage(csrf: string, cookies: string[], failed: boolean): ConsoleResponse {
  return bare(
    failed ? 401 : 200,
    "Sign in",
    html`<h1>Operator sign-in</h1><p class="lede">This console asks for the operator credential configured as <code>console.token</code>.</p>${
      failed ? html`<div class="alert error" role="alert">That is not the operator credential.</div>` : ""
    }<form method="post" action="/console/sign-in">${csrfField(csrf)}<div class="field"><label for="token">Operator credential</label><input type="password" id="token" name="token" required autofocus autocomplete="current-password"></div><div class="actions"><button type="submit" class="primary">Sign in</button></div></form>`,
    cookies,
  );
}

function csrfFailed(): ConsoleResponse {
  return bare(
    403,
    "Form expired",
    html`<h1>This form cannot be accepted</h1><p class="lede">It did not come from this console's own page (its security token is missing or stale). Go <a href="/console">back to the console</a> and try again.</p>`,
  );
}

function matchRoute(path: string): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) {
      try {
        return { route, params: match.slice(1).map(decodeURIComponent) };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export interface ConsoleApp {
  services: Services;
  call: OperationCaller;
}

async function answer(app: ConsoleApp, request: ConsoleRequest, csrf: string): Promise<ConsoleResponse> {
  const token = app.services.config.console.token;
  const access = accessOf(request, token);
  if (access === "refused") return refused();
  if (request.path === "/sign-in" && token !== null) {
    if (request.method !== "POST")
      return access === "allowed" ? redirect("/console") : signInPage(csrf, [], false);
    if (!csrfValid(request)) return csrfFailed();
    const given = request.form.get("token") ?? "";
    if (accessOf({ ...request, headers: { authorization: `Bearer ${given}` } }, token) !== "allowed")
      return signInPage(csrf, [], true);
    return redirect("/console", [sessionCookie(token)]);
  }
  if (access === "sign-in")
    return request.method === "GET" ? redirect("/console/sign-in") : signInPage(csrf, [], false);
  if (request.path === "/sign-out" && request.method === "POST") {
    if (!csrfValid(request)) return csrfFailed();
    return redirect(token === null ? "/console" : "/console/sign-in", [endSessionCookie()]);
  }
  const found = matchRoute(request.path);
  const page = found?.route[request.method as "GET" | "POST"];
  const ctx: ConsoleContext = { ...app, request, csrf };
  if (!found || !page)
    return bare(
      404,
      "Not found",
      html`<h1>No such page</h1><p class="lede"><a href="/console">Back to the console</a></p>`,
    );
  if (request.method === "POST" && !csrfValid(request)) return csrfFailed();
  try {
    return await page(ctx, ...found.params);
  } catch (error) {
    // A page whose pool or user the API does not know: Cognito's own words.
    if (!(error instanceof CognitoError)) throw error;
    return render(
      ctx,
      {
        title: "Not available",
        error: { type: error.type, message: error.message },
        content: html`<p><a href="/console/pools">All user pools</a></p>`,
      },
      404,
    );
  }
}

/** Answers one console request; every answer forbids framing and scripts, and is never cached. */
export async function handleConsole(app: ConsoleApp, request: ConsoleRequest): Promise<ConsoleResponse> {
  const csrf = csrfToken(request);
  const response = await answer(app, request, csrf.token);
  if (csrf.cookie) response.cookies.push(csrf.cookie);
  Object.assign(response.headers, {
    "content-security-policy": CONSOLE_CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
  });
  return response;
}
