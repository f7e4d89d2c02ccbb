/** One grant type of the token endpoint: the authenticated client's request → the token response. */
import type { AuthenticationResultType } from "../../protocol/types.generated.js";
import type { ClientRecord } from "../../store/records.js";
import type { EndpointRequest } from "../endpoint.js";

/** The token endpoint's success body, members in Cognito's order [DG example]. */
export interface TokenResponse {
  id_token?: string;
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: "Bearer";
}

export type Grant = (request: EndpointRequest, client: ClientRecord) => Promise<TokenResponse>;

export function tokenResponse(result: AuthenticationResultType): TokenResponse {
  return {
    id_token: result.IdToken,
    access_token: result.AccessToken ?? "",
    refresh_token: result.RefreshToken,
    expires_in: result.ExpiresIn ?? 0,
    token_type: "Bearer",
  };
}
