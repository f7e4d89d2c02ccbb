/**
 * Federation with outside identity providers (FEDERATION.md §5.1): how strictly the URLs Cognate
 * reads at CreateIdentityProvider / UpdateIdentityProvider (OIDC discovery, SAML metadata) are held
 * to Cognito's transport rules.
 */
import { z } from "zod";

export const federationConfigSchema = z
  .strictObject({
    /**
     * Accept `http://` and any port for `oidc_issuer`, the OIDC endpoint URLs and `MetadataURL`,
     * for tests and air-gapped installs. Cognito itself requires HTTPS on port 443 (or 80).
     */
    allowInsecureIdpUrls: z.boolean().default(false),
  })
  .prefault({});

export type FederationConfig = z.infer<typeof federationConfigSchema>;
