/**
 * The sign-up code on a domain's pages (OAUTH.md §2.2): `/confirm` takes it as ConfirmSignUp does
 * (src/auth/sign-up.ts, PostConfirmation included) and signs the new user in on it, starting the
 * browser session and handing the app its grant as a sign-in on `/login` would; `/resendcode` sends
 * a new one as ResendConfirmationCode does; `/confirmUser` is the link a confirmation e-mail carries,
 * and `/confirmLinkSent` the page that says such an e-mail was sent.
 */
import { confirmSignUp, resendSignUpCode } from "../auth/sign-up.js";
import { signInAfterConfirmation } from "../auth/sign-up-session.js";
import { CognitoError } from "../domain/errors.js";
import {
  codeSentLine,
  confirmContent,
  confirmLinkContent,
  linkSentContent,
  resendContent,
} from "../pages/sign-up.js";
import { validateInput } from "../protocol/validate.js";
import {
  accountLink,
  type CodeSent,
  codeSentOf,
  codeSentTo,
  confirmationPageLink,
  sentAsLink,
} from "./account-links.js";
import { accountEndpoint, formValue, selfServiceClient } from "./account-page.js";
import type { AuthorizeRequest } from "./authorize-request.js";
import { pageCsrf } from "./csrf.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "./endpoint.js";
import { CONFIRM_LINK_TEXT, LINK_SENT_TEXT } from "./errors.js";
import { oauthGrantOf } from "./grant.js";
import { afterOutcome, runEngine } from "./login.js";
import { noticeCookie, takeNotice } from "./notice.js";
import { errorPageLocation } from "./redirects.js";
import { pageResponse } from "./views.js";

function confirmPage(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  sent: CodeSent,
  options: { error?: string } = {},
): EndpointResponse {
  const { token, cookies } = pageCsrf(request);
  const { notice, cookies: noticeCookies } = takeNotice(request);
  return pageResponse(
    request,
    authorize.client,
    {
      title: "Confirm your account",
      description: `${codeSentLine(sent.destination, sent.deliveryMedium)} Enter it to finish signing up.`,
      content: confirmContent({
        action: accountLink(request, "/confirm"),
        csrf: token,
        error: options.error,
        notice,
        ...sent,
        resendAction: accountLink(request, "/resendcode"),
        signInUrl: accountLink(request, "/login"),
      }),
    },
    { cookies: [...cookies, ...noticeCookies] },
  );
}

/** After a confirmation link went by e-mail: follow it, or have a new one sent. */
function linkSentPage(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  sent: CodeSent,
): EndpointResponse {
  const { token, cookies } = pageCsrf(request);
  const { notice, cookies: noticeCookies } = takeNotice(request);
  return pageResponse(
    request,
    authorize.client,
    {
      title: LINK_SENT_TEXT.title,
      description: `${LINK_SENT_TEXT.sentTo(sent.destination)} ${LINK_SENT_TEXT.followIt}`,
      content: linkSentContent({
        csrf: token,
        notice,
        username: sent.username,
        resendAction: accountLink(request, "/resendcode"),
        signInUrl: accountLink(request, "/login"),
        text: LINK_SENT_TEXT,
      }),
    },
    { cookies: [...cookies, ...noticeCookies] },
  );
}

async function submitConfirmation(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
): Promise<EndpointResponse> {
  const sent = codeSentOf(request.form);
  const code = formValue(request, "code");
  return runEngine(
    authorize,
    async () => {
      validateInput("ConfirmSignUpRequest", {
        ClientId: authorize.client.id,
        Username: sent.username,
        ConfirmationCode: code,
      });
      const client = selfServiceClient(request, authorize);
      const user = await confirmSignUp(request.services, { ...client, username: sent.username, code });
      const outcome = await signInAfterConfirmation(
        request.services,
        { ...client, user },
        { hosted: oauthGrantOf(authorize), connection: request },
      );
      return afterOutcome(request, authorize, outcome, sent.username);
    },
    (error) => confirmPage(request, authorize, sent, { error: error.message }),
  );
}

function resendPage(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  username: string,
  options: { error?: string } = {},
): EndpointResponse {
  const { token, cookies } = pageCsrf(request);
  return pageResponse(
    request,
    authorize.client,
    {
      title: "Send a new code",
      description: "We will send a new confirmation code to the email or phone number of your account.",
      content: resendContent({
        action: accountLink(request, "/resendcode"),
        csrf: token,
        error: options.error,
        username,
        signInUrl: accountLink(request, "/login"),
      }),
    },
    { cookies },
  );
}

async function submitResend(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
): Promise<EndpointResponse> {
  const username = formValue(request, "username");
  return runEngine(
    authorize,
    async () => {
      validateInput("ResendConfirmationCodeRequest", { ClientId: authorize.client.id, Username: username });
      const details = await resendSignUpCode(request.services, {
        ...selfServiceClient(request, authorize),
        username,
      });
      const sent = codeSentTo(username, details);
      return redirect(confirmationPageLink(request, sent), [
        noticeCookie(request.site, sentAsLink(request, sent) ? "linkResent" : "codeResent"),
      ]);
    },
    (error) => resendPage(request, authorize, username, { error: error.message }),
  );
}

export const confirmGet = accountEndpoint(async (request, authorize) =>
  confirmPage(request, authorize, codeSentOf(request.query)),
);
export const confirmPost = accountEndpoint(submitConfirmation);
export const linkSentGet = accountEndpoint(async (request, authorize) =>
  linkSentPage(request, authorize, codeSentOf(request.query)),
);
export const resendCodeGet = accountEndpoint(async (request, authorize) =>
  resendPage(request, authorize, codeSentOf(request.query).username),
);
export const resendCodePost = accountEndpoint(submitResend);

/**
 * `GET /confirmUser?client_id=&user_name=&confirmation_code=` [OBS]: the link of a confirmation
 * e-mail. It names no redirect URI, so it ends on a page of its own, whatever happens [UNDOC].
 */
export async function confirmUserLink(request: EndpointRequest): Promise<EndpointResponse> {
  const { services, site, query } = request;
  const clientId = query.get("client_id") ?? "";
  const client = clientId ? await services.store.clients.get(clientId) : undefined;
  if (!client || client.poolId !== site.pool.id) {
    return redirect(errorPageLocation(site, { error: "invalid_request", client_id: clientId }));
  }
  const username = query.get("user_name") ?? "";
  const code = query.get("confirmation_code") ?? "";
  let error: string | undefined;
  try {
    validateInput("ConfirmSignUpRequest", {
      ClientId: client.id,
      Username: username,
      ConfirmationCode: code,
    });
    await confirmSignUp(services, { pool: site.pool, client, now: request.now, username, code });
  } catch (failure) {
    if (!(failure instanceof CognitoError)) throw failure;
    error = failure.message;
  }
  return pageResponse(
    request,
    client,
    {
      title: error ? CONFIRM_LINK_TEXT.failedTitle : CONFIRM_LINK_TEXT.confirmedTitle,
      content: confirmLinkContent(error ? { error } : { notice: CONFIRM_LINK_TEXT.confirmed }),
    },
    { status: error ? 400 : 200 },
  );
}
