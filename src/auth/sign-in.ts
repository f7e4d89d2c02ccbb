/**
 * The state one sign-in request carries through the engine's steps, and what a step may end it
 * with: tokens, or a challenge for the client to answer.
 */

import type { Connection } from "../domain/client-context.js";
import type { TokenCustomization } from "../domain/token-customization.js";
import type { OAuthGrant } from "../domain/tokens.js";
import type {
  AnalyticsMetadataType,
  AuthenticationResultType,
  AuthFlowType,
  ChallengeNameType,
  ContextDataType,
  UserContextDataType,
} from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import type { AuthSessionRecord } from "../store/auth-sessions.js";
import type { DeviceRecord } from "../store/devices.js";
import type { LockoutRecord } from "../store/lockouts.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../store/records.js";
import type { RefreshTokenRecord } from "../store/refresh-tokens.js";
import type { ChallengeResult } from "../triggers/events.js";
import type { ThreatState } from "./threat.js";

/** Which of the four sign-in operations is running: the admin ones are IAM-authorized and name the pool. */
export type AuthOperation =
  | "AdminInitiateAuth"
  | "InitiateAuth"
  | "AdminRespondToAuthChallenge"
  | "RespondToAuthChallenge";

/** The request members the engine reads, common to the four operations. */
export interface SignInRequest {
  operation: AuthOperation;
  /** Only the admin operations name the pool; the public ones take it from the client. */
  userPoolId?: string;
  clientId: string;
  /** AuthParameters (initiate) or ChallengeResponses (respond); JSON nulls already dropped. */
  parameters: Record<string, string>;
  session?: string;
  /** Accepted now and recorded for the triggers of later issues. */
  clientMetadata?: Record<string, string>;
  analyticsMetadata?: AnalyticsMetadataType;
  contextData?: ContextDataType;
  userContextData?: UserContextDataType;
  /** The connection the request came on (the end user's own, on the public operations). */
  connection?: Connection;
  /**
   * Set when a domain's sign-in page runs the sign-in (OAUTH.md §2.3): the client's
   * ExplicitAuthFlows do not apply, and the tokens carry the grant's scopes and nonce.
   */
  hosted?: OAuthGrant;
}

export interface SignIn {
  services: Services;
  now: Date;
  request: SignInRequest;
  pool: PoolRecord;
  client: ClientRecord;
  /** The flow that started this sign-in (kept in the session across challenges). */
  authFlow?: AuthFlowType;
  /** The user, once resolved. */
  user?: UserRecord;
  /** The user's failed-password counter as the lockout gate read it. */
  lockout?: LockoutRecord;
  /** The refresh token presented (refresh flows). */
  refreshToken?: RefreshTokenRecord;
  /** The session being answered (respond operations). */
  session?: AuthSessionRecord;
  /** When the user proved the first factor; the tokens' auth_time. */
  authTime?: Date;
  /** The user's confirmed device the sign-in presented (DEVICE_KEY), once looked up. */
  device?: DeviceRecord;
  /** Threat protection's state of this sign-in (its event, risk and actions); absent when it is off. */
  threat?: ThreatState;
  /** CUSTOM_AUTH: the challenges passed so far and their results, as DefineAuthChallenge sees them. */
  customAuthHistory?: ChallengeResult[];
  /** What the PreTokenGeneration trigger changes in the tokens to be issued. */
  tokenCustomization?: TokenCustomization;
}

export type AuthOutcome =
  | {
      kind: "tokens";
      result: AuthenticationResultType;
      /** Who signed in, and when the first factor was proven (a domain's sign-in page starts its browser session with them). */
      signedIn?: { user: UserRecord; authTime: Date };
    }
  | {
      kind: "challenge";
      challengeName: ChallengeNameType;
      challengeParameters: Record<string, string>;
      session?: string;
      /** USER_AUTH on (Admin)InitiateAuth: the first factors the user may choose from. */
      availableChallenges?: ChallengeNameType[];
    };

/** One named step of the pipeline: it checks or enriches the sign-in, or ends it with an outcome. */
export type Step = (signIn: SignIn) => Promise<AuthOutcome | undefined> | AuthOutcome | undefined;

/** Runs steps in order until one returns an outcome. */
export async function runSteps(steps: readonly Step[], signIn: SignIn): Promise<AuthOutcome> {
  for (const step of steps) {
    const outcome = await step(signIn);
    if (outcome) return outcome;
  }
  throw new Error("sign-in pipeline ended without an outcome");
}

/** The resolved user; a step that needs one runs after resolve-user, so absence is a wiring bug. */
export function resolvedUser(signIn: SignIn): UserRecord {
  if (!signIn.user) throw new Error("sign-in step ran before the user was resolved");
  return signIn.user;
}
