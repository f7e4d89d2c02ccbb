/**
 * The endpoints a pool's domain serves (OAUTH.md §2), by lower-cased path (paths match in any
 * letter case [UNDOC]). The old aliases without `/oauth2` are served too [OBS].
 */
import { authorizeEndpoint } from "./authorize.js";
import {
  confirmGet,
  confirmPost,
  confirmUserLink,
  linkSentGet,
  resendCodeGet,
  resendCodePost,
} from "./confirm-signup.js";
import type { EndpointRequest, EndpointResponse } from "./endpoint.js";
import { errorPage } from "./error-page.js";
import { idpResponseEndpoint } from "./federation/idp-response.js";
import { samlLogoutEndpoint } from "./federation/saml-logout.js";
import { samlResponseEndpoint } from "./federation/saml-response.js";
import { IDP_RESPONSE_PATH, SAML_LOGOUT_PATH, SAML_RESPONSE_PATH } from "./federation/urls.js";
import {
  confirmForgotPasswordGet,
  confirmForgotPasswordPost,
  forgotPasswordGet,
  forgotPasswordPost,
} from "./forgot-password.js";
import { loginPage, loginSubmit } from "./login.js";
import { logoutEndpoint } from "./logout.js";
import { addPasskeyPage, addPasskeySubmit } from "./passkeys.js";
import { revokeEndpoint } from "./revoke.js";
import { signUpGet, signUpPost } from "./signup.js";
import { tokenEndpoint } from "./token.js";
import { userInfoEndpoint } from "./userinfo.js";
import { framePage } from "./views.js";

export type EndpointHandler = (request: EndpointRequest) => Promise<EndpointResponse>;

export interface DomainRoute {
  GET?: EndpointHandler;
  POST?: EndpointHandler;
  /** Called from scripts in other origins (Amplify's fetch): answers CORS preflights [UNDOC]. */
  cors?: boolean;
}

/** Every handler's page rendered in the domain's frame and look (views.ts). */
function framed(routes: Record<string, DomainRoute>): Readonly<Record<string, DomainRoute>> {
  const frame =
    (handler: EndpointHandler): EndpointHandler =>
    async (request) =>
      framePage(request, await handler(request));
  return Object.fromEntries(
    Object.entries(routes).map(([path, route]) => [
      path,
      {
        ...route,
        ...(route.GET && { GET: frame(route.GET) }),
        ...(route.POST && { POST: frame(route.POST) }),
      },
    ]),
  );
}

export const DOMAIN_ROUTES: Readonly<Record<string, DomainRoute>> = framed({
  "/oauth2/authorize": { GET: authorizeEndpoint },
  "/authorize": { GET: authorizeEndpoint },
  "/login": { GET: loginPage, POST: loginSubmit },
  "/logout": { GET: logoutEndpoint },
  "/oauth2/token": { POST: tokenEndpoint, cors: true },
  "/token": { POST: tokenEndpoint, cors: true },
  "/oauth2/userinfo": { GET: userInfoEndpoint, POST: userInfoEndpoint, cors: true },
  "/oauth2/revoke": { POST: revokeEndpoint, cors: true },
  "/error": { GET: errorPage },
  // The account pages: sign-up and its code, password reset (OAUTH.md §2.2).
  "/signup": { GET: signUpGet, POST: signUpPost },
  "/confirm": { GET: confirmGet, POST: confirmPost },
  "/confirmlinksent": { GET: linkSentGet },
  "/resendcode": { GET: resendCodeGet, POST: resendCodePost },
  "/confirmuser": { GET: confirmUserLink },
  "/forgotpassword": { GET: forgotPasswordGet, POST: forgotPasswordPost },
  "/confirmforgotpassword": { GET: confirmForgotPasswordGet, POST: confirmForgotPasswordPost },
  "/passkeys/add": { GET: addPasskeyPage, POST: addPasskeySubmit },
  // Where outside identity providers answer (FEDERATION.md §2): Sign in with Apple posts.
  [IDP_RESPONSE_PATH]: { GET: idpResponseEndpoint, POST: idpResponseEndpoint },
  [SAML_RESPONSE_PATH]: { POST: samlResponseEndpoint },
  [SAML_LOGOUT_PATH]: { POST: samlLogoutEndpoint },
});
