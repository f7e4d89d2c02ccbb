/**
 * `/login` (OAUTH.md §2.2–2.3): the sign-in page and its steps. A sign-in here runs the same
 * engine as InitiateAuth's USER_PASSWORD_AUTH (lockout, threat protection with the browser's
 * address and headers, triggers with the hosted trigger sources), then the challenges that follow
 * it, each answered on a page of its own that posts back here with the challenge's Session.
 */
import { initiate, respond } from "../auth/engine.js";
import type { AuthOutcome, SignInRequest } from "../auth/sign-in.js";
import { activeSecrets } from "../domain/client-secrets.js";
import { CognitoError } from "../domain/errors.js";
import { computeSecretHash } from "../domain/secret-hash.js";
import { challengeView } from "../pages/challenges.js";
import { signInContent } from "../pages/sign-in.js";
import type { ChallengeNameType } from "../protocol/types.generated.js";
import type { ClientRecord } from "../store/records.js";
import { accountStepAfterSignIn } from "./account-steps.js";
import { authorizeFailure } from "./authorize.js";
import { type AuthorizeRequest, checkAuthorizeRequest } from "./authorize-request.js";
import { currentBrowserSession, startBrowserSession } from "./browser-session.js";
import { type PendingChallenge, pageAnswer, pageChallenge } from "./challenge-answers.js";
import { csrfValid, pageCsrf } from "./csrf.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "./endpoint.js";
import { PageMessages } from "./errors.js";
import { providerFromLoginForm, providerFromLoginPage, signInChoices } from "./federation/sign-in-page.js";
import { deliverGrant, isTriggerError, oauthGrantOf, sessionGrant, triggerFailureRedirect } from "./grant.js";
import { takeNotice } from "./notice.js";
import { passkeySignInOffered } from "./passkeys.js";
import { errorPageLocation } from "./redirects.js";
import { sitePath } from "./site.js";
import { pageResponse } from "./views.js";

/** A page link that keeps the authorization request: `/login`, `/forgotPassword`, `/signup`, … */
export function pageLink(request: EndpointRequest, endpoint: string): string {
  return `${sitePath(request.site, endpoint)}?${request.rawQuery}`;
}

export function signUpAllowed(request: EndpointRequest): boolean {
  return request.site.pool.config.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true;
}

/** The sign-in form, with a fresh CSRF token (or the one the browser holds, when re-shown after a POST). */
async function signInPage(
  request: EndpointRequest,
  client: ClientRecord,
  options: { error?: string; notice?: string; username?: string; status?: number; cookies?: string[] } = {},
): Promise<EndpointResponse> {
  const { token, cookies } = pageCsrf(request);
  return pageResponse(
    request,
    client,
    {
      title: "Sign in",
      description: `Sign in to continue to ${client.name}.`,
      content: signInContent({
        action: pageLink(request, "/login"),
        csrf: token,
        error: options.error,
        notice: options.notice,
        username: options.username,
        forgotPasswordUrl: pageLink(request, "/forgotPassword"),
        signUpUrl: signUpAllowed(request) ? pageLink(request, "/signup") : undefined,
        passkey: passkeySignInOffered(request, client),
        providers: await signInChoices(request, client),
      }),
    },
    { status: options.status, cookies: [...cookies, ...(options.cookies ?? [])] },
  );
}

async function challengePage(
  request: EndpointRequest,
  client: ClientRecord,
  challenge: PendingChallenge,
  error?: string,
): Promise<EndpointResponse> {
  const { token, cookies } = pageCsrf(request);
  const view = challengeView({
    action: pageLink(request, "/login"),
    csrf: token,
    challengeName: challenge.name,
    session: challenge.session,
    username: challenge.username,
    parameters: challenge.parameters,
    issuer: request.site.pool.name,
    error,
  });
  if (!view) return signInPage(request, client, { error: PageMessages.stepUnavailable });
  return pageResponse(request, client, view, { cookies });
}

/** What the engine needs of every request from the pages: the client, SECRET_HASH made here, the grant. */
function engineRequest(
  authorize: AuthorizeRequest,
  parameters: Record<string, string>,
): Omit<SignInRequest, "operation"> {
  const { client } = authorize;
  const [secret] = activeSecrets(client);
  const username = parameters.USERNAME;
  return {
    clientId: client.id,
    parameters: secret
      ? { ...parameters, SECRET_HASH: computeSecretHash(secret, username, client.id) }
      : parameters,
    hosted: oauthGrantOf(authorize),
  };
}

function engineContext(request: EndpointRequest) {
  return {
    services: request.services,
    now: request.now,
    sourceIp: request.sourceIp,
    headers: request.headers,
  };
}

/** The engine's answer as the browser sees it: the grant, or the next step's page. */
export async function afterOutcome(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  outcome: AuthOutcome,
  username: string,
): Promise<EndpointResponse> {
  if (outcome.kind === "challenge") {
    const challenge = await pageChallenge(engineContext(request), {
      name: outcome.challengeName,
      session: outcome.session ?? "",
      username: outcome.challengeParameters.USER_ID_FOR_SRP ?? username,
      parameters: outcome.challengeParameters,
    });
    return challengePage(request, authorize.client, challenge);
  }
  const { signedIn } = outcome;
  if (!signedIn) throw new Error("sign-in tokens without the signed-in user");
  const cookie = await startBrowserSession(
    request.services,
    request.site,
    signedIn.user,
    signedIn.authTime,
    request.now,
  );
  return deliverGrant(request, authorize, outcome.result, [cookie]);
}

/** Runs one engine call; a trigger's refusal goes to the app, any other Cognito error to `onError`. */
export async function runEngine(
  authorize: AuthorizeRequest,
  call: () => Promise<EndpointResponse>,
  onError: (error: CognitoError) => EndpointResponse | Promise<EndpointResponse>,
): Promise<EndpointResponse> {
  try {
    return await call();
  } catch (error) {
    if (isTriggerError(error)) return triggerFailureRedirect(authorize, error);
    if (error instanceof CognitoError) return onError(error);
    throw error;
  }
}

/** Signs in with the form's `username` and `password` (the sign-in page's, or the sign-up page's). */
export async function signInWithPassword(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
): Promise<EndpointResponse> {
  const form = request.form;
  const username = form?.get("username")?.trim() ?? "";
  const password = form?.get("password") ?? "";
  if (!username || !password) {
    return signInPage(request, authorize.client, { error: PageMessages.credentialsMissing, username });
  }
  return runEngine(
    authorize,
    async () => {
      const outcome = await initiate(engineContext(request), {
        ...engineRequest(authorize, { USERNAME: username, PASSWORD: password }),
        operation: "InitiateAuth",
        authFlow: "USER_PASSWORD_AUTH",
      });
      return afterOutcome(request, authorize, outcome, username);
    },
    async (error) =>
      (await accountStepAfterSignIn(request, authorize, error, username)) ??
      signInPage(request, authorize.client, { error: error.message, username }),
  );
}

/** Choice-based sign-in with the passkey as the preferred first factor (managed login only). */
async function signInWithPasskey(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
): Promise<EndpointResponse> {
  const username = request.form?.get("username")?.trim() ?? "";
  if (!username || !passkeySignInOffered(request, authorize.client)) {
    return signInPage(request, authorize.client, { error: PageMessages.credentialsMissing, username });
  }
  return runEngine(
    authorize,
    async () => {
      const outcome = await initiate(engineContext(request), {
        ...engineRequest(authorize, { USERNAME: username, PREFERRED_CHALLENGE: "WEB_AUTHN" }),
        operation: "InitiateAuth",
        authFlow: "USER_AUTH",
      });
      if (outcome.kind === "challenge" && outcome.challengeName !== "WEB_AUTHN") {
        return signInPage(request, authorize.client, { error: PageMessages.passkeyUnavailable, username });
      }
      return afterOutcome(request, authorize, outcome, username);
    },
    (error) => signInPage(request, authorize.client, { error: error.message, username }),
  );
}

function pendingChallengeOf(request: EndpointRequest): PendingChallenge {
  const form = request.form;
  let parameters: Record<string, string> = {};
  try {
    const parsed = JSON.parse(form?.get("parameters") ?? "{}");
    if (parsed && typeof parsed === "object") parameters = parsed;
  } catch {
    // Only shown on the page again; the engine never reads it.
  }
  return {
    name: form?.get("challenge") ?? "",
    session: form?.get("session") ?? "",
    username: form?.get("username") ?? "",
    parameters,
  };
}

/** Errors after which the same step can be answered again with the same Session. */
const RETRYABLE = new Set([
  "CodeMismatchException",
  "ExpiredCodeException",
  "InvalidPasswordException",
  "InvalidParameterException",
  "PasswordHistoryPolicyViolationException",
  "AliasExistsException",
  "EnableSoftwareTokenMFAException",
]);

async function answerChallenge(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
): Promise<EndpointResponse> {
  const challenge = pendingChallengeOf(request);
  const form = request.form;
  return runEngine(
    authorize,
    async () => {
      const answer = form && (await pageAnswer(engineContext(request), challenge, form));
      if (!answer) return signInPage(request, authorize.client, { error: PageMessages.stepUnavailable });
      if (answer.kind === "show")
        return challengePage(request, authorize.client, answer.challenge, answer.error);
      const outcome = await respond(engineContext(request), {
        ...engineRequest(authorize, { ...answer.responses, USERNAME: challenge.username }),
        operation: "RespondToAuthChallenge",
        session: answer.session,
        challengeName: challenge.name as ChallengeNameType,
      });
      return afterOutcome(request, authorize, outcome, challenge.username);
    },
    (error) =>
      RETRYABLE.has(error.type)
        ? challengePage(request, authorize.client, challenge, error.message)
        : signInPage(request, authorize.client, { error: error.message, username: challenge.username }),
  );
}

/** `GET /login`: the sign-in page; a browser with a session is granted at once (unless `prompt=login`). */
export async function loginPage(request: EndpointRequest): Promise<EndpointResponse> {
  const check = await checkAuthorizeRequest(request.services, request.site, request.query, {
    federated: true,
  });
  if (check.kind !== "ok") return authorizeFailure(request, check);
  const authorize = check.request;
  const toProvider = providerFromLoginPage(request, authorize);
  if (toProvider) return toProvider;
  if (authorize.prompt !== "login") {
    const session = await currentBrowserSession(request);
    if (session) return sessionGrant(request, authorize, session);
  }
  const { notice, cookies } = takeNotice(request);
  return signInPage(request, authorize.client, { notice, cookies });
}

/** `POST /login`: the password, or the answer to the step shown after it. */
export async function loginSubmit(request: EndpointRequest): Promise<EndpointResponse> {
  const check = await checkAuthorizeRequest(request.services, request.site, request.query, {
    federated: true,
  });
  if (check.kind !== "ok") return authorizeFailure(request, check);
  if (!csrfValid(request)) {
    return redirect(errorPageLocation(request.site, { error: "csrf", client_id: check.request.client.id }));
  }
  const toProvider = await providerFromLoginForm(request, check.request, (error) =>
    signInPage(request, check.request.client, { error }),
  );
  if (toProvider) return toProvider;
  if (request.form?.has("session")) return answerChallenge(request, check.request);
  if (request.form?.has("passkey")) return signInWithPasskey(request, check.request);
  return signInWithPassword(request, check.request);
}
