/**
 * ADMIN_USER_PASSWORD_AUTH and its legacy name ADMIN_NO_SRP_AUTH (ADMIN_INITIATE_AUTH.md §5.1):
 * the server-side plaintext-password flow of AdminInitiateAuth.
 */
import { Errors } from "../../domain/errors.js";
import { PASSWORD_SIGN_IN } from "../steps/password-sign-in.js";
import type { AuthFlowModule } from "./flow.js";

export const adminUserPasswordFlow: AuthFlowModule = {
  operations: ["AdminInitiateAuth"],
  notEnabled: Errors.adminPasswordFlowNotEnabled,
  requiredParameters: ["USERNAME", "PASSWORD"],
  steps: PASSWORD_SIGN_IN,
};
