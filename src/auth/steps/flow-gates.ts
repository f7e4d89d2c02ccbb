/** Steps 4–5: the AuthFlow must be valid for the operation, and allowed by the client. */
import { authFlowAllowed } from "../../domain/clients.js";
import { Errors } from "../../domain/errors.js";
import type { AuthFlowType } from "../../protocol/types.generated.js";
import type { ClientRecord } from "../../store/records.js";
import type { AuthFlowModule } from "../flows/flow.js";
import type { AuthOperation } from "../sign-in.js";

/** `USER_PASSWORD_AUTH` is InitiateAuth's, the `ADMIN_*` password flows AdminInitiateAuth's. */
export function checkFlowForOperation(flow: AuthFlowModule, operation: AuthOperation): void {
  if (!(flow.operations as readonly AuthOperation[]).includes(operation)) {
    throw Errors.initiateAuthMethodNotSupported();
  }
}

export function checkFlowEnabled(flow: AuthFlowModule, client: ClientRecord, authFlow: AuthFlowType): void {
  if (!authFlowAllowed(client, authFlow)) throw flow.notEnabled();
}
