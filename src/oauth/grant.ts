/**
 * Handing a grant to the app (OAUTH.md §2.1): after a sign-in on the pages, or at once for a
 * browser that has a session. The code flow stores the tokens under a new code; the implicit flow
 * puts them in the redirect's fragment.
 */
import { CognitoError } from "../domain/errors.js";
import { issueTokens, type OAuthGrant } from "../domain/tokens.js";
import type { AuthenticationResultType } from "../protocol/types.generated.js";
import { tokenCustomizationFor } from "../triggers/pre-token.js";
import type { AuthorizeRequest } from "./authorize-request.js";
import type { BrowserSession } from "./browser-session.js";
import { issueCode } from "./codes.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "./endpoint.js";
import { OAuthErrors } from "./errors.js";
import { codeRedirect, errorRedirect, implicitRedirect } from "./redirects.js";

/** What the tokens of an authorization request carry. */
export function oauthGrantOf(authorize: AuthorizeRequest): OAuthGrant {
  return {
    scopes: authorize.scopes,
    nonce: authorize.nonce,
    refreshToken: authorize.responseType === "code",
    resource: authorize.resource,
  };
}

/** Sends the browser to the app with the tokens just issued: a code for them, or the tokens themselves. */
export async function deliverGrant(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  tokens: AuthenticationResultType,
  cookies: string[] = [],
): Promise<EndpointResponse> {
  if (authorize.responseType === "token") {
    const location = implicitRedirect(
      authorize.redirectUri,
      { accessToken: tokens.AccessToken ?? "", idToken: tokens.IdToken, expiresIn: tokens.ExpiresIn ?? 0 },
      authorize.state,
    );
    return redirect(location, cookies);
  }
  const code = await issueCode(
    request.services,
    {
      poolId: authorize.client.poolId,
      clientId: authorize.client.id,
      redirectUri: authorize.redirectUri,
      codeChallenge: authorize.codeChallenge,
      tokens: {
        AccessToken: tokens.AccessToken ?? "",
        IdToken: tokens.IdToken,
        ExpiresIn: tokens.ExpiresIn ?? 0,
        TokenType: "Bearer",
        RefreshToken: tokens.RefreshToken ?? "",
      },
    },
    request.now,
  );
  return redirect(codeRedirect(authorize.redirectUri, code, authorize.state), cookies);
}

/** A Lambda trigger's refusal, told to the app at its redirect URI with the trigger's message [OBS]. */
export function triggerFailureRedirect(authorize: AuthorizeRequest, error: CognitoError): EndpointResponse {
  return redirect(
    errorRedirect(
      authorize.redirectUri,
      authorize.responseType,
      authorize.state,
      OAuthErrors.trigger(error.message),
    ),
  );
}

/** Whether an error is a Lambda trigger's, which the pages send back to the app. */
export function isTriggerError(error: unknown): error is CognitoError {
  return (
    error instanceof CognitoError &&
    (error.type === "UserLambdaValidationException" ||
      error.type === "UnexpectedLambdaException" ||
      error.type === "InvalidLambdaResponseException")
  );
}

/**
 * Single sign-on: a grant for the browser's session without the sign-in page. PreTokenGeneration
 * runs again; the authentication triggers do not, and the tokens keep the session's auth_time [UNDOC].
 */
export async function sessionGrant(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  session: BrowserSession,
): Promise<EndpointResponse> {
  const { services, site, now } = request;
  try {
    const customization = await tokenCustomizationFor(services, {
      pool: site.pool,
      clientId: authorize.client.id,
      source: "TokenGeneration_HostedAuth",
      user: session.user,
      scopes: authorize.scopes,
    });
    const tokens = await issueTokens(services, {
      pool: site.pool,
      client: authorize.client,
      user: session.user,
      now,
      authTime: session.authTime,
      customization,
      oauth: oauthGrantOf(authorize),
    });
    return await deliverGrant(request, authorize, tokens);
  } catch (error) {
    if (isTriggerError(error)) return triggerFailureRedirect(authorize, error);
    throw error;
  }
}
