/**
 * A SAML identity provider's metadata (FEDERATION.md §1.3), given as MetadataFile or read from
 * MetadataURL when the provider is created or updated: its entity ID, the HTTP-Redirect binding
 * locations of its single sign-on and single logout services (AuthnRequests go out by GET), and
 * its signing certificates, each unexpired and at most 4,096 characters [DG].
 */
import { X509Certificate } from "node:crypto";
import type { XMLParser } from "fast-xml-parser";
import type { FederationConfig } from "../config/federation.js";
import type { SamlMetadata } from "../store/identity-providers.js";
import { Errors } from "./errors.js";
import { fetchIdpDocument, IdpDocumentError, idpUrlRule, isAllowedIdpUrl } from "./idp-documents.js";

const REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const MAX_CERTIFICATE_LENGTH = 4096;

/** Elements that may repeat, read as lists whatever their number. */
const REPEATED = new Set([
  "EntityDescriptor",
  "IDPSSODescriptor",
  "SingleSignOnService",
  "SingleLogoutService",
  "KeyDescriptor",
  "X509Data",
  "X509Certificate",
]);

/**
 * Namespace prefixes are dropped: metadata uses the SAML metadata and XML signature vocabularies
 * under whatever prefixes its author chose. Entities expand within the parser's limits; external
 * ones are never fetched.
 */
let loaded: Promise<{ parser: XMLParser; validate: (text: string) => unknown }> | undefined;

/** The XML parser, loaded with the first metadata: most servers never read any. */
function xmlParser() {
  loaded ??= import("fast-xml-parser").then(({ XMLParser, XMLValidator }) => ({
    parser: new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@",
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      isArray: (name) => REPEATED.has(name),
    }),
    validate: (text: string) => XMLValidator.validate(text),
  }));
  return loaded;
}

type XmlNode = Record<string, unknown>;

function nodes(parent: unknown, name: string): XmlNode[] {
  if (parent === null || typeof parent !== "object") return [];
  const value = (parent as XmlNode)[name];
  return Array.isArray(value) ? value.filter((v): v is XmlNode => v !== null && typeof v === "object") : [];
}

/** An element's text, whether the parser made it a string or an object with attributes. */
function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object" && typeof (value as XmlNode)["#text"] === "string") {
    return (value as XmlNode)["#text"] as string;
  }
  return "";
}

function attribute(node: XmlNode, name: string): string | undefined {
  const value = node[`@${name}`];
  return typeof value === "string" ? value : undefined;
}

/** The entity of an identity provider: the root EntityDescriptor, or the first in an EntitiesDescriptor. */
function identityProviderEntity(document: XmlNode): { entity: XmlNode; idp: XmlNode } {
  const entities = [
    ...nodes(document, "EntityDescriptor"),
    ...nodes(document.EntitiesDescriptor, "EntityDescriptor"),
  ];
  for (const entity of entities) {
    const [idp] = nodes(entity, "IDPSSODescriptor");
    if (idp && attribute(entity, "entityID")) return { entity, idp };
  }
  throw Errors.samlMetadataUnreadable();
}

function redirectLocation(idp: XmlNode, service: string): string | null {
  const found = nodes(idp, service).find((s) => attribute(s, "Binding") === REDIRECT_BINDING);
  return (found && attribute(found, "Location")) || null;
}

/** Certificates of KeyDescriptors for signing; one without `use` serves both purposes. */
function signingCertificateTexts(idp: XmlNode): string[] {
  return nodes(idp, "KeyDescriptor")
    .filter((key) => (attribute(key, "use") ?? "signing") === "signing")
    .flatMap((key) => nodes(key.KeyInfo, "X509Data"))
    .flatMap((data) => ((data.X509Certificate as unknown[] | undefined) ?? []).map(text))
    .map((certificate) => certificate.replace(/\s+/g, ""))
    .filter((certificate) => certificate !== "");
}

function checkedCertificate(base64: string, now: Date): string {
  if (base64.length > MAX_CERTIFICATE_LENGTH) {
    throw Errors.samlSigningCertificateInvalid(`is longer than ${MAX_CERTIFICATE_LENGTH} characters`);
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(base64, "base64"));
  } catch {
    throw Errors.samlSigningCertificateInvalid("is not an X.509 certificate");
  }
  if (new Date(certificate.validTo).getTime() <= now.getTime()) {
    throw Errors.samlSigningCertificateInvalid(`expired on ${certificate.validTo}`);
  }
  return base64;
}

export async function parseSamlMetadata(text: string, now: Date): Promise<SamlMetadata> {
  const { parser, validate } = await xmlParser();
  if (validate(text) !== true) throw Errors.samlMetadataUnreadable();
  let document: XmlNode;
  try {
    document = parser.parse(text) as XmlNode;
  } catch {
    throw Errors.samlMetadataUnreadable();
  }
  const { entity, idp } = identityProviderEntity(document);
  const ssoRedirectUrl = redirectLocation(idp, "SingleSignOnService");
  if (!ssoRedirectUrl) throw Errors.samlNoRedirectSso();
  const certificates = signingCertificateTexts(idp);
  if (certificates.length === 0) throw Errors.samlNoSigningCertificate();
  return {
    entityId: attribute(entity, "entityID") as string,
    signingCertificates: certificates.map((certificate) => checkedCertificate(certificate, now)),
    ssoRedirectUrl,
    sloRedirectUrl: redirectLocation(idp, "SingleLogoutService"),
  };
}

/** The metadata at MetadataURL, read now (URL held to the transport rules). */
export async function fetchSamlMetadata(
  url: string,
  config: FederationConfig,
  now: Date,
): Promise<SamlMetadata> {
  if (!isAllowedIdpUrl(url, config)) throw Errors.idpUrlInvalid("MetadataURL", url, idpUrlRule(config));
  let xml: string;
  try {
    xml = await fetchIdpDocument(url, config);
  } catch (error) {
    if (!(error instanceof IdpDocumentError)) throw error;
    if (error.status !== undefined) throw Errors.samlMetadataStatus(error.status, url);
    throw Errors.samlMetadataUnreachable(url);
  }
  return parseSamlMetadata(xml, now);
}
