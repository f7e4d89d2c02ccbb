/** What every AuthFlow module declares; the engine runs the common gates, then the module's steps. */
import type { CognitoError } from "../../domain/errors.js";
import type { AuthOperation, Step } from "../sign-in.js";

export interface AuthFlowModule {
  /** The initiate operations on which the flow is valid (§4 step 4). */
  readonly operations: readonly Extract<AuthOperation, "AdminInitiateAuth" | "InitiateAuth">[];
  /** Cognito's error when the client's ExplicitAuthFlows do not allow the flow (§6). */
  readonly notEnabled: () => CognitoError;
  /** AuthParameters without which the flow cannot start (§4 step 6). */
  readonly requiredParameters: readonly string[];
  /** The rest of the sign-in, from the client secret on (§4 steps 7–15). */
  readonly steps: readonly Step[];
}

export const BOTH_OPERATIONS = ["AdminInitiateAuth", "InitiateAuth"] as const;
