/** The app client's OAuth settings as the endpoints read them (OAUTH.md §4). */
import type { OAuthFlowType } from "../protocol/types.generated.js";
import type { ClientRecord } from "../store/records.js";

export const COGNITO_PROVIDER = "COGNITO";

export function oauthEnabled(client: ClientRecord): boolean {
  return client.config.AllowedOAuthFlowsUserPoolClient === true;
}

export function allowsOAuthFlow(client: ClientRecord, flow: OAuthFlowType): boolean {
  return client.config.AllowedOAuthFlows?.includes(flow) ?? false;
}

export function allowedOAuthScopes(client: ClientRecord): readonly string[] {
  return client.config.AllowedOAuthScopes ?? [];
}

export function callbackUrls(client: ClientRecord): readonly string[] {
  return client.config.CallbackURLs ?? [];
}

export function logoutUrls(client: ClientRecord): readonly string[] {
  return client.config.LogoutURLs ?? [];
}

export function supportedIdentityProviders(client: ClientRecord): readonly string[] {
  return client.config.SupportedIdentityProviders ?? [];
}
