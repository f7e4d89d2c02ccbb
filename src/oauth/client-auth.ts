/**
 * Client authentication at the token and revocation endpoints (OAUTH.md §2.5): HTTP Basic
 * (`client_secret_basic`, each part possibly form-urlencoded) or `client_id` and `client_secret` in
 * the body (`client_secret_post`); a public client sends its `client_id` alone. A confidential
 * client must present one of its active secrets.
 */
import { activeSecrets, matchesClientSecret } from "../domain/client-secrets.js";
import type { ClientRecord } from "../store/records.js";
import { type EndpointRequest, header } from "./endpoint.js";
import { OAuthErrors } from "./errors.js";
import { clientOfSite } from "./site.js";

interface Presented {
  clientId: string;
  /** The secret as sent, and its form-urldecoded reading (a `+` in a secret may arrive either way). */
  secrets: string[];
}

/** `application/x-www-form-urlencoded` decoding of one Basic credential part; undefined when malformed. */
function formDecoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

const BASIC = /^basic(?:\s+(\S*))?\s*$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** `id:secret` of a Basic header; a header that is not base64 of that is malformed: invalid_request. */
function basicCredentials(value: string): Presented {
  const encoded = BASIC.exec(value)?.[1] ?? "";
  if (!BASE64.test(encoded)) throw OAuthErrors.invalidRequest();
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw OAuthErrors.invalidRequest();
  const rawId = decoded.slice(0, colon);
  const rawSecret = decoded.slice(colon + 1);
  const clientId = formDecoded(rawId) ?? rawId;
  const secrets = [
    ...new Set([rawSecret, formDecoded(rawSecret)].filter((s): s is string => s !== undefined)),
  ];
  return { clientId, secrets };
}

/** The credentials the request presents; a Basic header and a body that name different clients are refused. */
function presentedCredentials(request: EndpointRequest): Presented {
  const authorization = header(request, "authorization");
  const bodyId = request.form?.get("client_id");
  if (authorization !== undefined && /^basic(\s|$)/i.test(authorization)) {
    const basic = basicCredentials(authorization);
    if (bodyId !== undefined && bodyId !== basic.clientId) throw OAuthErrors.invalidClient();
    return basic;
  }
  if (!bodyId) throw OAuthErrors.invalidClient();
  const secret = request.form?.get("client_secret");
  return { clientId: bodyId, secrets: secret === undefined ? [] : [secret] };
}

/** The app client of this domain's pool that the request authenticates as, or `invalid_client`. */
export async function authenticateClient(request: EndpointRequest): Promise<ClientRecord> {
  const presented = presentedCredentials(request);
  const client = await clientOfSite(request.services, request.site, presented.clientId);
  if (!client) throw OAuthErrors.invalidClient();
  const confidential = activeSecrets(client).length > 0;
  if (confidential && !presented.secrets.some((secret) => matchesClientSecret(client, secret))) {
    throw OAuthErrors.invalidClient();
  }
  // A secret sent for a public client is refused [UNDOC].
  if (!confidential && presented.secrets.some((secret) => secret !== "")) throw OAuthErrors.invalidClient();
  return client;
}
