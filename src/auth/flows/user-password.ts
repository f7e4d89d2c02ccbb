/** USER_PASSWORD_AUTH (ADMIN_INITIATE_AUTH.md §5.7): the same plaintext-password flow, on InitiateAuth. */
import { Errors } from "../../domain/errors.js";
import { PASSWORD_SIGN_IN } from "../steps/password-sign-in.js";
import type { AuthFlowModule } from "./flow.js";

export const userPasswordFlow: AuthFlowModule = {
  operations: ["InitiateAuth"],
  notEnabled: Errors.userPasswordFlowNotEnabled,
  requiredParameters: ["USERNAME", "PASSWORD"],
  steps: PASSWORD_SIGN_IN,
};
