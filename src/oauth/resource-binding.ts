/**
 * Resource binding (RFC 8707 resource indicators; docs/OAUTH.md "Resource binding"): the
 * `resource` of an authorization request becomes the `aud` of the access tokens of that sign-in,
 * refreshed ones included. Every rule — what a value may be, where it is taken, what a refused one
 * answers — is decided here, so that each is changed in one place.
 *
 * Cognito's developer guide (resource servers page, "Resource binding"; authorize and token
 * endpoint pages) documents: the value must be a URL under the callback URLs' scheme rules; it is
 * requested at the authorize endpoint, for implicit and code grants; one resource per request;
 * refreshes carry the `aud` over; client-credentials grants cannot request a binding. It documents
 * no error, and no `resource` parameter of the token endpoint.
 */
import { validRedirectUrl } from "../domain/clients.js";
import type { Params } from "./endpoint.js";
import { type OAuthError, OAuthErrors } from "./errors.js";

export const RESOURCE_PARAMETER = "resource";

/** A callback URL's length limit (RedirectUrlType, 1–1024) [UNDOC for `resource`]. */
const MAX_RESOURCE_LENGTH = 1024;
/** RedirectUrlType's pattern: no spaces or control characters. */
const RESOURCE_PATTERN = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;

/**
 * Whether client_credentials may bind a resource. The DG says it cannot ("You can't request a
 * resource binding with client-credentials M2M grants"), so a `resource` there is refused rather
 * than ignored: the client asked for an audience restriction it would not get [UNDOC: refused].
 * Set to true to bind it like the authorization request's.
 */
const CLIENT_CREDENTIALS_BINDS = false;

/** What a `resource` that cannot be bound answers [UNDOC: RFC 8707 §2's code, no description]. */
const refused = () => OAuthErrors.invalidTarget();

/**
 * A value that may be bound: a URL under the callback URLs' rules — `https://`, `http://` for the
 * developer's own machine only, or an app's own scheme such as `myapp://` — without a fragment
 * [DG]. It need not be a resource server's identifier ("a URL of your choosing" [DG]), and the
 * scopes asked for need not be that server's [UNDOC]. An empty value is no URL: refused [UNDOC].
 */
export function bindableResource(value: string): boolean {
  return value.length <= MAX_RESOURCE_LENGTH && RESOURCE_PATTERN.test(value) && validRedirectUrl(value);
}

/**
 * The `resource` of an authorization request (code or implicit grant) [DG]: undefined without one.
 * Two of them are a repeated parameter, which the request check answers `invalid_request` before
 * this ("one resource per authentication request" [DG]).
 */
export function authorizeResource(params: Params): string | undefined | OAuthError {
  const value = params.get(RESOURCE_PARAMETER);
  if (value === undefined) return undefined;
  return bindableResource(value) ? value : refused();
}

/**
 * A `resource` sent to the token endpoint with a code or a refresh token [UNDOC]. RFC 8707 §2.2 has
 * clients repeat there the resource of the authorization request, so that value is taken; any
 * other — or any at all for a grant bound to none — is refused: the token endpoint does not bind
 * (the DG lists no `resource` there) and never narrows a binding silently. Throws the refusal.
 */
export function checkTokenResource(form: Params | undefined, bound: string | null): void {
  const value = form?.get(RESOURCE_PARAMETER);
  if (value !== undefined && value !== bound) throw refused();
}

/** The resource a client_credentials request binds (see CLIENT_CREDENTIALS_BINDS); throws the refusal. */
export function clientCredentialsResource(form: Params | undefined): string | undefined {
  const value = form?.get(RESOURCE_PARAMETER);
  if (value === undefined) return undefined;
  if (!CLIENT_CREDENTIALS_BINDS || !bindableResource(value)) throw refused();
  return value;
}
