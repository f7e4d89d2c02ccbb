/**
 * `/saml2/idpresponse` (FEDERATION.md §2.4, §2.5): the assertion consumer service. A RelayState that
 * names a live round trip of this browser is an answer to our AuthnRequest (SP-initiated); any
 * other RelayState must be the query of an authorization request, which makes the response
 * IdP-initiated — allowed only for providers with `IDPInit` [UNDOC: refused otherwise]. The
 * response is checked (saml.ts), its assertion ID recorded so that a replay is refused, and the
 * NameID signs in.
 */
import { isIdpInitiated } from "../../domain/identity-providers.js";
import { DuplicateKeyError } from "../../store/duplicates.js";
import type { IdentityProviderRecord } from "../../store/identity-providers.js";
import { authorizeFailure } from "../authorize.js";
import { type AuthorizeRequest, checkAuthorizeRequest } from "../authorize-request.js";
import { type EndpointRequest, type EndpointResponse, Params } from "../endpoint.js";
import { FederationErrors, SamlReasons } from "../errors.js";
import {
  completeFederatedSignIn,
  failToApp,
  federationErrorPage,
  refuseSignIn,
  resumeRoundTrip,
} from "./complete.js";
import { type SamlAssertion, SamlRefusal, validateSamlResponse } from "./saml.js";
import { finishRoundTrip } from "./state.js";

/** The largest SAMLResponse Cognito accepts [DG: 100,000 characters]. */
const MAX_RESPONSE_LENGTH = 100_000;

async function signIn(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  provider: IdentityProviderRecord,
  validate: () => Promise<SamlAssertion>,
): Promise<EndpointResponse> {
  let assertion: SamlAssertion;
  try {
    assertion = await validate();
    await request.services.store.samlAssertions.insert(
      provider.poolId,
      provider.name,
      assertion.assertionId,
      assertion.acceptableUntil,
    );
  } catch (error) {
    const refuse = (reason: string) =>
      refuseSignIn(request, authorize, provider, FederationErrors.saml(reason));
    if (error instanceof SamlRefusal) return refuse(error.message);
    if (error instanceof DuplicateKeyError) return refuse(SamlReasons.replayed);
    throw error;
  }
  const identity = {
    provider,
    subject: assertion.subject.nameId,
    attributes: assertion.attributes,
    answer: { samlResponse: assertion.attributes },
  };
  return completeFederatedSignIn(request, authorize, identity, assertion.subject);
}

export async function samlResponseEndpoint(request: EndpointRequest): Promise<EndpointResponse> {
  const samlResponse = request.form?.get("SAMLResponse");
  const relayState = request.form?.get("RelayState");
  if (!samlResponse || samlResponse.length > MAX_RESPONSE_LENGTH) return federationErrorPage(request);
  const state = await finishRoundTrip(request, relayState, "saml", true);
  if (state) {
    const resumed = await resumeRoundTrip(request, state);
    if (resumed.kind === "failed") return resumed.response;
    const { authorize, provider } = resumed;
    if (provider.type !== "SAML") {
      return refuseSignIn(request, authorize, provider, FederationErrors.providerUnavailable());
    }
    return signIn(request, authorize, provider, () =>
      validateSamlResponse(request, provider, samlResponse, {
        requestId: state.data.requestId,
        idpInitiated: false,
      }),
    );
  }
  return unsolicited(request, samlResponse, relayState);
}

/**
 * A response no AuthnRequest of this browser asked for: IdP-initiated, its RelayState the
 * authorization request's query (`identity_provider` or `idp_identifier`, `client_id`,
 * `redirect_uri`, `response_type`, `scope`) [DG].
 */
async function unsolicited(
  request: EndpointRequest,
  samlResponse: string,
  relayState: string | undefined,
): Promise<EndpointResponse> {
  const query = new Params(relayState ?? "");
  if (!query.get("client_id")) return federationErrorPage(request);
  const check = await checkAuthorizeRequest(request.services, request.site, query, { federated: true });
  if (check.kind !== "ok") return authorizeFailure(request, check);
  const authorize = check.request;
  const provider = authorize.identityProvider;
  if (!provider) return failToApp(authorize, FederationErrors.providerUnavailable());
  if (provider.type !== "SAML") {
    return refuseSignIn(request, authorize, provider, FederationErrors.providerUnavailable());
  }
  if (!isIdpInitiated(provider)) {
    return refuseSignIn(request, authorize, provider, FederationErrors.saml(SamlReasons.unsolicited));
  }
  return signIn(request, authorize, provider, () =>
    validateSamlResponse(request, provider, samlResponse, { idpInitiated: true }),
  );
}
