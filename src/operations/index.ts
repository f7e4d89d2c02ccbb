/** Every implemented operation, by name. Operations not listed answer "not implemented". */
import { authHandlers } from "./auth.js";
import { clientHandlers } from "./clients.js";
import { deviceHandlers } from "./devices.js";
import { groupHandlers } from "./groups.js";
import { logDeliveryHandlers } from "./log-delivery.js";
import { mfaHandlers } from "./mfa.js";
import { poolHandlers } from "./pools.js";
import { riskHandlers } from "./risk.js";
import { selfServiceHandlers } from "./self-service.js";
import { signUpHandlers } from "./signup.js";
import { tagHandlers } from "./tags.js";
import { tokenHandlers } from "./tokens.js";
import type { HandlerTable } from "./types.js";
import { userImportHandlers } from "./user-import.js";
import { userHandlers } from "./users.js";
import { webAuthnHandlers } from "./webauthn.js";

export const handlers: HandlerTable = {
  ...poolHandlers,
  ...riskHandlers,
  ...clientHandlers,
  ...userHandlers,
  ...signUpHandlers,
  ...groupHandlers,
  ...authHandlers,
  ...tokenHandlers,
  ...selfServiceHandlers,
  ...deviceHandlers,
  ...mfaHandlers,
  ...webAuthnHandlers,
  ...userImportHandlers,
  ...tagHandlers,
  ...logDeliveryHandlers,
};
