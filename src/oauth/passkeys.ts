/**
 * Passkeys on managed-login (version 2) domains (OAUTH.md §2.2, CHALLENGES.md §3.8): whether the
 * sign-in page offers one, and `/passkeys/add?client_id=…&redirect_uri=…`, where a browser signed
 * in on the domain registers a passkey (StartWebAuthnRegistration and CompleteWebAuthnRegistration
 * for the session's user) and goes back to the app's redirect URI.
 */
import { authFlowAllowed } from "../domain/clients.js";
import { CognitoError } from "../domain/errors.js";
import { completeRegistration, passkeysEnabled, startRegistration } from "../domain/webauthn.js";
import { html } from "../pages/html.js";
import { passkeyForm } from "../pages/passkeys.js";
import type { ClientRecord } from "../store/records.js";
import { clientAndRedirect } from "./authorize-request.js";
import { type BrowserSession, currentBrowserSession } from "./browser-session.js";
import { csrfValid, pageCsrf } from "./csrf.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "./endpoint.js";
import { ERROR_PAGE_TEXT, PageMessages } from "./errors.js";
import { errorPageLocation } from "./redirects.js";
import { sitePath } from "./site.js";
import { pageResponse } from "./views.js";

/** Managed login, a pool that allows passkeys as a first factor, a client that allows USER_AUTH. */
export function passkeySignInOffered(request: EndpointRequest, client: ClientRecord): boolean {
  return (
    request.site.domain.managedLoginVersion === 2 &&
    passkeysEnabled(request.site.pool) &&
    authFlowAllowed(client, "USER_AUTH")
  );
}

interface AddTarget {
  client: ClientRecord;
  redirectUri: string;
}

function notOnClassicDomains(request: EndpointRequest): EndpointResponse {
  return pageResponse(
    request,
    undefined,
    {
      title: ERROR_PAGE_TEXT,
      content: html`<p class="errorMessage-customizable" role="alert">${PageMessages.passkeysManagedLoginOnly}</p>`,
    },
    { status: 404 },
  );
}

/** The page that adds a passkey: fresh creation options for the session's user, or why it cannot. */
async function addPage(
  request: EndpointRequest,
  target: AddTarget,
  session: BrowserSession | undefined,
  error?: string,
): Promise<EndpointResponse> {
  const back = html`<p class="footer-customizable"><a class="redirect-customizable" href="${target.redirectUri}">Not now</a></p>`;
  const title = "Add a passkey";
  if (!session) {
    const content = html`<p class="infoMessage">${PageMessages.signInForPasskey}</p>${back}`;
    return pageResponse(request, target.client, { title, content });
  }
  const csrf = pageCsrf(request);
  let options: Record<string, unknown>;
  try {
    options = await startRegistration(request.services.store, {
      pool: request.site.pool,
      user: session.user,
      clientId: target.client.id,
      now: request.now,
    });
  } catch (failure) {
    if (!(failure instanceof CognitoError)) throw failure;
    const content = html`<p class="errorMessage-customizable" role="alert">${failure.message}</p>${back}`;
    return pageResponse(request, target.client, { title, content }, { status: 400 });
  }
  const content = html`${error ? html`<p class="errorMessage-customizable" role="alert">${error}</p>` : ""}${passkeyForm(
    {
      action: `${sitePath(request.site, "/passkeys/add")}?${request.rawQuery}`,
      ceremony: "create",
      options: JSON.stringify(options),
      hidden: html`<input type="hidden" name="_csrf" value="${csrf.token}"/>`,
      submit: "Add a passkey",
    },
  )}${back}`;
  return pageResponse(
    request,
    target.client,
    {
      title,
      description: `Sign in to ${target.client.name} next time with your fingerprint, face or screen lock.`,
      content,
    },
    { cookies: csrf.cookies },
  );
}

async function addTarget(request: EndpointRequest): Promise<AddTarget | EndpointResponse> {
  const target = await clientAndRedirect(request.services, request.site, request.query);
  return "kind" in target ? redirect(errorPageLocation(request.site, target.query)) : target;
}

/** `GET /passkeys/add`. */
export async function addPasskeyPage(request: EndpointRequest): Promise<EndpointResponse> {
  if (request.site.domain.managedLoginVersion !== 2) return notOnClassicDomains(request);
  const target = await addTarget(request);
  if (!("client" in target)) return target;
  return addPage(request, target, await currentBrowserSession(request));
}

/** `POST /passkeys/add`: the authenticator's answer registered, then back to the app. */
export async function addPasskeySubmit(request: EndpointRequest): Promise<EndpointResponse> {
  if (request.site.domain.managedLoginVersion !== 2) return notOnClassicDomains(request);
  const target = await addTarget(request);
  if (!("client" in target)) return target;
  if (!csrfValid(request)) {
    return redirect(errorPageLocation(request.site, { error: "csrf", client_id: target.client.id }));
  }
  const session = await currentBrowserSession(request);
  const credential = request.form?.get("credential");
  if (!session || !credential)
    return addPage(request, target, session, session && PageMessages.passkeyNeedsScript);
  try {
    await completeRegistration(request.services.store, {
      pool: request.site.pool,
      user: session.user,
      clientId: target.client.id,
      credential,
      now: request.now,
    });
  } catch (failure) {
    if (!(failure instanceof CognitoError)) throw failure;
    return addPage(request, target, session, failure.message);
  }
  return redirect(target.redirectUri);
}
