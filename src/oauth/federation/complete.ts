/**
 * The end of a federated sign-in, once the provider's answer passed every check (FEDERATION.md
 * §2.8): the app's authorization request is taken up again, the identity signs in (the user, the
 * triggers, the tokens), the browser gets its single sign-on session — with its SAML session,
 * which single logout names — and the app gets its grant as after a sign-in on the pages.
 */
import { federatedSignIn } from "../../auth/federated-sign-in.js";
import { supportedIdentityProviders } from "../../domain/clients.js";
import { CognitoError } from "../../domain/errors.js";
import type { OutsideIdentity } from "../../domain/federated-users.js";
import { SUCCESS } from "../../metrics/metrics.js";
import type { IdentityProviderTypeType } from "../../protocol/types.generated.js";
import type { Services } from "../../services.js";
import type { IdentityProviderRecord } from "../../store/identity-providers.js";
import type { SamlSubject } from "../../store/saml-sessions.js";
import { authorizeFailure } from "../authorize.js";
import { type AuthorizeRequest, checkAuthorizeRequest } from "../authorize-request.js";
import { openBrowserSession, SESSION_LIFETIME_SECONDS } from "../browser-session.js";
import { type EndpointRequest, type EndpointResponse, Params, redirect } from "../endpoint.js";
import { FederationErrors, type OAuthError, OAuthErrors } from "../errors.js";
import { deliverGrant, isTriggerError, oauthGrantOf } from "../grant.js";
import { errorPageLocation, errorRedirect } from "../redirects.js";
import type { RoundTrip } from "./state.js";

/** A provider's answer that cannot be tied to a sign-in: the domain's error page [UNDOC]. */
export function federationErrorPage(request: EndpointRequest): EndpointResponse {
  return redirect(errorPageLocation(request.site, { error: "federation" }));
}

/** A failure told to the app at its redirect URI. */
export function failToApp(authorize: AuthorizeRequest, error: OAuthError): EndpointResponse {
  return redirect(errorRedirect(authorize.redirectUri, authorize.responseType, authorize.state, error));
}

/**
 * The `flow` of a federated sign-in in cognate_sign_ins_total: the provider's type, which no
 * AuthFlow starts with. The type, never the provider's name, keeps the label set small.
 */
export function federatedFlow(type: IdentityProviderTypeType): string {
  return `FEDERATED_${type}`;
}

function countSignIn(services: Services, provider: IdentityProviderRecord, result: string): void {
  services.metrics.signIn(federatedFlow(provider.type), result);
}

/**
 * A federated sign-in refused once its provider is known, told to the app and counted: by `result`,
 * the error type when the pool refused the identity (as InitiateAuth counts it), else the OAuth
 * error code the app is sent. Answers that name no provider (an unknown round trip, a provider
 * gone) are not sign-ins of any type and are not counted.
 */
export function refuseSignIn(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  provider: IdentityProviderRecord,
  error: OAuthError,
  result: string = error.error,
): EndpointResponse {
  countSignIn(request.services, provider, result);
  return failToApp(authorize, error);
}

export type Resumed =
  | { kind: "ok"; authorize: AuthorizeRequest; provider: IdentityProviderRecord }
  | { kind: "failed"; response: EndpointResponse };

/**
 * The authorization request a round trip was for, checked again (the client or its settings may
 * have changed meanwhile), and its provider, which must still exist and be listed by the client.
 */
export async function resumeRoundTrip(request: EndpointRequest, state: RoundTrip): Promise<Resumed> {
  const query = new Params(state.data.query ?? "");
  const check = await checkAuthorizeRequest(request.services, request.site, query, { federated: true });
  if (check.kind !== "ok") return { kind: "failed", response: authorizeFailure(request, check) };
  const authorize = check.request;
  const provider = await request.services.store.identityProviders.get(
    request.site.pool.id,
    state.providerName,
  );
  if (!provider || !supportedIdentityProviders(authorize.client).includes(provider.name)) {
    return { kind: "failed", response: failToApp(authorize, FederationErrors.providerUnavailable()) };
  }
  return { kind: "ok", authorize, provider };
}

/** Signs the identity in and hands the app its grant; a refusal goes to the app. */
export async function completeFederatedSignIn(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  identity: OutsideIdentity,
  saml?: SamlSubject,
): Promise<EndpointResponse> {
  const { services, site, now } = request;
  try {
    const outcome = await federatedSignIn(services, now, {
      pool: site.pool,
      client: authorize.client,
      identity,
      grant: oauthGrantOf(authorize),
      connection: { sourceIp: request.sourceIp, headers: request.headers },
    });
    if (outcome.kind !== "tokens" || !outcome.signedIn) throw new Error("federated sign-in without tokens");
    const { user, authTime } = outcome.signedIn;
    const session = await openBrowserSession(services, site, user, authTime, now);
    if (saml) {
      await services.store.samlSessions.insert({
        sessionHash: session.key,
        poolId: site.pool.id,
        providerName: identity.provider.name,
        subject: saml,
        expiresAt: new Date(authTime.getTime() + SESSION_LIFETIME_SECONDS * 1000),
      });
    }
    const response = await deliverGrant(request, authorize, outcome.result, [session.cookie]);
    countSignIn(services, identity.provider, SUCCESS);
    return response;
  } catch (error) {
    const provider = identity.provider;
    if (isTriggerError(error)) {
      return refuseSignIn(request, authorize, provider, OAuthErrors.trigger(error.message), error.type);
    }
    if (error instanceof CognitoError) {
      return refuseSignIn(request, authorize, provider, FederationErrors.user(error.message), error.type);
    }
    countSignIn(services, provider, "InternalErrorException");
    throw error;
  }
}
