/** Every operation of the model, by name: the type checker refuses a table that misses one. */
import { authHandlers } from "./auth.js";
import { brandingHandlers } from "./branding.js";
import { clientSecretHandlers } from "./client-secrets.js";
import { clientHandlers } from "./clients.js";
import { deviceHandlers } from "./devices.js";
import { domainHandlers } from "./domains.js";
import { groupHandlers } from "./groups.js";
import { identityLinkHandlers } from "./identity-links.js";
import { identityProviderHandlers } from "./identity-providers.js";
import { logDeliveryHandlers } from "./log-delivery.js";
import { mfaHandlers } from "./mfa.js";
import { poolHandlers } from "./pools.js";
import { resourceServerHandlers } from "./resource-servers.js";
import { riskHandlers } from "./risk.js";
import { selfServiceHandlers } from "./self-service.js";
import { signUpHandlers } from "./signup.js";
import { tagHandlers } from "./tags.js";
import { termsHandlers } from "./terms.js";
import { tokenHandlers } from "./tokens.js";
import type { CompleteHandlerTable } from "./types.js";
import { uiCustomizationHandlers } from "./ui-customization.js";
import { userImportHandlers } from "./user-import.js";
import { userHandlers } from "./users.js";
import { webAuthnHandlers } from "./webauthn.js";

export const handlers: CompleteHandlerTable = {
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
  ...resourceServerHandlers,
  ...clientSecretHandlers,
  ...domainHandlers,
  ...uiCustomizationHandlers,
  ...brandingHandlers,
  ...termsHandlers,
  ...identityProviderHandlers,
  ...identityLinkHandlers,
  ...userImportHandlers,
  ...tagHandlers,
  ...logDeliveryHandlers,
};
