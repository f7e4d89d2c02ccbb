/**
 * `/oauth2/idpresponse` (FEDERATION.md §2.2): where OIDC and social providers send the browser
 * back — by GET, or by POST for Sign in with Apple's form_post. The round trip is taken (unknown,
 * spent, expired or another browser's: the error page), the app's request checked again, the
 * provider's error passed on, the code exchanged and its ID token and userInfo checked; then the
 * identity signs in. Every failure once the app is known goes to its redirect URI.
 */
import { type EndpointRequest, type EndpointResponse, Params } from "../endpoint.js";
import { FederationErrors, type OAuthError } from "../errors.js";
import { appleUserAttributes } from "./apple.js";
import { completeFederatedSignIn, federationErrorPage, refuseSignIn, resumeRoundTrip } from "./complete.js";
import { identityFromCode, ProviderAnswerError } from "./oauth-client.js";
import { providerEndpoints } from "./oauth-endpoints.js";
import { finishRoundTrip } from "./state.js";

/** A provider's error description, as much of it as an app needs. */
const MAX_DESCRIPTION = 512;

export async function idpResponseEndpoint(request: EndpointRequest): Promise<EndpointResponse> {
  const posted = request.method === "POST";
  const params = posted ? (request.form ?? new Params()) : request.query;
  const state = await finishRoundTrip(request, params.get("state"), "oauth", posted);
  if (!state) return federationErrorPage(request);
  const resumed = await resumeRoundTrip(request, state);
  if (resumed.kind === "failed") return resumed.response;
  const { authorize, provider } = resumed;
  const refuse = (error: OAuthError) => refuseSignIn(request, authorize, provider, error);
  if (provider.type === "SAML") return refuse(FederationErrors.providerUnavailable());
  const providerError = params.get("error");
  if (providerError !== undefined) {
    const description = params.get("error_description")?.slice(0, MAX_DESCRIPTION);
    return refuse(FederationErrors.providerError(providerError, description));
  }
  const code = params.get("code");
  if (!code) return refuse(FederationErrors.codeMissing());
  const { services, now } = request;
  try {
    const identity = await identityFromCode(
      {
        provider,
        endpoints: providerEndpoints(services.config.federation, provider),
        code,
        returnUrl: state.data.returnUrl ?? "",
        codeVerifier: state.data.codeVerifier,
        now,
      },
      services.config.federation,
      { nonce: state.data.nonce },
      provider.type === "SignInWithApple" ? appleUserAttributes(params.get("user")) : {},
    );
    return await completeFederatedSignIn(request, authorize, identity);
  } catch (error) {
    if (error instanceof ProviderAnswerError) return refuse(error.oauthError);
    throw error;
  }
}
