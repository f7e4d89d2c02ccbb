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

const err = (type: ErrorName, message: string) => new CognitoError(type, message);

/** The catalogue. Add a message here before using it anywhere. */
export const Errors = {
  // protocol
  unknownOperation: (target: string) =>
    err("UnknownOperationException", target ? `Unknown operation ${target}` : "Missing X-Amz-Target header"),
  serialization: (message: string) => err("SerializationException", message),
  notImplemented: (operation: string) =>
    err("InvalidParameterException", `${operation} is not implemented by this server yet.`),
  internal: () => err("InternalErrorException", "An internal error occurred."),
  missingAuthentication: () => err("MissingAuthenticationTokenException", "Missing Authentication Token"),
  unrecognizedClient: () =>
    err("UnrecognizedClientException", "The security token included in the request is invalid."),
  invalidSignature: () =>
    err(
      "InvalidSignatureException",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    ),
  incompleteSignature: (detail: string) => err("IncompleteSignatureException", detail),
  signatureExpired: () =>
    err("InvalidSignatureException", "Signature expired: the request time is too far from the server time."),
  validation: (violations: string[]) =>
    err(
      "InvalidParameterException",
      `${violations.length} validation error${violations.length === 1 ? "" : "s"} detected: ${violations.join("; ")}`,
    ),
  invalidParameter: (message: string) => err("InvalidParameterException", message),

  // resources
  poolNotFound: (poolId: string) => err("ResourceNotFoundException", `User pool ${poolId} does not exist.`),
  clientNotFound: (clientId: string) =>
    err("ResourceNotFoundException", `User pool client ${clientId} does not exist.`),
  groupNotFound: () => err("ResourceNotFoundException", "Group not found."),
  groupExists: (group: string) =>
    err("GroupExistsException", `A group with the name ${group} already exists.`),
  userNotFound: () => err("UserNotFoundException", "User does not exist."),
  usernameExists: () => err("UsernameExistsException", "User account already exists"),
  aliasExists: () => err("AliasExistsException", "An account with the given email already exists."),

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
  authFlowNotSupportedYet: (flow: string) =>
    err("InvalidParameterException", `The ${flow} auth flow is not supported by this server yet.`),
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
  challengeNotSupportedYet: (name: string) =>
    err("InvalidParameterException", `The ${name} challenge is not supported by this server yet.`),
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
    err("InvalidParameterException", `user.${name}: String attributes cannot have a length of more than 2048`),
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
} as const;
