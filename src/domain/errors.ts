/**
 * Cognito's errors: one class, and one catalogue of every exact message the server sends.
 * User code matches on these strings, so each lives here once.
 */
import type { ModelledErrorName } from "../protocol/model.generated.js";

/** Errors of the AWS JSON protocol itself, which the service model does not list. */
export type ProtocolErrorName =
  | "UnknownOperationException"
  | "SerializationException"
  | "MissingAuthenticationTokenException"
  | "InvalidSignatureException"
  | "UnrecognizedClientException"
  | "IncompleteSignatureException";

export type ErrorName = ModelledErrorName | ProtocolErrorName;

export class CognitoError extends Error {
  constructor(
    readonly type: ErrorName,
    message: string,
  ) {
    super(message);
    this.name = type;
  }

  /** HTTP status: every Cognito error is a 400 but the internal ones. */
  get status(): number {
    return this.type === "InternalErrorException" || this.type === "InternalServerException" ? 500 : 400;
  }
}

/** The wrong parts of a SigV4 credential scope. */
export interface ScopeProblems {
  region?: string;
  /** The service the scope should have named. */
  service?: string;
  terminator?: string;
  date?: { scope: string; longDate: string };
}

const err = (type: ErrorName, message: string) => new CognitoError(type, message);

/** The catalogue. Add a message here before using it anywhere. */
export const Errors = {
  // protocol
  unknownOperation: (target: string) =>
    err("UnknownOperationException", target ? `Unknown operation ${target}` : "Missing X-Amz-Target header"),
  serialization: (message: string) => err("SerializationException", message),
  bodyNotJson: () => err("SerializationException", "Unable to parse the request body as JSON."),
  bodyNotUtf8: () => err("SerializationException", "The request body is not valid UTF-8."),
  bodyTooLarge: (limitBytes: number) =>
    err(
      "SerializationException",
      `The request body is larger than the ${limitBytes} bytes this server accepts.`,
    ),
  /** The HTTP request itself could not be read (bad framing, bad headers). */
  malformedRequest: () => err("SerializationException", "The HTTP request could not be read."),
  internal: () => err("InternalErrorException", "An internal error occurred."),
  missingAuthentication: () => err("MissingAuthenticationTokenException", "Missing Authentication Token"),
  unrecognizedClient: () =>
    err("UnrecognizedClientException", "The security token included in the request is invalid."),
  /** AWS shows what it expected, so a client author can find the difference. */
  invalidSignature: (canonicalRequest: string, stringToSign: string) =>
    err(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details." +
        `\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
    ),
  securityTokenInvalid: () =>
    err("UnrecognizedClientException", "The security token included in the request is invalid"),
  /** `missing` as AWS words it, e.g. "Authorization header requires 'Signature' parameter." */
  incompleteSignature: (missing: string[], authorization: string) =>
    err("IncompleteSignatureException", `${missing.join(" ")} Authorization=${authorization}`),
  authorizationPairInvalid: (pair: string, authorization: string) =>
    err(
      "IncompleteSignatureException",
      `'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
    ),
  signatureDateInvalid: (date: string) =>
    err(
      "IncompleteSignatureException",
      `Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    ),
  signatureAlgorithmUnsupported: (algorithm: string) =>
    err(
      "IncompleteSignatureException",
      `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `,
    ),
  credentialMalformed: (credential: string) =>
    err(
      "IncompleteSignatureException",
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    ),
  hostNotSigned: () =>
    err("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization."),
  /** Every wrong part of a credential scope, in one message, as AWS reports them. */
  scopeInvalid: (p: ScopeProblems) =>
    err(
      "InvalidSignatureException",
      [
        p.region !== undefined && `Credential should be scoped to a valid region, not '${p.region}'. `,
        p.service !== undefined && `Credential should be scoped to correct service: '${p.service}'. `,
        p.terminator !== undefined &&
          `Credential should be scoped with a valid terminator: 'aws4_request', not '${p.terminator}'. `,
        p.date &&
          `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${p.date.scope}' != '${p.date.longDate.slice(0, 8)}', from '${p.date.longDate}'.`,
      ]
        .filter(Boolean)
        .join(""),
    ),
  /** Dates in SigV4's basic format (20240101T120000Z): the request's, now minus and now. */
  signatureExpired: (requestDate: string, earliest: string, now: string) =>
    err(
      "InvalidSignatureException",
      `Signature expired: ${requestDate} is now earlier than ${earliest} (${now} - 15 min.)`,
    ),
  signatureNotYetCurrent: (requestDate: string, latest: string, now: string) =>
    err(
      "InvalidSignatureException",
      `Signature not yet current: ${requestDate} is still later than ${latest} (${now} + 15 min.)`,
    ),
  validation: (violations: string[]) =>
    err(
      "InvalidParameterException",
      `${violations.length} validation error${violations.length === 1 ? "" : "s"} detected: ${violations.join("; ")}`,
    ),
  invalidParameter: (message: string) => err("InvalidParameterException", message),
  /** An id chosen through the `_custom_id_` tag or the seed (domain/custom-ids.ts) [UNDOC: Cognate's own]. */
  customIdInvalid: (kind: string, id: string, form: string) =>
    err("InvalidParameterException", `The custom ${kind} id ${id} is invalid: it must be ${form}.`),
  customIdTaken: (kind: string, id: string) =>
    err("InvalidParameterException", `A ${kind} with the id ${id} already exists.`),

  // resources
  poolNotFound: (poolId: string) => err("ResourceNotFoundException", `User pool ${poolId} does not exist.`),
  clientNotFound: (clientId: string) =>
    err("ResourceNotFoundException", `User pool client ${clientId} does not exist.`),
  groupNotFound: () => err("ResourceNotFoundException", "Group not found."),
  groupExists: (group: string) =>
    err("GroupExistsException", `A group with the name ${group} already exists.`),
  userNotFound: () => err("UserNotFoundException", "User does not exist."),
  usernameExists: () => err("UsernameExistsException", "User account already exists"),
  /** `attribute`: email or phone_number. */
  aliasExists: (attribute = "email") =>
    err("AliasExistsException", `An account with the given ${attribute} already exists.`),

  // users, sign-up, attributes, passwords, codes (domain/users, attributes, passwords, codes)
  userNotFoundForClient: () => err("UserNotFoundException", "Username/client id combination not found."),
  signUpUserExists: () => err("UsernameExistsException", "User already exists"),
  /** In pools that sign in with email / phone number, the value is the user's name. */
  usernameAttributeExists: (attribute: string) =>
    err("UsernameExistsException", `An account with the given ${attribute} already exists.`),
  usernameShouldBeEmail: () => err("InvalidParameterException", "Username should be an email."),
  usernameShouldBePhone: () => err("InvalidParameterException", "Username should be a phone number."),
  usernameShouldBeEmailOrPhone: () =>
    err("InvalidParameterException", "Username should be either an email or a phone number."),
  usernameIsEmailFormat: () =>
    err(
      "InvalidParameterException",
      "Username cannot be of email format, since user pool is configured for email alias.",
    ),
  usernameIsPhoneFormat: () =>
    err(
      "InvalidParameterException",
      "Username cannot be of phone number format, since user pool is configured for phone number alias.",
    ),
  invalidEmail: () => err("InvalidParameterException", "Invalid email address format."),
  invalidPhoneNumber: () => err("InvalidParameterException", "Invalid phone number format."),
  /** SignUp / AdminCreateUser: every violation, one per line (`<name>: <reason>`), each ending in a newline. */
  schemaViolations: (lines: string[]) =>
    err(
      "InvalidParameterException",
      `Attributes did not conform to the schema: ${lines.map((line) => `${line}\n`).join("")}`,
    ),
  /** Attribute updates and deletions: the first violation. */
  userAttributeViolation: (name: string, reason: string) =>
    err("InvalidParameterException", `user.${name}: ${reason}`),
  unauthorizedAttributeWrite: () =>
    err("NotAuthorizedException", "A client attempted to write unauthorized attribute"),
  verifyWithoutEmail: () =>
    err("InvalidParameterException", "Email is required to verify/un-verify an email"),
  verifyWithoutPhoneNumber: () =>
    err("InvalidParameterException", "Phone Number is required to verify/un-verify a phone number"),
  passwordPolicy: (reason: string) =>
    err("InvalidPasswordException", `Password does not conform to policy: ${reason}`),
  /** SignUp words the same rule differently. */
  passwordPolicySignUp: (reason: string) =>
    err("InvalidPasswordException", `Password did not conform with policy: ${reason}`),
  passwordReused: () => err("PasswordHistoryPolicyViolationException", "Password has previously been used"),
  /** SignUp without Password, worded as the validator words a missing member (the model once required it). */
  missingPassword: () =>
    Errors.validation(["Value null at 'password' failed to satisfy constraint: Member must not be null"]),
  codeMismatch: () => err("CodeMismatchException", "Invalid verification code provided, please try again."),
  codeExpired: () => err("ExpiredCodeException", "Invalid code provided, please request a code again."),
  cannotConfirm: (status: string) =>
    err("NotAuthorizedException", `User cannot be confirmed. Current status is ${status}`),
  alreadyConfirmed: () => err("InvalidParameterException", "User is already confirmed."),
  autoVerificationOff: () =>
    err("InvalidParameterException", "Cannot resend codes. Auto verification not turned on."),
  resendNotPossible: (username: string) =>
    err(
      "UnsupportedUserStateException",
      `Resend not possible. ${username} status is not FORCE_CHANGE_PASSWORD`,
    ),
  noRecoveryDestination: () =>
    err(
      "InvalidParameterException",
      "Cannot reset password for the user as there is no registered/verified email or phone_number",
    ),
  cannotResetPassword: () =>
    err("NotAuthorizedException", "User password cannot be reset in the current state."),
  filterParse: () => err("InvalidParameterException", "Error while parsing filter"),
  invalidSearchAttribute: (name: string) =>
    err("InvalidParameterException", `Invalid search attribute: ${name}`),
  secretHashMissing: (clientId: string) =>
    err(
      "NotAuthorizedException",
      `Client ${clientId} is configured with secret but SECRET_HASH was not received`,
    ),
  secretHashMismatch: (clientId: string) =>
    err("NotAuthorizedException", `Unable to verify secret hash for client ${clientId}`),

  // sign-in (AdminInitiateAuth, InitiateAuth, the respond operations)
  initiateAuthMethodNotSupported: () =>
    err("InvalidParameterException", "Initiate Auth method not supported."),
  /** A flow the client's ExplicitAuthFlows do not allow; AWS words it differently per flow. */
  adminPasswordFlowNotEnabled: () =>
    err("InvalidParameterException", "Auth flow not enabled for this client"),
  userPasswordFlowNotEnabled: () =>
    err("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"),
  userSrpFlowNotEnabled: () =>
    err("InvalidParameterException", "USER_SRP_AUTH is not enabled for the client."),
  customAuthFlowNotEnabled: () =>
    err("InvalidParameterException", "CUSTOM_AUTH is not enabled for the client."),
  refreshTokenFlowNotEnabled: () =>
    err("InvalidParameterException", "Refresh Token auth flow not enabled for this client"),
  userAuthFlowNotEnabled: () =>
    err("InvalidParameterException", "USER_AUTH flow not enabled for this client"),
  refreshTokenRotationEnabled: () =>
    err(
      "NotAuthorizedException",
      "Refresh token rotation is enabled for this client; use GetTokensFromRefreshToken.",
    ),
  missingParameter: (name: string) => err("InvalidParameterException", `Missing required parameter ${name}`),
  /** ContextData.IpAddress / UserContextData.IpAddress that is not an IPv4 or IPv6 address. */
  invalidContextIpAddress: (path: string) =>
    err(
      "InvalidParameterException",
      `1 validation error detected: Value at '${path}' failed to satisfy constraint: Member must be a valid IPv4 or IPv6 address`,
    ),
  incorrectUsernameOrPassword: () => err("NotAuthorizedException", "Incorrect username or password."),
  userDisabled: () => err("NotAuthorizedException", "User is disabled."),
  userNotConfirmed: () => err("UserNotConfirmedException", "User is not confirmed."),
  passwordResetRequired: () => err("PasswordResetRequiredException", "Password reset required for the user"),
  temporaryPasswordExpired: () =>
    err("NotAuthorizedException", "Temporary password has expired and must be reset by an administrator."),
  passwordAttemptsExceeded: () => err("NotAuthorizedException", "Password attempts exceeded"),
  sessionInvalid: () => err("NotAuthorizedException", "Invalid session for the user."),
  sessionExpired: () => err("NotAuthorizedException", "Invalid session for the user, session is expired."),
  sessionReused: () =>
    err("NotAuthorizedException", "Invalid session for the user, session can only be used once."),
  challengeNameMismatch: (expected: string) =>
    err("InvalidParameterException", `Invalid challenge name for the current session: expected ${expected}.`),
  challengeNotAnswerable: (name: string) =>
    err("InvalidParameterException", `${name} is not a challenge that can be answered.`),
  requiredAttributeMissing: (name: string) =>
    err("InvalidParameterException", `Invalid attributes given, ${name} is missing`),
  requiredAttributeAlreadyProvided: (name: string) =>
    err("NotAuthorizedException", `Cannot modify an already provided ${name}`),

  // user pools and their schema
  deletionProtected: () =>
    err(
      "InvalidParameterException",
      "The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.",
    ),
  usernameAndAliasAttributes: () =>
    err(
      "InvalidParameterException",
      "Only one of the aliasAttributes or usernameAttributes can be set in a User pool.",
    ),
  /** `given` is the name as asked (custom:x), `existing` the schema's (custom:x or dev:custom:x). */
  attributeExists: (given: string, existing: string) =>
    err("InvalidParameterException", `${given}: Existing attribute already has name ${existing}.`),
  tooManyCustomAttributes: (max: number) =>
    err("InvalidParameterException", `A user pool can have at most ${max} custom attributes.`),
  requiredCustomAttribute: () =>
    err("InvalidParameterException", "Required custom attributes are not supported currently."),
  missingAttributeDataType: () =>
    err(
      "InvalidParameterException",
      "Invalid AttributeDataType input, consider using the provided AttributeDataType enum.",
    ),
  standardAttributeChange: (name: string) =>
    err(
      "InvalidParameterException",
      `You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute ${name}`,
    ),
  invalidSchemaConstraint: (constraint: string, name: string) =>
    err("InvalidParameterException", `Invalid ${constraint} for schema attribute ${name}`),
  stringAttributeTooLong: (name: string) =>
    err(
      "InvalidParameterException",
      `user.${name}: String attributes cannot have a length of more than 2048`,
    ),
  stringAttributeMaxBelowMin: (name: string) =>
    err("InvalidParameterException", `user.${name}: Max length cannot be less than min length.`),
  numberAttributeMaxBelowMin: (name: string) =>
    err("InvalidParameterException", `user.${name}: Max value cannot be less than min value.`),
  invalidPaginationToken: () => err("InvalidParameterException", "Invalid pagination token."),

  // app clients
  legacyAndNewAuthFlows: () =>
    err(
      "InvalidParameterException",
      "The legacy ExplicitAuthFlows values ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH can't be combined with ALLOW_ values.",
    ),
  refreshTokenAuthRequired: () =>
    err("InvalidParameterException", "REFRESH_TOKEN_AUTH should always be allowed."),
  invalidTokenValidity: () => err("InvalidParameterException", "Invalid range for token validity."),
  /** `action` is "creating" or "updating". */
  invalidReadAttributes: (action: string) =>
    err("InvalidParameterException", `Invalid read attributes specified while ${action} a client`),
  invalidWriteAttributes: (action: string) =>
    err("InvalidParameterException", `Invalid write attributes specified while ${action} a client`),
  contextDataNeedsSecret: () =>
    err(
      "InvalidParameterException",
      "EnablePropagateAdditionalUserContextData can only be enabled for a client with a client secret.",
    ),

  // tokens (TOKENS.md §3.1, §5)
  invalidRefreshToken: () => err("NotAuthorizedException", "Invalid Refresh Token."),
  refreshTokenExpired: () => err("NotAuthorizedException", "Refresh Token has expired"),
  refreshTokenRevoked: () => err("NotAuthorizedException", "Refresh Token has been revoked"),
  refreshTokenReused: () => err("RefreshTokenReuseException", "Refresh Token has already been used"),
  accessTokenExpired: () => err("NotAuthorizedException", "Access Token has expired"),
  accessTokenRevoked: () => err("NotAuthorizedException", "Access Token has been revoked"),
  invalidAccessToken: () => err("NotAuthorizedException", "Invalid Access Token"),
  accessTokenScope: () => err("NotAuthorizedException", "Access Token does not have required scopes"),
  tokenRevocationDisabled: () =>
    err("UnsupportedOperationException", "Token revocation is not enabled for this client."),
  unsupportedTokenType: () => err("UnsupportedTokenTypeException", "Only refresh tokens can be revoked."),
  revokeTokenOtherClient: () =>
    err("UnauthorizedException", "The refresh token was not issued to this client."),
  revokeClientSecretInvalid: (clientId: string) =>
    err("UnauthorizedException", `Unable to verify client secret for client ${clientId}`),
  clientSecretMissing: (clientId: string) =>
    err(
      "NotAuthorizedException",
      `Client ${clientId} is configured with secret but ClientSecret was not received`,
    ),
  clientSecretMismatch: (clientId: string) =>
    err("NotAuthorizedException", `Client secret does not match for the client: ${clientId}`),
  missingPreviousPassword: () =>
    err(
      "InvalidParameterException",
      "1 validation error detected: Value null at 'previousPassword' failed to satisfy constraint: Member must not be null",
    ),
  attributeNotVerifiable: (name: string) =>
    err(
      "InvalidParameterException",
      `Attribute ${name} cannot be verified: only email and phone_number can.`,
    ),

  // SRP sign-in and remembered devices (CHALLENGES.md §4, §5; ADMIN_INITIATE_AUTH.md §9)
  /** SRP_A that is not hexadecimal, or is 0 mod N [message UNDOC]. */
  invalidSrpA: () => err("InvalidParameterException", "Invalid SRP_A value."),
  srpTimestampFormat: () =>
    err("InvalidParameterException", "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."),
  /** A TIMESTAMP further from the server's clock than the configured skew [UNDOC]. */
  srpTimestampSkew: () => err("NotAuthorizedException", "TIMESTAMP is too far from the server's time."),
  /** Unknown, forgotten or unconfirmed devices: clients drop their device on "device" in this message. */
  deviceNotFound: () => err("ResourceNotFoundException", "Device does not exist."),
  deviceAlreadyConfirmed: () => err("DeviceKeyExistsException", "Device key already exists."),
  /** ConfirmDevice without a usable verifier and salt [message UNDOC]. */
  deviceVerifierInvalid: () =>
    err(
      "InvalidParameterException",
      "DeviceSecretVerifierConfig must hold a base64 PasswordVerifier and Salt.",
    ),

  // multi-factor authentication and message delivery (ADMIN_INITIATE_AUTH.md §12, CHALLENGES.md §3.3–§3.6)
  mfaOffWithFactors: () =>
    err(
      "InvalidParameterException",
      "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.",
    ),
  mfaWithoutFactor: () =>
    err(
      "InvalidParameterException",
      "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled.",
    ),
  /** [UNDOC message] */
  emailMfaUnavailableInTier: () =>
    err("FeatureUnavailableInTierException", "Email MFA is not available in the LITE tier of user pools."),
  /** [UNDOC message] */
  emailMfaNeedsDeveloperEmail: () =>
    err(
      "InvalidParameterException",
      "Email MFA requires the user pool to send email with Amazon SES: EmailConfiguration.EmailSendingAccount must be DEVELOPER.",
    ),
  /** [UNDOC message] */
  smsMfaNeedsSmsConfiguration: () =>
    err("InvalidParameterException", "SMS MFA requires an SmsConfiguration for the user pool."),
  /** `factor`: SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP [OBS for SOFTWARE_TOKEN_MFA]. */
  mfaFactorNotConfigured: (factor: string) =>
    err("InvalidParameterException", `User does not have delivery config set to turn on ${factor}`),
  /** [UNDOC message] */
  mfaPreferredNotEnabled: (factor: string) =>
    err("InvalidParameterException", `${factor} must be enabled to be the preferred MFA method.`),
  /** [UNDOC message] */
  mfaSeveralPreferred: () =>
    err("InvalidParameterException", "Only one MFA method can be the preferred one."),
  /** SetUserSettings / AdminSetUserSettings [UNDOC message]. */
  mfaOptionsSmsOnly: () =>
    err("InvalidParameterException", "MFAOptions can only set SMS delivery to the phone_number attribute."),
  softwareTokenMfaNotEnabled: () =>
    err("SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool"),
  /** VerifySoftwareToken before AssociateSoftwareToken [UNDOC message]. */
  softwareTokenNotAssociated: () =>
    err("SoftwareTokenMFANotFoundException", "No software token has been associated with the user."),
  /** MFA_SETUP answered before the software token was verified with its Session [UNDOC message]. */
  softwareTokenNotVerified: () =>
    err(
      "SoftwareTokenMFANotFoundException",
      "Software token MFA has not been set up: verify a software token with this Session first.",
    ),
  /** A SOFTWARE_TOKEN_MFA challenge for a user whose token is gone [UNDOC message]. */
  softwareTokenMissing: () =>
    err("SoftwareTokenMFANotFoundException", "The user has no software token for MFA."),
  softwareTokenVerifyMismatch: () =>
    err("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA"),
  /** AssociateSoftwareToken / VerifySoftwareToken with neither [UNDOC message]. */
  accessTokenOrSessionRequired: () =>
    err("InvalidParameterException", "Either AccessToken or Session must be given."),
  /** A wrong SMS_MFA code [OBS]. */
  smsMfaCodeMismatch: () => err("CodeMismatchException", "Invalid code received for user"),
  /** A wrong TOTP or email code [OBS]. */
  mfaCodeMismatch: () => err("CodeMismatchException", "Invalid code or auth state for the user."),
  softwareTokenReused: () => err("ExpiredCodeException", "Your software token has already been used once."),
  /** MFA is required and the user has no factor it can use or set up [UNDOC message]. */
  mfaMethodNotFound: () =>
    err("MFAMethodNotFoundException", "The user has no MFA method that the user pool accepts."),
  /** [UNDOC message] */
  mfaTypeNotOffered: (answer: string) =>
    err("InvalidParameterException", `${answer} is not one of the MFA methods the user can choose.`),
  /** MFA_SETUP with EMAIL where email MFA cannot be set up [UNDOC message]. */
  emailMfaSetupNotOffered: () =>
    err("InvalidParameterException", "EMAIL_OTP cannot be set up for this user."),
  /** A configured sender that did not take the message [UNDOC message]. */
  emailDeliveryFailed: (reason: string) =>
    err("InvalidEmailRoleAccessPolicyException", `The email message could not be delivered: ${reason}`),
  smsDeliveryFailed: (reason: string) =>
    err("InvalidSmsRoleAccessPolicyException", `The SMS message could not be delivered: ${reason}`),

  // Lambda triggers (TRIGGERS.md §2.1)
  /** The function returned an error; most observed messages end with a period, a few do not. */
  lambdaFunctionError: (trigger: string, message: string, period: boolean) =>
    err("UserLambdaValidationException", `${trigger} failed with error ${message}${period ? "." : ""}`),
  lambdaOutputNotJson: () =>
    err("InvalidLambdaResponseException", "Invalid lambda function output : Invalid JSON"),
  lambdaOutputUnrecognizable: () => err("InvalidLambdaResponseException", "Unrecognizable lambda output"),
  /** `reason`: the Lambda error code, or why the function did not answer in time. */
  lambdaInvocationFailed: (trigger: string, reason: string) =>
    err("UnexpectedLambdaException", `${trigger} invocation failed due to error ${reason}.`),
  customAuthTriggersMissing: () =>
    err(
      "InvalidUserPoolConfigurationException",
      "Custom auth lambda trigger is not configured for the user pool.",
    ),

  // threat protection (ADMIN_INITIATE_AUTH.md §15; docs/decisions/risk.md)
  /** A sign-in refused by the risk configuration [OBS]. */
  signInBlockedForSecurity: () =>
    err("NotAuthorizedException", "Unable to login because of security reasons."),
  /** A request from an always-blocked IP range [OBS]. */
  requestBlockedForSecurity: () =>
    err("NotAuthorizedException", "Request not allowed due to security reasons."),
  /** A new password found in the breached-password list [OBS]. */
  compromisedPassword: () =>
    err("InvalidPasswordException", "Provided password cannot be used for security reasons."),
  /** `tier`: the pool's UserPoolTier [OBS]. */
  threatProtectionNotInTier: (tier: string) =>
    err(
      "FeatureUnavailableInTierException",
      `The following features need to be disabled for the ${tier} pricing tier configured: Threat Protection`,
    ),
  /** Threat-protection operations on a pool without UserPoolAddOns [message UNDOC]. */
  addOnsNotEnabled: (poolId: string) =>
    err("UserPoolAddOnNotEnabledException", `Threat protection is not enabled for user pool ${poolId}.`),
  /** An entry of BlockedIPRangeList / SkippedIPRangeList that is no CIDR range [message UNDOC]. */
  invalidIpRange: (list: string, value: string) =>
    err("InvalidParameterException", `${list} contains an invalid CIDR range: ${value}`),
  /** An EventId the user has no event under [message UNDOC]. */
  authEventNotFound: () => err("ResourceNotFoundException", "Auth event not found."),
  /** A FeedbackToken that is not the event's [message UNDOC]. */
  feedbackTokenInvalid: () => err("NotAuthorizedException", "Invalid feedback token."),

  // choice-based sign-in and passkeys (ADMIN_INITIATE_AUTH.md §5.5; CHALLENGES.md §3.7, §3.8;
  // docs/decisions/user-auth-and-passkeys.md)
  /** CreateUserPool / UpdateUserPool: a LITE pool allowing a first factor other than the password [OBS]. */
  passwordlessUnavailableInTier: () =>
    err(
      "FeatureUnavailableInTierException",
      "The following features need to be disabled for the LITE pricing tier configured: Passwordless Sign-In",
    ),
  /** USER_AUTH on a LITE pool: worded as the client gate's refusal [UNDOC]. */
  choiceBasedSignInUnavailableInTier: () =>
    err("InvalidParameterException", "USER_AUTH flow not enabled for this client"),
  /** PREFERRED_CHALLENGE naming no first factor [UNDOC]. */
  invalidPreferredChallenge: (value: string) =>
    err(
      "InvalidParameterException",
      `PREFERRED_CHALLENGE must be one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN; got ${value}.`,
    ),
  /** The user has no first factor the pool allows [UNDOC]. */
  noAvailableChallenge: () =>
    err("NotAuthorizedException", "The user has no sign-in method that the user pool allows."),
  /** A SELECT_CHALLENGE ANSWER (or direct answer) that is not among the session's AvailableChallenges [UNDOC]. */
  challengeNotAvailable: (name: string) =>
    err("InvalidParameterException", `${name} is not one of the available challenges of this session.`),
  webAuthnNotEnabled: () => err("WebAuthnNotEnabledException", "WebAuthn is not enabled for the user pool."),
  webAuthnConfigurationMissing: () =>
    err(
      "WebAuthnConfigurationMissingException",
      "The user pool has no relying party ID for passkeys: set WebAuthnConfiguration.RelyingPartyId or add a domain.",
    ),
  webAuthnChallengeNotFound: () =>
    err(
      "WebAuthnChallengeNotFoundException",
      "No passkey registration is in progress for the user, or it has expired.",
    ),
  webAuthnChallengeMismatch: () =>
    err(
      "WebAuthnChallengeNotFoundException",
      "The credential does not answer the passkey registration in progress.",
    ),
  webAuthnClientMismatch: () =>
    err("WebAuthnClientMismatchException", "The passkey registration was started by another app client."),
  webAuthnOriginNotAllowed: (origin: string, relyingPartyId: string) =>
    err(
      "WebAuthnOriginNotAllowedException",
      `The origin ${origin} is not allowed for the relying party ${relyingPartyId}.`,
    ),
  webAuthnRelyingPartyMismatch: (relyingPartyId: string) =>
    err(
      "WebAuthnRelyingPartyMismatchException",
      `The credential was not created for the relying party ${relyingPartyId}.`,
    ),
  webAuthnCredentialNotSupported: () =>
    err(
      "WebAuthnCredentialNotSupportedException",
      "The credential's algorithm or attestation format is not supported: use ES256 or RS256.",
    ),
  webAuthnUserNotVerified: () =>
    err(
      "WebAuthnCredentialNotSupportedException",
      "The authenticator did not verify the user, and the user pool requires user verification.",
    ),
  webAuthnCredentialMalformed: () =>
    err("InvalidParameterException", "The credential is not a valid WebAuthn public key credential."),
  webAuthnCredentialInvalid: () =>
    err("InvalidParameterException", "The credential's attestation could not be verified."),
  passkeyAlreadyRegistered: () => err("InvalidParameterException", "The credential is already registered."),
  passkeyLimitExceeded: (max: number) =>
    err("LimitExceededException", `A user can register at most ${max} passkeys.`),
  passkeyNotFound: () => err("ResourceNotFoundException", "Credential not found."),
  /** A WEB_AUTHN answer with a passkey that is not the user's, for this relying party [UNDOC]. */
  passkeyNotRegistered: () => err("NotAuthorizedException", "The passkey is not registered for the user."),
  /** A WEB_AUTHN answer whose challenge, origin, signature, flags or counter fail [UNDOC]. */
  passkeyVerificationFailed: () => err("NotAuthorizedException", "The passkey could not be verified."),

  // resource servers, client secrets and the app client's OAuth settings (OAUTH.md §4–§6;
  // docs/decisions/oauth-clients.md)
  resourceServerNotFound: (identifier: string) =>
    err("ResourceNotFoundException", `Resource server ${identifier} does not exist.`),
  resourceServerExists: (identifier: string) =>
    err("InvalidParameterException", `A resource server with identifier ${identifier} already exists.`),
  resourceServerLimitExceeded: (max: number) =>
    err("LimitExceededException", `A user pool can have at most ${max} resource servers.`),
  duplicateScopeName: (scopeName: string) =>
    err("InvalidParameterException", `Scope ${scopeName} is defined more than once.`),
  clientNotConfidential: (clientId: string) =>
    err(
      "InvalidParameterException",
      `Client ${clientId} has no client secret: secrets can only be managed for an existing confidential client.`,
    ),
  clientSecretLimitExceeded: (max: number) =>
    err("LimitExceededException", `A client can have at most ${max} client secrets.`),
  lastClientSecret: () =>
    err("InvalidParameterException", "The last client secret of a client cannot be deleted."),
  clientSecretNotFound: (secretId: string) =>
    err("ResourceNotFoundException", `Client secret ${secretId} does not exist.`),
  clientCredentialsWithOtherFlows: () =>
    err(
      "InvalidOAuthFlowException",
      "client_credentials flow can not be selected along with code flow or implicit flow.",
    ),
  clientCredentialsNeedsSecret: () =>
    err(
      "InvalidOAuthFlowException",
      "client_credentials flow can not be selected if client does not have a client secret.",
    ),
  scopeNotForClientCredentials: (scope: string) =>
    err("InvalidOAuthFlowException", `${scope} is not supported with client_credentials flow`),
  callbackUrlsRequired: () =>
    err(
      "InvalidOAuthFlowException",
      "CallbackUrls can not be empty when code flow or implicit flow is selected",
    ),
  scopeDoesNotExist: (scope: string) =>
    err("ScopeDoesNotExistException", `Invalid scope requested: ${scope}`),
  /** `member`: CallbackURLs, LogoutURLs or DefaultRedirectURI. */
  invalidRedirectUrl: (member: string, url: string) =>
    err("InvalidParameterException", `Invalid ${member}: ${url}`),
  identityProviderNotInPool: (provider: string, poolId: string) =>
    err("InvalidParameterException", `The provider ${provider} does not exist for User Pool ${poolId}.`),
  /**
   * SupportedIdentityProviders with an IdP-initiated SAML provider (`saml`) and `other`: COGNITO or a
   * non-SAML provider [DG: not allowed; UNDOC message].
   */
  idpInitiatedClientMix: (saml: string, other: string) =>
    err(
      "InvalidParameterException",
      `The provider ${other} cannot be used with ${saml}: an app client that supports an IdP-initiated SAML provider can support only SAML providers.`,
    ),
  // user pool domains (OAUTH.md §1; docs/decisions/domains-and-branding.md)
  /** A prefix, or a label of a custom domain, outside the model's pattern [OBS]. */
  domainInvalidCharacter: () =>
    err(
      "InvalidParameterException",
      "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$",
    ),
  /** `word`: aws, amazon or cognito [OBS]. */
  domainReservedWord: (word: string) =>
    err("InvalidParameterException", `Domain cannot contain reserved word: ${word}`),
  poolAlreadyHasDomain: () => err("InvalidParameterException", "User pool already has a domain configured."),
  domainTaken: () => err("InvalidParameterException", "Domain already associated with another user pool."),
  customDomainNotSubdomain: () =>
    err(
      "InvalidParameterException",
      "Custom domain is not a valid subdomain: Was not able to resolve a DNS A record for the parent domain or domain parent is a top-level domain.",
    ),
  domainNotFound: () => err("InvalidParameterException", "No such domain or user pool exists."),
  poolHasDomain: () =>
    err(
      "InvalidParameterException",
      "User pool cannot be deleted. It has a domain configured that should be deleted first.",
    ),
  /** [UNDOC message] */
  managedLoginVersionInvalid: (version: number) =>
    err(
      "InvalidParameterException",
      `ManagedLoginVersion ${version} is not supported: use 1 (hosted UI classic) or 2 (managed login).`,
    ),
  /** `tier`: the pool's UserPoolTier [OBS weak]. */
  managedLoginUnavailableInTier: (tier: string) =>
    err(
      "FeatureUnavailableInTierException",
      `The following feature is not available for the ${tier} pricing tier configured: Managed Login Version 2`,
    ),
  /** UpdateUserPoolDomain of a custom domain without CustomDomainConfig [OBS]. */
  customDomainToPrefix: () =>
    err("InvalidParameterException", "Cannot convert custom domain to prefix domain."),
  /** UpdateUserPoolDomain of a prefix domain with CustomDomainConfig [UNDOC message]. */
  prefixDomainToCustom: () =>
    err("InvalidParameterException", "Cannot convert prefix domain to custom domain."),
  // classic hosted UI customization (OAUTH.md §7.2; docs/decisions/domains-and-branding.md)
  /** SetUICustomization on a pool without a domain [OBS]. */
  uiCustomizationNeedsDomain: () =>
    err("InvalidParameterException", "A domain must be associated with this user pool."),
  /** CSS and logo over the request size the developer guide gives (135 KB) [DG]. */
  uiCustomizationTooLarge: () => err("InvalidParameterException", "request parameters too large"),
  /** [UNDOC message] */
  logoNotPngOrJpeg: () => err("InvalidParameterException", "The logo image must be a PNG or JPEG file."),
  /** `max`: in KB [UNDOC message]. */
  logoTooLarge: (max: number) =>
    err("InvalidParameterException", `The logo image must not be larger than ${max} KB.`),
  /** [UNDOC message] */
  cssAtRule: () =>
    err(
      "InvalidParameterException",
      "CSS at-rules such as @import, @media, @supports and @page are not allowed in the UI customization.",
    ),
  /** [UNDOC message] */
  cssScript: () =>
    err("InvalidParameterException", "The UI customization CSS must not contain scripts or markup."),
  /** [UNDOC message] */
  cssSyntax: (detail: string) =>
    err("InvalidParameterException", `The UI customization CSS could not be read: ${detail}.`),
  /** [UNDOC message] */
  cssSelectorNotCustomizable: (selector: string) =>
    err("InvalidParameterException", `The CSS selector ${selector} is not one of the customizable classes.`),
  /** [UNDOC message] */
  cssPropertyNotCustomizable: (property: string, selector: string) =>
    err("InvalidParameterException", `The CSS property ${property} cannot be customized for ${selector}.`),
  // managed-login branding (OAUTH.md §7.1; docs/decisions/domains-and-branding.md)
  /** Members the model leaves optional but an operation needs, worded as the validator words missing ones. */
  membersMissing: (paths: string[]) =>
    Errors.validation(
      paths.map((path) => `Value null at '${path}' failed to satisfy constraint: Member must not be null`),
    ),
  /** [UNDOC message] */
  brandingExists: (clientId: string) =>
    err(
      "ManagedLoginBrandingExistsException",
      `App client ${clientId} already has a managed login branding style.`,
    ),
  /** [UNDOC message] */
  brandingNotFound: (id: string) =>
    err("ResourceNotFoundException", `Managed login branding style ${id} does not exist.`),
  /** [UNDOC message] */
  brandingNotFoundForClient: (clientId: string) =>
    err("ResourceNotFoundException", `App client ${clientId} has no managed login branding style.`),
  /** `max`: styles per pool [DG quotas; message UNDOC]. */
  brandingLimit: (max: number) =>
    err("LimitExceededException", `A user pool can have at most ${max} managed login branding styles.`),
  /** [UNDOC message] */
  cognitoProvidedValuesExclusive: () =>
    err(
      "InvalidParameterException",
      "Settings and Assets must be omitted when UseCognitoProvidedValues is true.",
    ),
  /** [UNDOC message] */
  brandingSettingsNotObject: () => err("InvalidParameterException", "Settings must be a JSON object."),
  /** [UNDOC message] */
  brandingAssetWithoutBytes: (category: string, colorMode: string) =>
    err("InvalidParameterException", `The ${category} asset for color mode ${colorMode} has no Bytes.`),
  /** [UNDOC message] */
  brandingAssetRepeated: (category: string, colorMode: string) =>
    err(
      "InvalidParameterException",
      `Assets can hold one ${category} asset for color mode ${colorMode}; it is given more than once.`,
    ),
  /** [UNDOC message] */
  brandingTooManyAssets: (max: number) =>
    err("InvalidParameterException", `A managed login branding style can have at most ${max} assets.`),
  // terms documents (OAUTH.md §7.3; docs/decisions/domains-and-branding.md)
  /** [UNDOC message] */
  termsExist: (name: string, clientId: string) =>
    err("TermsExistsException", `App client ${clientId} already has a ${name} document.`),
  /** [UNDOC message] */
  termsNotFound: (id: string) => err("ResourceNotFoundException", `Terms document ${id} does not exist.`),
  /** [UNDOC message] */
  termsLinksRequired: () =>
    err("InvalidParameterException", "Links are required for terms whose TermsSource is LINK."),
  // self-service sign-up on the API and on a domain's pages (OAUTH.md §2.2; docs/decisions/managed-login.md)
  /** A pool that lets only administrators create users [OBS]. */
  signUpNotPermitted: () => err("NotAuthorizedException", "SignUp is not permitted for this user pool"),
  // identity providers and linking (FEDERATION.md §1, §4; docs/decisions/federation.md)
  /** [OBS cloudformation-coverage-roadmap#1287] */
  providerExists: (name: string, poolId: string) =>
    err("DuplicateProviderException", `${name} already exists in user pool ${poolId}`),
  /** [UNDOC message] */
  idpIdentifierExists: (identifier: string, poolId: string) =>
    err("DuplicateProviderException", `Identifier ${identifier} already exists in user pool ${poolId}`),
  /** [UNDOC message] */
  identityProviderNotFound: (name: string) =>
    err("ResourceNotFoundException", `Identity provider ${name} does not exist.`),
  /** GetIdentityProviderByIdentifier [UNDOC message]. */
  idpIdentifierNotFound: (identifier: string) =>
    err("ResourceNotFoundException", `No identity provider has the identifier ${identifier}.`),
  /** [DG quotas; message UNDOC] */
  identityProviderLimit: (max: number) =>
    err("LimitExceededException", `A user pool can have at most ${max} identity providers.`),
  /** A social provider named other than its type [OBS aws-cli#3179]. */
  providerNameNotType: (name: string, type: string) =>
    err("InvalidParameterException", `Provider ${name} cannot be of type ${type}.`),
  /** [UNDOC message] */
  providerNameReserved: (name: string) =>
    err("InvalidParameterException", `The provider name ${name} is reserved for the user pool's own users.`),
  /**
   * UpdateIdentityProvider turning IDPInit on while app client `clientId` lists the provider with
   * `other`, COGNITO or a non-SAML provider [UNDOC: refusing it is our choice, and the message].
   */
  idpInitiatedProviderListedWithOthers: (name: string, clientId: string, other: string) =>
    err(
      "InvalidParameterException",
      `IDPInit cannot be enabled for ${name}: app client ${clientId} supports it with ${other}, and an app client that supports an IdP-initiated SAML provider can support only SAML providers.`,
    ),
  /** Update or delete of the pool's own pseudo-provider [UNDOC message]. */
  cognitoProviderUnsupported: (name: string) =>
    err("UnsupportedIdentityProviderException", `${name} is not an identity provider that can be changed.`),
  /** `keys`: the required keys as Cognito lists them [OBS amplify-cli#9384 for the social form]. */
  providerDetailsRequired: (keys: string) =>
    err("InvalidParameterException", `${keys} are all required idp details.`),
  /** [UNDOC message] */
  providerDetailInvalid: (key: string, rule: string) =>
    err("InvalidParameterException", `The idp detail ${key} ${rule}.`),
  /** [UNDOC message] */
  idpUrlInvalid: (key: string, url: string, rule: string) =>
    err("InvalidParameterException", `The idp detail ${key} must be ${rule}: ${url}`),
  /** [UNDOC message] */
  oidcDiscoveryFailed: (url: string, reason: string) =>
    err(
      "InvalidParameterException",
      `Unable to read the OpenID Connect discovery document ${url}: ${reason}.`,
    ),
  /** [OBS terraform-provider-aws#4815] */
  samlMetadataMissing: () =>
    err("InvalidParameterException", "At least one of the MetadataURL or MetadataFile should be provided."),
  /** [UNDOC message] */
  samlMetadataTwice: () =>
    err("InvalidParameterException", "Only one of the MetadataURL or MetadataFile should be provided."),
  /** [OBS aws-data-lake-solution#31] */
  samlMetadataStatus: (status: number, url: string) =>
    err(
      "InvalidParameterException",
      `Non-ok status code ${status} returned from remote metadata source ${url}`,
    ),
  /** [DG] */
  samlMetadataUnreachable: (url: string) =>
    err("InvalidParameterException", `Error retrieving metadata from ${url}`),
  /** Metadata that is not a SAML EntityDescriptor of an identity provider [OBS ory/mocksaml#103, weak]. */
  samlMetadataUnreadable: () => err("InvalidParameterException", "Unable to unmarshall metadata"),
  /** [OBS ssoready/dummyidp#10] */
  samlNoRedirectSso: () =>
    err("InvalidParameterException", "No SingleSignOn Http redirect binding location found in metadata."),
  /** IDPSignout without a logout service to send the request to [UNDOC message]. */
  samlNoRedirectSlo: () =>
    err("InvalidParameterException", "No SingleLogout Http redirect binding location found in metadata."),
  /** [UNDOC message] */
  samlNoSigningCertificate: () =>
    err("InvalidParameterException", "No signing certificate found in metadata."),
  /** [UNDOC message] */
  samlSigningCertificateInvalid: (reason: string) =>
    err("InvalidParameterException", `A signing certificate in metadata ${reason}.`),
  /** Unknown attributes, `sub`, or immutable custom attributes [OBS aws-cli#9729]. */
  attributeMappingInvalid: (names: string[]) =>
    err("InvalidParameterException", `AttributeMapping contains invalid mapping: [${names.join(", ")}]`),
  /** [OBS boto3#4163] */
  cognitoSourceUser: () =>
    err(
      "InvalidParameterException",
      "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser",
    ),
  /** [OBS aws-sdk-net#1000] */
  sourceUserSignedUp: () =>
    err(
      "InvalidParameterException",
      "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link",
    ),
  /** [UNDOC message] */
  sourceUserLinked: () => err("InvalidParameterException", "SourceUser is already linked to DestinationUser"),
  /** A SourceUser or User naming no provider of the pool [UNDOC message]. */
  linkProviderNotFound: (name: string) =>
    err("InvalidParameterException", `Provider ${name} does not exist.`),
  /** [UNDOC message] */
  socialLinkAttribute: (type: string) =>
    err(
      "InvalidParameterException",
      `ProviderAttributeName must be Cognito_Subject for ${type} identity providers.`,
    ),
  /** [UNDOC message] */
  linkAttributeNotMapped: (attribute: string, provider: string) =>
    err(
      "InvalidParameterException",
      `ProviderAttributeName ${attribute} is neither Cognito_Subject nor an attribute that the attribute mapping of ${provider} fills.`,
    ),
  /** [API: the destination's attributes must all be mutable; message UNDOC] */
  linkDestinationImmutable: (attribute: string) =>
    err(
      "InvalidParameterException",
      `The DestinationUser has the immutable attribute ${attribute}: only users whose attributes are all mutable can be linked.`,
    ),
  /** [DG quotas; message UNDOC] */
  linkedIdentitiesLimit: (max: number) =>
    err("LimitExceededException", `A user can have at most ${max} linked identities.`),
  /** [DG; message UNDOC] */
  linkAttributeNamesLimit: (max: number, provider: string) =>
    err(
      "LimitExceededException",
      `The links of ${provider} can use at most ${max} different ProviderAttributeName values.`,
    ),
  /** A federated attribute value longer than a user attribute can hold [DG; message UNDOC]. */
  federatedAttributeTooLong: (name: string, max: number) =>
    err(
      "InvalidParameterException",
      `The value the identity provider gives for ${name} is longer than ${max} characters.`,
    ),
  /** A mapped attribute that is immutable and would change [DG; message UNDOC]. */
  federatedAttributeImmutable: (name: string) =>
    err("InvalidParameterException", `The identity provider would change the immutable attribute ${name}.`),
  // user import jobs (ADMINISTRATION.md §1; docs/decisions/administration.md)
  /** [UNDOC message] */
  importJobNotFound: (jobId: string) =>
    err("ResourceNotFoundException", `Import job ${jobId} does not exist.`),
  /** More than 1,000 jobs in the pool [DG quotas; message UNDOC]. */
  importJobLimitExceeded: (max: number) =>
    err("LimitExceededException", `A user pool can have at most ${max} user import jobs.`),
  /** [UNDOC message] */
  importJobNotCreated: (jobId: string) =>
    err("PreconditionNotMetException", `Job ${jobId} is not in Created status.`),
  /** [UNDOC message] */
  importJobNotActive: (jobId: string) =>
    err("PreconditionNotMetException", `Job ${jobId} is not in Pending or InProgress status.`),
  /** One job at a time per account and Region [DG; message UNDOC]. */
  importJobAlreadyInProgress: () =>
    err("PreconditionNotMetException", "An import job is already in progress."),
  /** [DG rule; message UNDOC] */
  importNeedsAutoVerifiedAttributes: () =>
    err(
      "PreconditionNotMetException",
      "Users can only be imported into a user pool with at least one auto-verified attribute.",
    ),
  /** UpdateUserPool, AddCustomAttributes, DeleteUserPool while a job of the pool runs [message UNDOC]. */
  userImportInProgress: () =>
    err("UserImportInProgressException", "A user import job is in progress for this user pool."),

  // tags (ADMINISTRATION.md §2) [messages UNDOC]
  /** Tag rules broken inside CreateUserPool / UpdateUserPool. */
  userPoolTagging: (message: string) => err("UserPoolTaggingException", message),
  notUserPoolArn: (arn: string) => err("InvalidParameterException", `${arn} is not the ARN of a user pool.`),

  // log delivery (ADMINISTRATION.md §3) [messages UNDOC]
  logEventSourceTwice: (source: string) =>
    err("InvalidParameterException", `LogConfigurations has more than one entry for ${source}.`),
  logDestinationCount: () =>
    err(
      "InvalidParameterException",
      "Each log configuration must have exactly one of CloudWatchLogsConfiguration, S3Configuration and FirehoseConfiguration.",
    ),
  logLevelNotAllowed: (source: string, level: string) =>
    err("InvalidParameterException", `The LogLevel of ${source} must be ${level}.`),
  logDestinationNotAllowed: (source: string) =>
    err("InvalidParameterException", `${source} logs can only be delivered to CloudWatch Logs.`),
  /** `what`: "a CloudWatch Logs log group", "an S3 bucket", "a Firehose stream". */
  logDestinationArn: (arn: string, what: string) =>
    err("InvalidParameterException", `${arn || "(none)"} is not the ARN of ${what}.`),
  /** `tier`: the pool's UserPoolTier, worded as for threat protection [OBS pattern]. */
  authEventLogsNotInTier: (tier: string) =>
    err(
      "FeatureUnavailableInTierException",
      `The following features need to be disabled for the ${tier} pricing tier configured: User Auth Events Log Delivery`,
    ),

  // limits (ADMINISTRATION.md §4, §5)
  /** A per-user hourly limit on codes and passwords [OBS]. */
  attemptLimitExceeded: () =>
    err("LimitExceededException", "Attempt limit exceeded, please try after some time."),
  /** A request-rate quota [OBS]. */
  rateExceeded: () => err("TooManyRequestsException", "Rate exceeded"),
  /** [OBS aws-cli#7151] */
  verificationBeforeUpdateNotAutoVerified: () =>
    err(
      "InvalidParameterException",
      "All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes",
    ),
} as const;
