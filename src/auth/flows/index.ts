/** The AuthFlow registry: one module per flow; a legacy name shares its flow's module. */
import type { AuthFlowType } from "../../protocol/types.generated.js";
import { adminUserPasswordFlow } from "./admin-user-password.js";
import { customAuthFlow } from "./custom-auth.js";
import type { AuthFlowModule } from "./flow.js";
import { refreshTokenFlow } from "./refresh-token.js";
import { userAuthFlow } from "./user-auth.js";
import { userPasswordFlow } from "./user-password.js";
import { userSrpFlow } from "./user-srp.js";

/** Typed over the model's enum, so a flow the model adds cannot go without a module. */
const FLOWS: Record<AuthFlowType, AuthFlowModule> = {
  ADMIN_USER_PASSWORD_AUTH: adminUserPasswordFlow,
  ADMIN_NO_SRP_AUTH: adminUserPasswordFlow,
  USER_PASSWORD_AUTH: userPasswordFlow,
  REFRESH_TOKEN_AUTH: refreshTokenFlow,
  REFRESH_TOKEN: refreshTokenFlow,
  USER_SRP_AUTH: userSrpFlow,
  CUSTOM_AUTH: customAuthFlow,
  USER_AUTH: userAuthFlow,
};

export function authFlowModule(flow: AuthFlowType): AuthFlowModule {
  return FLOWS[flow];
}
