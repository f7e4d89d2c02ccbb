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
  | "invalid_target"
  | "invalid_token"
  | "login_required"
  | "access_denied"
  | "server_error"
  | "temporarily_unavailable";

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
   * A `resource` that cannot be bound (src/oauth/resource-binding.ts): RFC 8707's code, at the
   * authorize and token endpoints alike, without a description [UNDOC: Cognito documents none].
   */
  invalidTarget: () => oauth("invalid_target"),
  /**
   * A Lambda trigger refused the sign-in: its message reaches the app's callback, with a space
   * after it (`PreSignUp+failed+with+error+User+already+exists..+`) [OBS].
   */
  trigger: (message: string) => oauth("invalid_request", `${message} `),
};

/**
 * Federated sign-in's failures once the app's redirect URI is known (FEDERATION.md §2.2, §2.4): to
 * the app, `invalid_request` with a sentence [UNDOC texts]; a SAML response that fails a check,
 * `server_error` with `Invalid SAML response received: <reason>` [OBS form].
 */
export const FederationErrors = {
  /** The provider answered with an error of its own: passed on when it is an OAuth 2.0 code. */
  providerError: (code: string, description: string | undefined) =>
    oauth(
      PROVIDER_ERROR_CODES.has(code) ? (code as OAuthErrorCode) : "invalid_request",
      description ?? "The identity provider did not sign the user in.",
    ),
  codeMissing: () => oauth("invalid_request", "The identity provider returned no authorization code."),
  tokenExchange: () =>
    oauth("invalid_request", "The identity provider did not exchange the authorization code for tokens."),
  idToken: (reason: string) =>
    oauth("invalid_request", `The identity provider's ID token is invalid: ${reason}.`),
  userInfo: () => oauth("invalid_request", "The identity provider's user attributes could not be read."),
  subjectMissing: () => oauth("invalid_request", "The identity provider did not identify the user."),
  providerUnavailable: () =>
    oauth("invalid_request", "The identity provider is not available to this app client."),
  /** A user the identity may not become or update: the reason, as the API would word it. */
  user: (message: string) => oauth("invalid_request", message),
  saml: (reason: string) => oauth("server_error", `Invalid SAML response received: ${reason}`),
};

/** The reasons of refused SAML responses [UNDOC, but the first: OBS]. */
export const SamlReasons = {
  signature: "SAML Assertion signature is invalid.",
  encryptionRequired: "The SAML assertion is not encrypted.",
  decryption: "The SAML assertion could not be decrypted.",
  audience: "The audience of the SAML assertion is not this user pool.",
  validity: "The SAML assertion is not valid at this time.",
  inResponseTo: "InResponseTo does not match the request.",
  recipient: "Recipient is not this user pool's SAML endpoint.",
  issuer: "The issuer of the SAML assertion is not the identity provider.",
  replayed: "The SAML assertion has already been used.",
  unsolicited: "IdP-initiated sign-in is not enabled for the identity provider.",
  status: "The identity provider did not sign the user in.",
  nameId: "The SAML assertion has no NameID.",
  characters: "An attribute value contains characters outside the Basic Multilingual Plane.",
  malformed: "The SAML response could not be read.",
} as const;

/** OAuth 2.0 authorization error codes a provider may send, which the app is told as they are. */
const PROVIDER_ERROR_CODES: ReadonlySet<string> = new Set([
  "invalid_request",
  "unauthorized_client",
  "access_denied",
  "unsupported_response_type",
  "invalid_scope",
  "server_error",
  "temporarily_unavailable",
]);

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
  noProviderForIdentifier: "No identity provider of this app signs in that email address or domain.",
};

/** A line on the error page for each `error` it is sent with. */
export const ERROR_PAGE_DETAILS: Readonly<Record<string, string>> = {
  redirect_mismatch: "The redirect URI is not registered for this app client (redirect_mismatch).",
  invalid_request: "The request is not valid for this app client (invalid_request).",
  csrf: "This page has expired. Go back and try again.",
  federation:
    "Something went wrong: the sign-in with your identity provider could not be finished. Return to the application and sign in again.",
};

/** What the account pages (sign-up, confirmation, password reset) tell after a step, once [UNDOC]. */
export const PageNotices = {
  codeResent: "We sent you a new code.",
  linkResent: "We sent you a new link.",
  passwordReset: "Your password has been changed. Sign in with your new password.",
  signedUpUnconfirmed: "Your account has been created. It must be confirmed before you can sign in.",
} as const;

/** The `/confirmUser` link's page [UNDOC]. */
export const CONFIRM_LINK_TEXT = {
  confirmedTitle: "Account confirmed",
  confirmed: "Your registration has been confirmed.",
  failedTitle: "Account not confirmed",
} as const;

/** The page after a confirmation link went by e-mail (`/confirmLinkSent`) [UNDOC]. */
export const LINK_SENT_TEXT = {
  title: "Check your email",
  sentTo: (destination: string | undefined) =>
    destination
      ? `We sent a confirmation link by email to ${destination}.`
      : "We sent you a confirmation link by email.",
  followIt: "Follow the link to confirm your account.",
  resendLead: "Didn't receive the email?",
  resendLabel: "Send a new link",
  signIn: "Back to sign in",
} as const;
