/**
 * The round trip to an outside identity provider (FEDERATION.md §2.1): what the sign-in must
 * remember until the provider answers — the app's authorization request, the nonce, the PKCE
 * verifier, the SAML request ID — is kept server-side; the provider only carries an opaque
 * handle (OAuth `state`, SAML `RelayState`). The handle is single-use, lives
 * `federation.stateTtlSeconds`, and is bound to the browser that started it by the `cognito-fl`
 * cookie, whose hash the state keeps [UNDOC].
 *
 * Browsers send no cookie of ours with a POST from another site over plain HTTP (SameSite=None
 * needs Secure): there a POSTed answer (SAML, Sign in with Apple's form_post) that comes without
 * the cookie is bound by its handle alone; with the cookie, or over TLS, the cookie must match.
 */
import { createHash } from "node:crypto";
import { occasionally } from "../../auth/purge.js";
import { sameText } from "../../crypto/compare.js";
import { randomToken } from "../../crypto/random.js";
import type { FederationStateKind, FederationStateRecord } from "../../store/federation-states.js";
import { FEDERATION_COOKIE, setCookie } from "../cookies.js";
import type { EndpointRequest } from "../endpoint.js";

/** What a round trip remembers. */
export interface RoundTripData {
  /** The domain the round trip started on: it must end there. */
  domain: string;
  /** The app's authorization request (sign-in), as its raw query. */
  query?: string;
  /** Where the browser goes once a single logout is done. */
  target?: string;
  nonce?: string;
  codeVerifier?: string;
  /** The SAML AuthnRequest's or LogoutRequest's ID, which the answer's InResponseTo must name. */
  requestId?: string;
  /** The redirect URI given to the provider, which the code exchange must repeat. */
  returnUrl?: string;
}

export type RoundTrip = FederationStateRecord<RoundTripData>;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Round trips, used assertion IDs and SAML sessions past their time go in passing. */
const purgeExpired = occasionally(async (store, now) => {
  await store.federationStates.deleteExpired(now);
  await store.samlAssertions.deleteExpired(now);
  await store.samlSessions.deleteExpired(now);
});

/** Stores a new round trip; returns the handle for the provider and the binding cookie to set. */
export async function beginRoundTrip(
  request: EndpointRequest,
  kind: FederationStateKind,
  providerName: string,
  data: Omit<RoundTripData, "domain">,
): Promise<{ handle: string; cookie: string }> {
  const { services, site, now } = request;
  const ttl = services.config.federation.stateTtlSeconds;
  const handle = randomToken(32);
  // One binding per browser, so that two sign-ins in two tabs do not undo each other.
  const binding = request.cookies[FEDERATION_COOKIE] || randomToken(32);
  await services.store.federationStates.insert({
    idHash: sha256(handle),
    poolId: site.pool.id,
    kind,
    providerName,
    browserHash: sha256(binding),
    data: { ...data, domain: site.domain.domain },
    expiresAt: new Date(now.getTime() + ttl * 1000),
  });
  await purgeExpired(services.store, now).catch(() => undefined);
  return { handle, cookie: setCookie(site, FEDERATION_COOKIE, binding, ttl, true) };
}

/** Whether the browser holds the binding of the round trip (see above for cookie-less POSTs). */
function boundToBrowser(request: EndpointRequest, state: RoundTrip, posted: boolean): boolean {
  if (state.browserHash === null) return true;
  const cookie = request.cookies[FEDERATION_COOKIE];
  if (!cookie) return posted && !request.site.secure;
  return sameText(sha256(cookie), state.browserHash);
}

/**
 * Takes the round trip a handle names, once: undefined when it is unknown, spent, expired, of
 * another kind, domain or browser. `posted`: the answer came by POST.
 */
export async function finishRoundTrip(
  request: EndpointRequest,
  handle: string | undefined,
  kind: FederationStateKind,
  posted: boolean,
): Promise<RoundTrip | undefined> {
  if (!handle) return undefined;
  const { services, site, now } = request;
  const state = await services.store.federationStates.take<RoundTripData>(sha256(handle));
  if (
    !state ||
    state.kind !== kind ||
    state.poolId !== site.pool.id ||
    state.data.domain !== site.domain.domain ||
    now.getTime() >= state.expiresAt.getTime() ||
    !boundToBrowser(request, state, posted)
  ) {
    return undefined;
  }
  return state;
}
