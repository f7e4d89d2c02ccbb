/**
 * `GET|POST /oauth2/userInfo` (OAUTH.md §2.6): the user of a valid access token that holds `openid`,
 * with the attributes its client may read and its scopes release. The verification flags are the
 * strings "true"/"false" here, as Cognito answers them [OBS].
 */

import { requireAccessToken } from "../auth/access-token.js";
import { CognitoError } from "../domain/errors.js";
import { IDENTITIES_ATTRIBUTE } from "../domain/identities.js";
import { OPENID_SCOPE } from "../domain/scopes.js";
import { releasedAttributes } from "../domain/tokens.js";
import { type EndpointRequest, type EndpointResponse, header, json } from "./endpoint.js";
import { bearerChallenge, USERINFO_BAD_REQUEST, USERINFO_INVALID_TOKEN } from "./errors.js";
import { findClient } from "./site.js";

const BEARER = /^Bearer +([A-Za-z0-9\-_=.]+)$/i;

function failure(
  status: 400 | 401,
  body: typeof USERINFO_BAD_REQUEST | typeof USERINFO_INVALID_TOKEN,
): EndpointResponse {
  return json(status, body, { "www-authenticate": bearerChallenge(body) });
}

export async function userInfoEndpoint(request: EndpointRequest): Promise<EndpointResponse> {
  const match = BEARER.exec(header(request, "authorization")?.trim() ?? "");
  if (!match) return failure(400, USERINFO_BAD_REQUEST);
  const { services, now } = request;
  let verified: Awaited<ReturnType<typeof requireAccessToken>>;
  try {
    verified = await requireAccessToken(services, match[1], now, OPENID_SCOPE);
  } catch (error) {
    if (error instanceof CognitoError) return failure(401, USERINFO_INVALID_TOKEN);
    throw error;
  }
  const { pool, user, claims } = verified;
  const client = await findClient(services, claims.client_id);
  if (!client || client.poolId !== pool.id) return failure(401, USERINFO_INVALID_TOKEN);
  const { flags, values } = releasedAttributes(pool, client, user, claims.scope.split(" "));
  const flagStrings = Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, String(flag)]));
  // A federated user's identities come with every answer, as the attribute's JSON text [UNDOC].
  const identities = user.attributes[IDENTITIES_ATTRIBUTE];
  return json(200, {
    sub: user.sub,
    ...flagStrings,
    ...values,
    ...(identities && { identities }),
    username: user.username,
  });
}
