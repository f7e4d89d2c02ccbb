/**
 * Trigger events exactly as Cognito sends them (TRIGGERS.md §3–4): the common envelope, the user's
 * attributes as strings, and each trigger's request with its response keys present and unset.
 */
import { poolRegion } from "../domain/pools.js";
import type { PoolRecord, UserRecord } from "../store/records.js";

/** The LambdaConfig member of each trigger; also the name Cognito's error messages use. */
export type TriggerName =
  | "PreSignUp"
  | "CustomMessage"
  | "PostConfirmation"
  | "PreAuthentication"
  | "PostAuthentication"
  | "DefineAuthChallenge"
  | "CreateAuthChallenge"
  | "VerifyAuthChallengeResponse"
  | "PreTokenGeneration"
  | "UserMigration"
  | "InboundFederation";

export type StringMap = Record<string, string>;

export interface TriggerEvent<Request = Record<string, unknown>, Response = Record<string, unknown>> {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Request;
  response: Response;
}

/** Cognito reports this whatever the caller's SDK [OBS]. */
const AWS_SDK_VERSION = "aws-sdk-unknown-unknown";
/** The clientId of events from operations that name no app client (AdminCreateUser, AdminConfirmSignUp) [OBS]. */
export const NO_CLIENT = "CLIENT_ID_NOT_APPLICABLE";

/** Who the event is about and through which app client. */
export interface EventSubject {
  pool: PoolRecord;
  /** The app client of the operation; absent for admin operations without one. */
  clientId?: string;
  /** The user's real username (what the caller typed, for UserMigration and unknown users). */
  userName: string;
}

function envelope<Request, Response>(
  subject: EventSubject,
  triggerSource: string,
  request: Request,
  response: Response,
  version = "1",
): TriggerEvent<Request, Response> {
  return {
    version,
    triggerSource,
    region: poolRegion(subject.pool.id),
    userPoolId: subject.pool.id,
    userName: subject.userName,
    callerContext: { awsSdkVersion: AWS_SDK_VERSION, clientId: subject.clientId ?? NO_CLIENT },
    request,
    response,
  };
}

const ALIAS_MARKERS = { email: "cognito:email_alias", phone_number: "cognito:phone_number_alias" } as const;

/**
 * The user as triggers see them: `sub`, every attribute (all strings), `cognito:user_status`, and
 * for verified email / phone aliases the `cognito:*_alias` markers [DG examples][OBS].
 */
export function eventUserAttributes(pool: PoolRecord, user: UserRecord): StringMap {
  const attributes: StringMap = { sub: user.sub, ...user.attributes, "cognito:user_status": user.status };
  for (const alias of pool.config.AliasAttributes ?? []) {
    if (alias !== "email" && alias !== "phone_number") continue;
    const value = user.attributes[alias];
    if (value && user.attributes[`${alias}_verified`] === "true") attributes[ALIAS_MARKERS[alias]] = value;
  }
  return attributes;
}

// ---------------------------------------------------------------------------------------------
// Sign-up and confirmation

export type PreSignUpSource = "PreSignUp_SignUp" | "PreSignUp_AdminCreateUser" | "PreSignUp_ExternalProvider";

/** `userAttributes` are the attributes given (the user does not exist yet): no sub, no status. */
export function preSignUpEvent(
  subject: EventSubject,
  source: PreSignUpSource,
  request: { userAttributes: StringMap; validationData: StringMap | null; clientMetadata: StringMap },
) {
  return envelope(subject, source, request, {
    autoConfirmUser: false,
    autoVerifyEmail: false,
    autoVerifyPhone: false,
  });
}

export type PostConfirmationSource =
  | "PostConfirmation_ConfirmSignUp"
  | "PostConfirmation_ConfirmForgotPassword";

export function postConfirmationEvent(
  subject: EventSubject,
  source: PostConfirmationSource,
  request: { userAttributes: StringMap; clientMetadata: StringMap },
) {
  return envelope(subject, source, request, {});
}

// ---------------------------------------------------------------------------------------------
// Messages

export type CustomMessageSource =
  | "CustomMessage_SignUp"
  | "CustomMessage_AdminCreateUser"
  | "CustomMessage_ResendCode"
  | "CustomMessage_ForgotPassword"
  | "CustomMessage_UpdateUserAttribute"
  | "CustomMessage_VerifyUserAttribute"
  | "CustomMessage_Authentication";

/** The placeholders a custom message must keep; Cognito puts the code and username in after. */
export const CODE_PARAMETER = "{####}";
export const USERNAME_PARAMETER = "{username}";
/** Every source gets it [OBS]; it becomes a link only in a sign-up message sent as a link. */
const LINK_PARAMETER = "{##Click Here##}";
/** A link placeholder `{##title##}` (EmailMessageByLink's pattern [API]); the code's `{####}` is none. */
export const LINK_PLACEHOLDER = /\{##(?!##\})([\s\S]*?)##\}/g;

export function customMessageEvent(
  subject: EventSubject,
  source: CustomMessageSource,
  request: { userAttributes: StringMap; clientMetadata: StringMap },
) {
  return envelope(
    subject,
    source,
    {
      ...request,
      codeParameter: CODE_PARAMETER,
      linkParameter: LINK_PARAMETER,
      // Only an invitation carries the username as a parameter [DG].
      usernameParameter: source === "CustomMessage_AdminCreateUser" ? USERNAME_PARAMETER : null,
    },
    { smsMessage: null, emailMessage: null, emailSubject: null },
  );
}

// ---------------------------------------------------------------------------------------------
// Sign-in

/** `userNotFound` is sent only to clients that hide user existence (PreventUserExistenceErrors=ENABLED). */
export type UserNotFoundFlag = { userNotFound?: boolean };

export function preAuthenticationEvent(
  subject: EventSubject,
  request: { userAttributes: StringMap; validationData: StringMap | null } & UserNotFoundFlag,
) {
  return envelope(subject, "PreAuthentication_Authentication", request, {});
}

export function postAuthenticationEvent(
  subject: EventSubject,
  request: { userAttributes: StringMap; newDeviceUsed: boolean; clientMetadata: StringMap },
) {
  return envelope(subject, "PostAuthentication_Authentication", request, {});
}

export type UserMigrationSource = "UserMigration_Authentication" | "UserMigration_ForgotPassword";

/** `userName` is what the caller typed; the password only in the sign-in variant. */
export function userMigrationEvent(
  subject: EventSubject,
  source: UserMigrationSource,
  request: { password?: string; validationData: StringMap | null; clientMetadata: StringMap },
) {
  return envelope(subject, source, request, {
    userAttributes: null,
    forceAliasCreation: null,
    enableSMSMFA: null,
    finalUserStatus: null,
    messageAction: null,
    desiredDeliveryMediums: null,
  });
}

// ---------------------------------------------------------------------------------------------
// Custom authentication

/** One entry of the custom-auth history the define and create functions see. */
export interface ChallengeResult {
  challengeName: string;
  challengeResult: boolean;
  challengeMetadata: string | null;
}

type ChallengeRequest = { userAttributes: StringMap; clientMetadata: StringMap } & UserNotFoundFlag;

export function defineAuthChallengeEvent(
  subject: EventSubject,
  request: ChallengeRequest & { session: ChallengeResult[] },
) {
  return envelope(subject, "DefineAuthChallenge_Authentication", request, {
    challengeName: null,
    issueTokens: null,
    failAuthentication: null,
  });
}

export function createAuthChallengeEvent(
  subject: EventSubject,
  request: ChallengeRequest & { session: ChallengeResult[] },
) {
  return envelope(
    subject,
    "CreateAuthChallenge_Authentication",
    { ...request, challengeName: "CUSTOM_CHALLENGE" },
    { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  );
}

export function verifyAuthChallengeEvent(
  subject: EventSubject,
  request: ChallengeRequest & { privateChallengeParameters: StringMap; challengeAnswer: string },
) {
  return envelope(subject, "VerifyAuthChallenge_Authentication", request, { answerCorrect: null });
}

// ---------------------------------------------------------------------------------------------
// Pre token generation

export type TokenGenerationSource =
  | "TokenGeneration_Authentication"
  | "TokenGeneration_NewPasswordChallenge"
  | "TokenGeneration_AuthenticateDevice"
  | "TokenGeneration_RefreshTokens"
  | "TokenGeneration_HostedAuth"
  | "TokenGeneration_ClientCredentials";

export type PreTokenVersion = "V1_0" | "V2_0" | "V3_0";

export interface GroupConfiguration {
  groupsToOverride: string[];
  iamRolesToOverride: string[];
  preferredRole: string | null;
}

/** V1 changes the ID token; V2 and V3 also the access token and its scopes, and say which scopes it has. */
/**
 * The V3_0 event of a `client_credentials` grant (OAUTH.md §5.2): the app client, no user — no
 * `userName`, `userAttributes` and groups empty [UNDOC: the empty fields] — the granted scopes and
 * the token request's `aws_client_metadata`.
 */
export function clientCredentialsTokenEvent(
  pool: PoolRecord,
  clientId: string,
  request: { scopes: string[]; clientMetadata: StringMap },
): Omit<TriggerEvent, "userName"> {
  const { userName: _noUser, ...event } = envelope(
    { pool, clientId, userName: "" },
    "TokenGeneration_ClientCredentials",
    {
      userAttributes: {},
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
      scopes: request.scopes,
      clientMetadata: request.clientMetadata,
    },
    { claimsAndScopeOverrideDetails: null },
    "3",
  );
  return event;
}

export function preTokenGenerationEvent(
  subject: EventSubject,
  source: TokenGenerationSource,
  version: PreTokenVersion,
  request: {
    userAttributes: StringMap;
    groupConfiguration: GroupConfiguration;
    clientMetadata: StringMap;
    scopes: string[];
  },
) {
  if (version === "V1_0") {
    const { scopes: _scopes, ...v1 } = request;
    return envelope(subject, source, v1, { claimsOverrideDetails: null }, "1");
  }
  return envelope(
    subject,
    source,
    request,
    { claimsAndScopeOverrideDetails: null },
    version === "V2_0" ? "2" : "3",
  );
}

// ---------------------------------------------------------------------------------------------
// Federated sign-in

/** What the provider answered, as the inbound federation function reads it [SDK @types/aws-lambda]. */
export interface ProviderAnswer {
  /** OIDC and social providers: the token endpoint's answer, the ID token's claims, userInfo. */
  tokenResponse?: StringMap;
  idToken?: StringMap;
  userInfo?: StringMap;
  /** SAML providers: the assertion's attributes. */
  samlResponse?: StringMap;
}

export function inboundFederationEvent(
  subject: EventSubject,
  request: { providerName: string; providerType: string; attributes: ProviderAnswer },
) {
  return envelope(subject, "InboundFederation_ExternalProvider", request, { userAttributesToMap: {} });
}
