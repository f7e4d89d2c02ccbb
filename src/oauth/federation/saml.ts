/**
 * Cognate as a SAML 2.0 service provider (FEDERATION.md §2.4–2.7), with `@node-saml/node-saml`
 * doing the XML security: AuthnRequests by the HTTP-Redirect binding (signed with the pool's key
 * where the provider has `RequestSigningAlgorithm`), responses by HTTP-POST checked for a signature
 * by one of the metadata's certificates (on the Response or the Assertion), the audience
 * `urn:amazon:cognito:sp:<poolId>`, the validity window, InResponseTo, and decrypted with the
 * provider's key. What the library leaves to its user is checked here: the assertion's issuer,
 * the Recipient, encryption where it is required, and the NameID and attribute values.
 * LogoutRequests are always signed [DG].
 */
import type { CacheProvider, Profile, SAML } from "@node-saml/node-saml";
import { poolSamlSigningKey } from "../../domain/saml-signing.js";
import type { IdentityProviderRecord } from "../../store/identity-providers.js";
import type { SamlSubject } from "../../store/saml-sessions.js";
import type { EndpointRequest } from "../endpoint.js";
import { SamlReasons } from "../errors.js";
import { attributeText } from "./claims.js";
import { SAML_RESPONSE_PATH, siteEndpointUrl, spEntityId } from "./urls.js";

/** An IdP-initiated assertion must have been issued within this time [DG]. */
export const IDP_INITIATED_MAX_AGE_MS = 6 * 60 * 1000;

const RSA_SHA256 = "rsa-sha256";

type SamlLibraries = {
  saml: typeof import("@node-saml/node-saml");
  xml: typeof import("@node-saml/node-saml/lib/xml.js");
};
let libraries: Promise<SamlLibraries> | undefined;

/** node-saml and its XML security stack, loaded on the first SAML message: most servers never see one. */
function samlLibraries(): Promise<SamlLibraries> {
  libraries ??= Promise.all([import("@node-saml/node-saml"), import("@node-saml/node-saml/lib/xml.js")]).then(
    ([saml, xml]) => ({ saml, xml }),
  );
  return libraries;
}

/** A refused response, with the reason the app is told. */
export class SamlRefusal extends Error {}

/** What a valid assertion says. */
export interface SamlAssertion {
  subject: SamlSubject;
  attributes: Record<string, string>;
  assertionId: string;
  /** Until when the assertion could be accepted: its replay must be refused that long. */
  acceptableUntil: Date;
}

function certificatePem(base64Der: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64Der.match(/.{1,64}/g)?.join("\n")}\n-----END CERTIFICATE-----\n`;
}

/** Request IDs live in the round trip's state, not in node-saml's cache: this one knows only the expected ID. */
function expectedRequest(requestId: string | undefined): CacheProvider {
  return {
    saveAsync: async () => null,
    getAsync: async (key) => (requestId !== undefined && key === requestId ? new Date().toISOString() : null),
    removeAsync: async () => null,
  };
}

interface ClientOptions {
  requestId?: string;
  /** The pool's key, to sign requests. */
  signingKey?: string;
  idpInitiated?: boolean;
  /** LogoutResponses: their InResponseTo is checked here, not by the library (it reads only Responses'). */
  ownInResponseTo?: boolean;
}

async function samlClient(
  request: EndpointRequest,
  provider: IdentityProviderRecord,
  options: ClientOptions,
): Promise<SAML> {
  const { SAML, ValidateInResponseTo } = (await samlLibraries()).saml;
  const metadata = provider.samlMetadata;
  if (!metadata) throw new Error(`SAML provider ${provider.name} has no metadata`);
  const entityId = spEntityId(provider.poolId);
  return new SAML({
    issuer: entityId,
    audience: entityId,
    callbackUrl: siteEndpointUrl(request, SAML_RESPONSE_PATH),
    entryPoint: metadata.ssoRedirectUrl,
    logoutUrl: metadata.sloRedirectUrl ?? metadata.ssoRedirectUrl,
    idpCert: metadata.signingCertificates.map(certificatePem),
    privateKey: options.signingKey,
    signatureAlgorithm: "sha256",
    decryptionPvk: provider.encryptionKey?.privateKey,
    // Either the Response or the Assertion must be signed [DG].
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    acceptedClockSkewMs: request.services.config.federation.clockSkewSeconds * 1000,
    identifierFormat: null,
    allowCreate: true,
    disableRequestedAuthnContext: true,
    validateInResponseTo: options.ownInResponseTo
      ? ValidateInResponseTo.never
      : options.idpInitiated
        ? ValidateInResponseTo.ifPresent
        : ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: request.services.config.federation.stateTtlSeconds * 1000,
    maxAssertionAgeMs: options.idpInitiated ? IDP_INITIATED_MAX_AGE_MS : 0,
    cacheProvider: expectedRequest(options.requestId),
    generateUniqueId: () => options.requestId ?? "",
  });
}

/** A SAML request ID: starts with a letter or `_` [DG example]. */
export function newSamlRequestId(uuid: string): string {
  return `_${uuid}`;
}

/** The URL that sends the browser to the provider with an AuthnRequest (and the RelayState). */
export async function authnRequestUrl(
  request: EndpointRequest,
  provider: IdentityProviderRecord,
  relayState: string,
  requestId: string,
): Promise<string> {
  const signs = provider.details.RequestSigningAlgorithm === RSA_SHA256;
  const key = signs
    ? await poolSamlSigningKey(request.services.store, provider.poolId, request.now)
    : undefined;
  const client = await samlClient(request, provider, { requestId, signingKey: key?.privateKey });
  return client.getAuthorizeUrlAsync(relayState, undefined, {});
}

/** The URL that sends the browser to the provider's single logout with a signed LogoutRequest. */
export async function logoutRequestUrl(
  request: EndpointRequest,
  provider: IdentityProviderRecord,
  subject: SamlSubject,
  relayState: string,
  requestId: string,
): Promise<string> {
  const key = await poolSamlSigningKey(request.services.store, provider.poolId, request.now);
  const client = await samlClient(request, provider, { requestId, signingKey: key.privateKey });
  const profile: Profile = {
    issuer: spEntityId(provider.poolId),
    nameID: subject.nameId,
    nameIDFormat: subject.nameIdFormat ?? "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    nameQualifier: subject.nameQualifier ?? undefined,
    spNameQualifier: subject.spNameQualifier ?? undefined,
    sessionIndex: subject.sessionIndex ?? undefined,
  };
  return client.getLogoutUrlAsync(profile, relayState, {});
}

/** The reason to tell for a library's refusal. */
async function reasonOf(error: unknown): Promise<string> {
  if (error instanceof (await samlLibraries()).saml.SamlStatusError) return SamlReasons.status;
  const message = error instanceof Error ? error.message : "";
  if (/InResponseTo/i.test(message)) return SamlReasons.inResponseTo;
  if (/decrypt|EncryptedAssertion/i.test(message)) return SamlReasons.decryption;
  if (/signature|signed data/i.test(message)) return SamlReasons.signature;
  if (/audience|AudienceRestriction/i.test(message)) return SamlReasons.audience;
  if (/not yet valid|expired|subject confirmation/i.test(message)) return SamlReasons.validity;
  return SamlReasons.malformed;
}

type XmlJs = Record<string, unknown>;
const first = (value: unknown): XmlJs | undefined => (Array.isArray(value) ? (value[0] as XmlJs) : undefined);
const list = (value: unknown): XmlJs[] => (Array.isArray(value) ? (value as XmlJs[]) : []);
const attributesOf = (node: XmlJs | undefined): Record<string, string> =>
  (node?.$ ?? {}) as Record<string, string>;

/** The SubjectConfirmationData elements of the (verified) assertion. */
function confirmationData(assertion: XmlJs): XmlJs[] {
  return list(first(assertion.Subject)?.SubjectConfirmation).flatMap((c) => list(c.SubjectConfirmationData));
}

/** The last time any of the assertion's conditions accepts it (its replay is refused until then). */
function acceptableUntil(assertion: XmlJs, now: Date, skewMs: number): Date {
  const limits = [first(assertion.Conditions), ...confirmationData(assertion)]
    .map((node) => Date.parse(attributesOf(node).NotOnOrAfter ?? ""))
    .filter((time) => !Number.isNaN(time));
  const issued = Date.parse(attributesOf(assertion).IssueInstant ?? "");
  const fallback = (Number.isNaN(issued) ? now.getTime() : issued) + IDP_INITIATED_MAX_AGE_MS;
  return new Date(Math.max(fallback, ...limits) + skewMs);
}

/** Attribute values with 4-byte UTF-8 characters are refused [DG]. */
const OUTSIDE_BMP = /[\u{10000}-\u{10FFFF}]/u;

function attributeValues(profile: Profile): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries((profile.attributes ?? {}) as Record<string, unknown>)) {
    const text = attributeText(value);
    if (text === undefined) continue;
    if (OUTSIDE_BMP.test(text)) throw new SamlRefusal(SamlReasons.characters);
    attributes[name] = text;
  }
  return attributes;
}

const SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success";

/**
 * What the library does not check of the Response itself: its status must be Success (the library
 * reads it only when there is no assertion), and where EncryptedResponses is set, a plaintext
 * assertion is refused [DG].
 */
async function checkResponse(provider: IdentityProviderRecord, xml: string): Promise<void> {
  let status: string | undefined;
  let plain: unknown[];
  try {
    const { parseDomFromString, xpath } = (await samlLibraries()).xml;
    const doc = await parseDomFromString(xml);
    if (xpath.selectElements(doc, "/*[local-name()='Response']").length !== 1) throw new Error("no Response");
    status = xpath.selectAttributes(
      doc,
      "/*[local-name()='Response']/*[local-name()='Status']/*[local-name()='StatusCode']/@Value",
    )[0]?.value;
    plain = xpath.selectElements(doc, "/*[local-name()='Response']/*[local-name()='Assertion']");
  } catch {
    throw new SamlRefusal(SamlReasons.malformed);
  }
  if (status !== SUCCESS) throw new SamlRefusal(SamlReasons.status);
  if (provider.details.EncryptedResponses === "true" && plain.length > 0) {
    throw new SamlRefusal(SamlReasons.encryptionRequired);
  }
}

/**
 * Checks a posted SAMLResponse: SP-initiated (`requestId`: the AuthnRequest's ID, which it must
 * answer) or IdP-initiated (no InResponseTo, issued within six minutes). SamlRefusal otherwise.
 */
export async function validateSamlResponse(
  request: EndpointRequest,
  provider: IdentityProviderRecord,
  samlResponse: string,
  expected: { requestId?: string; idpInitiated: boolean },
): Promise<SamlAssertion> {
  await checkResponse(provider, Buffer.from(samlResponse, "base64").toString("utf8"));
  const client = await samlClient(request, provider, expected);
  let profile: Profile | null;
  try {
    profile = (await client.validatePostResponseAsync({ SAMLResponse: samlResponse })).profile;
  } catch (error) {
    throw new SamlRefusal(await reasonOf(error));
  }
  if (!profile) throw new SamlRefusal(SamlReasons.status);
  if (profile.issuer !== provider.samlMetadata?.entityId) throw new SamlRefusal(SamlReasons.issuer);
  const assertion = (profile.getAssertion?.() as XmlJs | undefined)?.Assertion as XmlJs | undefined;
  const assertionId = attributesOf(assertion).ID;
  if (!assertion || !assertionId) throw new SamlRefusal(SamlReasons.malformed);
  const acs = siteEndpointUrl(request, SAML_RESPONSE_PATH);
  if (!confirmationData(assertion).some((data) => attributesOf(data).Recipient === acs)) {
    throw new SamlRefusal(SamlReasons.recipient);
  }
  if (!profile.nameID) throw new SamlRefusal(SamlReasons.nameId);
  if (OUTSIDE_BMP.test(profile.nameID)) throw new SamlRefusal(SamlReasons.characters);
  const skewMs = request.services.config.federation.clockSkewSeconds * 1000;
  return {
    subject: {
      nameId: profile.nameID,
      nameIdFormat: profile.nameIDFormat ?? null,
      nameQualifier: profile.nameQualifier ?? null,
      spNameQualifier: profile.spNameQualifier ?? null,
      sessionIndex: profile.sessionIndex ?? null,
    },
    attributes: attributeValues(profile),
    assertionId,
    acceptableUntil: acceptableUntil(assertion, request.now, skewMs),
  };
}

/**
 * Checks a posted LogoutResponse: signed by the provider, Success, and in response to the
 * LogoutRequest `requestId`. SamlRefusal otherwise.
 */
export async function validateLogoutResponse(
  request: EndpointRequest,
  provider: IdentityProviderRecord,
  samlResponse: string,
  requestId: string,
): Promise<void> {
  const client = await samlClient(request, provider, { requestId, ownInResponseTo: true });
  let loggedOut: boolean;
  try {
    loggedOut = (await client.validatePostResponseAsync({ SAMLResponse: samlResponse })).loggedOut;
  } catch (error) {
    throw new SamlRefusal(await reasonOf(error));
  }
  if (!loggedOut) throw new SamlRefusal(SamlReasons.malformed);
  // The library checked the signature of the whole message; its InResponseTo and status are read here.
  const { parseDomFromString, xpath } = (await samlLibraries()).xml;
  const doc = await parseDomFromString(Buffer.from(samlResponse, "base64").toString("utf8"));
  const inResponseTo = xpath.selectAttributes(doc, "/*[local-name()='LogoutResponse']/@InResponseTo")[0]
    ?.value;
  const status = xpath.selectAttributes(
    doc,
    "/*[local-name()='LogoutResponse']/*[local-name()='Status']/*[local-name()='StatusCode']/@Value",
  )[0]?.value;
  if (inResponseTo !== requestId) throw new SamlRefusal(SamlReasons.inResponseTo);
  if (status !== SUCCESS) throw new SamlRefusal(SamlReasons.status);
}
