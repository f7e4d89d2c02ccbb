/**
 * Where the endpoints send the browser (OAUTH.md §2.0–2.1): grants and errors to the app's
 * registered redirect URI — in the query for the code flow, in the fragment for implicit — and
 * everything the app must not be told to the domain's error page.
 */
import type { ResponseType } from "./authorize-request.js";
import type { OAuthError } from "./errors.js";
import { type Site, sitePath } from "./site.js";

/** Adds parameters to a URI's query (after `&` when it has one), or as its fragment. */
function withParameters(uri: string, values: [string, string | undefined][], inFragment: boolean): string {
  const encoded = new URLSearchParams(
    values.filter((v): v is [string, string] => v[1] !== undefined),
  ).toString();
  if (inFragment) return `${uri}#${encoded}`;
  return `${uri}${uri.includes("?") ? "&" : "?"}${encoded}`;
}

/** An error for the app, in the order Cognito writes it: `error_description`, `state`, `error` [OBS]. */
export function errorRedirect(
  redirectUri: string,
  responseType: ResponseType,
  state: string | undefined,
  error: OAuthError,
): string {
  return withParameters(
    redirectUri,
    [
      ["error_description", error.description],
      ["state", state],
      ["error", error.error],
    ],
    responseType === "token",
  );
}

export function codeRedirect(redirectUri: string, code: string, state: string | undefined): string {
  return withParameters(
    redirectUri,
    [
      ["code", code],
      ["state", state],
    ],
    false,
  );
}

/** The implicit grant's tokens, in the fragment, in the order observed [OBS]; ID token only with openid. */
export function implicitRedirect(
  redirectUri: string,
  tokens: { accessToken: string; idToken?: string; expiresIn: number },
  state: string | undefined,
): string {
  return withParameters(
    redirectUri,
    [
      ["access_token", tokens.accessToken],
      ["id_token", tokens.idToken],
      ["token_type", "Bearer"],
      ["expires_in", String(tokens.expiresIn)],
      ["state", state],
    ],
    true,
  );
}

/** The domain's error page with the given parameters. */
export function errorPageLocation(site: Site, query: Record<string, string>): string {
  return `${sitePath(site, "/error")}?${new URLSearchParams(query).toString()}`;
}
