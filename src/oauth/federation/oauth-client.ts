/**
 * Cognate as the client of an OIDC or social provider (FEDERATION.md §2.2 steps 3–6): the code
 * exchanged at the token endpoint with the client's credentials in the form body (Cognito never
 * uses HTTP Basic), the ID token checked, userInfo read with the access token, and the whole
 * made into the identity the sign-in goes on with.
 */
import type { FederationConfig } from "../../config/federation.js";
import { mappedPoolAttributes, subjectSource } from "../../domain/attribute-mapping.js";
import type { OutsideIdentity } from "../../domain/federated-users.js";
import { IdpDocumentError, idpRequest } from "../../domain/idp-documents.js";
import type { IdentityProviderRecord } from "../../store/identity-providers.js";
import { FederationErrors, type OAuthError } from "../errors.js";
import { appleClientSecret } from "./apple.js";
import { attributeTexts } from "./claims.js";
import { IdTokenError, verifyIdToken } from "./id-token.js";
import { issuesIdTokens, type OAuthProviderEndpoints } from "./oauth-endpoints.js";

/** A step of the exchange failed: the app is told this. */
export class ProviderAnswerError extends Error {
  constructor(readonly oauthError: OAuthError) {
    super(oauthError.description);
  }
}

interface ProviderTokens {
  accessToken: string;
  idToken?: string;
  /** The token endpoint's whole answer, as text. */
  answer: Record<string, string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Google's ID tokens say `accounts.google.com` with or without the scheme [Google's documentation]. */
function acceptedIssuers(provider: IdentityProviderRecord, issuer: string): string[] {
  if (provider.type === "Google" && issuer === "https://accounts.google.com") {
    return [issuer, "accounts.google.com"];
  }
  return [issuer];
}

export interface CodeExchange {
  provider: IdentityProviderRecord;
  endpoints: OAuthProviderEndpoints;
  code: string;
  /** The redirect_uri the authorization request named. */
  returnUrl: string;
  codeVerifier?: string;
  now: Date;
}

async function clientSecret(exchange: CodeExchange): Promise<string> {
  const { provider, endpoints, now } = exchange;
  if (provider.type !== "SignInWithApple") return provider.details.client_secret ?? "";
  try {
    return await appleClientSecret(provider.details, endpoints.issuer ?? "https://appleid.apple.com", now);
  } catch {
    // The stored key is not an ES256 PKCS#8 key: the exchange cannot be made.
    throw new ProviderAnswerError(FederationErrors.tokenExchange());
  }
}

/** POSTs (Facebook: GETs) the code with the client's credentials; the provider's tokens. */
async function exchangeCode(exchange: CodeExchange): Promise<ProviderTokens> {
  const { provider, endpoints } = exchange;
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    code: exchange.code,
    redirect_uri: exchange.returnUrl,
    client_id: provider.details.client_id ?? "",
    client_secret: await clientSecret(exchange),
  });
  if (exchange.codeVerifier) form.set("code_verifier", exchange.codeVerifier);
  let answer: Awaited<ReturnType<typeof idpRequest>>;
  try {
    answer =
      endpoints.tokenMethod === "GET"
        ? await idpRequest(withQuery(endpoints.tokenUrl, form), { method: "GET" })
        : await idpRequest(endpoints.tokenUrl, { method: "POST", form });
  } catch (error) {
    if (error instanceof IdpDocumentError) throw new ProviderAnswerError(FederationErrors.tokenExchange());
    throw error;
  }
  const body = answer.status === 200 ? jsonObject(answer.body) : undefined;
  if (!body || typeof body.access_token !== "string") {
    throw new ProviderAnswerError(FederationErrors.tokenExchange());
  }
  return {
    accessToken: body.access_token,
    idToken: typeof body.id_token === "string" ? body.id_token : undefined,
    answer: attributeTexts(body),
  };
}

function withQuery(url: string, params: URLSearchParams): string {
  return `${url}${url.includes("?") ? "&" : "?"}${params}`;
}

/**
 * The attributes URL to read: with `attributes_url_add_attributes`, the mapped attribute names
 * appended (Facebook always needs its `id`) [UNDOC].
 */
function attributesUrl(provider: IdentityProviderRecord, endpoints: OAuthProviderEndpoints): string {
  const url = endpoints.attributesUrl ?? "";
  if (!endpoints.addAttributes) return url;
  const subject = subjectSource(provider.type);
  const sources = mappedPoolAttributes(provider).map((name) => provider.attributeMapping[name]);
  const fields = [...new Set([...(subject && subject !== "sub" ? [subject] : []), ...sources])];
  return `${url}${fields.join(",")}`;
}

/** userInfo with the access token: a bearer GET, or a form POST carrying it (OIDC's POST) [UNDOC]. */
async function readAttributes(
  provider: IdentityProviderRecord,
  endpoints: OAuthProviderEndpoints,
  accessToken: string,
): Promise<Record<string, unknown>> {
  const url = attributesUrl(provider, endpoints);
  let answer: Awaited<ReturnType<typeof idpRequest>>;
  try {
    answer =
      endpoints.attributesMethod === "POST"
        ? await idpRequest(url, { method: "POST", form: new URLSearchParams({ access_token: accessToken }) })
        : await idpRequest(url, { method: "GET", headers: { authorization: `Bearer ${accessToken}` } });
  } catch (error) {
    if (error instanceof IdpDocumentError) throw new ProviderAnswerError(FederationErrors.userInfo());
    throw error;
  }
  const body = answer.status === 200 ? jsonObject(answer.body) : undefined;
  if (!body) throw new ProviderAnswerError(FederationErrors.userInfo());
  return body;
}

/**
 * Whether userInfo must be read: where the provider has an attributes URL — for Google only when
 * the ID token lacks a mapped attribute, since its URL is the People API [UNDOC].
 */
function needsAttributes(
  provider: IdentityProviderRecord,
  endpoints: OAuthProviderEndpoints,
  claims: Readonly<Record<string, unknown>>,
): boolean {
  if (!endpoints.attributesUrl) return false;
  if (provider.type !== "Google") return true;
  return mappedPoolAttributes(provider).some((name) => !(provider.attributeMapping[name] in claims));
}

/**
 * The identity the provider's answer proves: the code exchanged, the ID token checked (required
 * of the types that issue one), userInfo read where configured. ID token claims win over userInfo
 * [DG]; OIDC's userInfo must be about the ID token's subject (OpenID Connect Core §5.3.2).
 * `extra`: attributes from the answer itself (Apple's posted `user`).
 */
export async function identityFromCode(
  exchange: CodeExchange,
  config: FederationConfig,
  expectations: { nonce?: string },
  extra: Record<string, string> = {},
): Promise<OutsideIdentity> {
  const { provider, endpoints, now } = exchange;
  const tokens = await exchangeCode(exchange);
  let claims: Record<string, unknown> = {};
  if (issuesIdTokens(provider.type)) {
    if (!tokens.idToken) throw new ProviderAnswerError(FederationErrors.idToken("it is missing"));
    try {
      claims = await verifyIdToken(tokens.idToken, {
        issuers: acceptedIssuers(provider, endpoints.issuer ?? ""),
        audience: provider.details.client_id ?? "",
        jwksUri: endpoints.jwksUri,
        clientSecret: provider.details.client_secret,
        nonce: expectations.nonce,
        now,
        skewSeconds: config.clockSkewSeconds,
      });
    } catch (error) {
      if (error instanceof IdTokenError)
        throw new ProviderAnswerError(FederationErrors.idToken(error.message));
      throw error;
    }
  }
  const userInfo = needsAttributes(provider, endpoints, claims)
    ? await readAttributes(provider, endpoints, tokens.accessToken)
    : {};
  if (provider.type === "OIDC" && userInfo.sub !== undefined && userInfo.sub !== claims.sub) {
    throw new ProviderAnswerError(FederationErrors.userInfo());
  }
  const attributes: Record<string, string> = {
    ...attributeTexts(userInfo),
    ...extra,
    ...attributeTexts(claims),
    // The provider's tokens themselves may be mapped to an attribute [DG].
    access_token: tokens.accessToken,
    ...(tokens.idToken && { id_token: tokens.idToken }),
  };
  const subject = attributes[subjectSource(provider.type) ?? "sub"];
  if (!subject) throw new ProviderAnswerError(FederationErrors.subjectMissing());
  const answer = {
    tokenResponse: tokens.answer,
    idToken: attributeTexts(claims),
    userInfo: attributeTexts(userInfo),
  };
  return { provider, subject, attributes, answer };
}
