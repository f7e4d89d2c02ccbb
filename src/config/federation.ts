/**
 * Federation with outside identity providers (FEDERATION.md §5.1): how strictly the URLs Cognate
 * reads at CreateIdentityProvider / UpdateIdentityProvider (OIDC discovery, SAML metadata) are held
 * to Cognito's transport rules, where the social providers' endpoints are at sign-in, and the
 * limits of a round trip to a provider.
 */
import { z } from "zod";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

/**
 * Where a social provider's outside endpoints are, instead of the provider's own (Describe keeps
 * showing those): for tests and air-gapped installs.
 */
const endpointOverride = z.strictObject({
  authorize_url: httpUrl.optional(),
  token_url: httpUrl.optional(),
  attributes_url: httpUrl.optional(),
  jwks_uri: httpUrl.optional(),
  /** The `iss` of the provider's ID tokens (Google, Sign in with Apple). */
  issuer: z.string().min(1).optional(),
});

export type EndpointOverride = z.infer<typeof endpointOverride>;

export const federationConfigSchema = z
  .strictObject({
    /**
     * Accept `http://` and any port for `oidc_issuer`, the OIDC endpoint URLs and `MetadataURL`,
     * for tests and air-gapped installs. Cognito itself requires HTTPS on port 443 (or 80).
     */
    allowInsecureIdpUrls: z.boolean().default(false),
    /** By social provider type: the endpoints sign-in uses. */
    providerEndpointOverrides: z
      .strictObject({
        Google: endpointOverride.optional(),
        Facebook: endpointOverride.optional(),
        LoginWithAmazon: endpointOverride.optional(),
        SignInWithApple: endpointOverride.optional(),
      })
      .default({}),
    /** Clock skew allowed in the time checks of ID tokens and SAML assertions. */
    clockSkewSeconds: z.number().int().min(0).max(600).default(60),
    /** How long a round trip to a provider may take, from the redirect to its answer [DG: 5 minutes]. */
    stateTtlSeconds: z.number().int().min(30).max(3600).default(300),
  })
  .prefault({});

export type FederationConfig = z.infer<typeof federationConfigSchema>;
