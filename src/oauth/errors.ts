/**
 * The OAuth 2.0 errors of the domain endpoints (OAUTH.md §2): one catalogue of the `error` codes
 * and the exact texts Cognito shows, as Errors (src/domain/errors.ts) is for the JSON API.
 */

export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "unsupported_token_type"
  | "invalid_scope"
  | "invalid_token"
  | "login_required";

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description?: string,
  ) {
    super(description ?? error);
    this.name = "OAuthError";
  }
}

const oauth = (error: OAuthErrorCode, description?: string) => new OAuthError(error, description);

export const OAuthErrors = {
  invalidRequest: (description?: string) => oauth("invalid_request", description),
  invalidClient: () => oauth("invalid_client"),
  invalidGrant: (description?: string) => oauth("invalid_grant", description),
  unauthorizedClient: () => oauth("unauthorized_client"),
  unsupportedGrantType: () => oauth("unsupported_grant_type"),
  unsupportedResponseType: () => oauth("unsupported_response_type"),
  unsupportedTokenType: () => oauth("unsupported_token_type"),
  invalidScope: () => oauth("invalid_scope"),
  /** An authorization request's scopes: observed as invalid_request with this description [OBS]. */
  authorizeScope: () => oauth("invalid_request", "invalid_scope"),
  loginRequired: () => oauth("login_required"),
  /**
   * A Lambda trigger refused the sign-in: its message reaches the app's callback, with a space
   * after it (`PreSignUp+failed+with+error+User+already+exists..+`) [OBS].
   */
  trigger: (message: string) => oauth("invalid_request", `${message} `),
};

/** What the `/error` page says, whatever went wrong [OBS]. */
export const ERROR_PAGE_TEXT = "An error was encountered with the requested page.";
/** The `/error` page after a logout request with no valid target [OBS]. */
export const LOGOUT_TARGET_MISSING = "Required String parameter 'redirect_uri' is not present";
/** The error page's `error` for a redirect URI the client did not register [OBS]. */
export const REDIRECT_MISMATCH = "redirect_mismatch";

/** userInfo's answers to a missing or malformed Authorization header, and to a bad token [DG]. */
export const USERINFO_BAD_REQUEST = {
  error: "invalid_request",
  error_description: "Bad OAuth2 request at UserInfo Endpoint",
} as const;
export const USERINFO_INVALID_TOKEN = {
  error: "invalid_token",
  error_description: "Access token is expired, disabled, or deleted, or the user has globally signed out.",
} as const;

/** `WWW-Authenticate` of an RFC 6750 error (the DG example omits `Bearer`; parsers need it). */
export function bearerChallenge(error: { error: string; error_description: string }): string {
  return `Bearer error="${error.error}", error_description="${error.error_description}"`;
}

/** What the sign-in pages say of problems the sign-in engine never sees [UNDOC]. */
export const PageMessages = {
  credentialsMissing: "Enter your username and password.",
  passwordsDiffer: "The passwords you entered do not match.",
  answerMissing: "Enter the code to continue.",
  emailMissing: "Enter the email address to send codes to.",
  stepUnavailable: "This sign-in step cannot be completed on this page. Sign in again.",
  passkeyNeedsScript: "Passkeys need JavaScript. Turn it on and try again, or sign in with your password.",
  passkeyUnavailable: "No passkey can be used for this account. Sign in with your password.",
  signInForPasskey: "Sign in first, then add a passkey.",
  passkeysManagedLoginOnly: "Passkeys can be added on managed login pages only.",
  /** A version-2 page of a client without a managed-login style (OAUTH.md §7.1). */
  managedLoginUnavailable:
    "Managed login is not available to this app client: it has no managed login branding style.",
};

/** A line on the error page for each `error` it is sent with. */
export const ERROR_PAGE_DETAILS: Readonly<Record<string, string>> = {
  redirect_mismatch: "The redirect URI is not registered for this app client (redirect_mismatch).",
  invalid_request: "The request is not valid for this app client (invalid_request).",
  csrf: "This page has expired. Go back and try again.",
};

/** What the account pages (sign-up, confirmation, password reset) tell after a step, once [UNDOC]. */
export const PageNotices = {
  codeResent: "We sent you a new code.",
  passwordReset: "Your password has been changed. Sign in with your new password.",
  signedUpUnconfirmed: "Your account has been created. It must be confirmed before you can sign in.",
} as const;

/** The `/confirmUser` link's page [UNDOC]. */
export const CONFIRM_LINK_TEXT = {
  confirmedTitle: "Account confirmed",
  confirmed: "Your registration has been confirmed.",
  failedTitle: "Account not confirmed",
} as const;
