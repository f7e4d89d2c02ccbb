/**
 * Flows of later issues: they pass the same operation and client gates as Cognito's, then answer
 * that this server does not run them yet (a 400, never a 500).
 */
import type { CognitoError } from "../../domain/errors.js";
import { Errors } from "../../domain/errors.js";
import type { AuthFlowType } from "../../protocol/types.generated.js";
import { type AuthFlowModule, BOTH_OPERATIONS } from "./flow.js";

function notYet(flow: AuthFlowType, notEnabled: () => CognitoError): AuthFlowModule {
  return {
    operations: BOTH_OPERATIONS,
    notEnabled,
    requiredParameters: [],
    steps: [
      () => {
        throw Errors.authFlowNotSupportedYet(flow);
      },
    ],
  };
}

export const userAuthFlow = notYet("USER_AUTH", Errors.userAuthFlowNotEnabled);
