/**
 * `GET /oauth2/authorize` (OAUTH.md §2.1): checks the authorization request, then either sends the
 * browser to the outside identity provider it asks for, grants at once (a browser with a session,
 * unless `prompt=login`), refuses (`prompt=none` without one), or sends the browser to the sign-in
 * page with the same query.
 */
import { type AuthorizeCheck, checkAuthorizeRequest } from "./authorize-request.js";
import { currentBrowserSession } from "./browser-session.js";
import { newCsrfToken } from "./csrf.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "./endpoint.js";
import { OAuthErrors } from "./errors.js";
import { redirectToProvider } from "./federation/start.js";
import { sessionGrant } from "./grant.js";
import { errorPageLocation, errorRedirect } from "./redirects.js";
import { sitePath } from "./site.js";

/** A failed check, told where it must be: the error page, or the app's redirect URI. */
export function authorizeFailure(
  request: EndpointRequest,
  failure: Exclude<AuthorizeCheck, { kind: "ok" }>,
): EndpointResponse {
  if (failure.kind === "page") return redirect(errorPageLocation(request.site, failure.query));
  return redirect(errorRedirect(failure.redirectUri, failure.responseType, failure.state, failure.error));
}

export async function authorizeEndpoint(request: EndpointRequest): Promise<EndpointResponse> {
  const check = await checkAuthorizeRequest(request.services, request.site, request.query, {
    federated: true,
  });
  if (check.kind !== "ok") return authorizeFailure(request, check);
  const authorize = check.request;
  // A named outside provider comes first: COGNITO counts as none (OAUTH.md §2.1).
  if (authorize.identityProvider) return redirectToProvider(request, authorize.identityProvider);
  if (authorize.prompt !== "login") {
    const session = await currentBrowserSession(request);
    if (session) return sessionGrant(request, authorize, session);
  }
  if (authorize.prompt === "none") {
    return redirect(
      errorRedirect(
        authorize.redirectUri,
        authorize.responseType,
        authorize.state,
        OAuthErrors.loginRequired(),
      ),
    );
  }
  const { cookie } = newCsrfToken(request.site);
  return redirect(`${sitePath(request.site, "/login")}?${request.rawQuery}`, [cookie]);
}
