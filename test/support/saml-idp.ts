/**
 * A SAML 2.0 identity provider played by the test: its metadata (with a real signing certificate),
 * responses built and signed as IdPs sign them (node-saml's XML signing: the Assertion, the
 * Response, or neither), assertions encrypted to the service provider's certificate
 * (xml-encryption, RSA-OAEP and AES-256-GCM), signed LogoutResponses, and the reading of the
 * redirect-binding messages Cognate sends.
 */
import { createPublicKey, createVerify, randomUUID, X509Certificate } from "node:crypto";
import { promisify } from "node:util";
import { inflateRawSync } from "node:zlib";
import { signSamlPost } from "@node-saml/node-saml/lib/saml-post-signing.js";
import xmlenc from "xml-encryption";
import { newCertifiedKey } from "../../src/crypto/certificates.js";
import { POST, REDIRECT, samlMetadata } from "./idp-documents.js";

const PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol";
const ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion";
const RESPONSE_XPATH = `/*[local-name(.)="Response" and namespace-uri(.)="${PROTOCOL}"]`;
const ASSERTION_XPATH = `/*[local-name(.)="Assertion" and namespace-uri(.)="${ASSERTION}"]`;
const LOGOUT_RESPONSE_XPATH = `/*[local-name(.)="LogoutResponse" and namespace-uri(.)="${PROTOCOL}"]`;

export function pemCertificate(base64Der: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64Der.match(/.{1,64}/g)?.join("\n")}\n-----END CERTIFICATE-----\n`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

export interface ResponseOptions {
  /** The ACS URL: Destination and Recipient. */
  acs: string;
  /** `urn:amazon:cognito:sp:<poolId>`. */
  audience: string;
  nameId: string;
  attributes?: Record<string, string | string[]>;
  /** The AuthnRequest answered (absent: IdP-initiated). */
  inResponseTo?: string;
  /** Overrides for the checks a test breaks. */
  recipient?: string;
  issuer?: string;
  assertionId?: string;
  issueInstant?: Date;
  notBefore?: Date;
  notOnOrAfter?: Date;
  status?: string;
  sessionIndex?: string;
  /** What is signed, and with which key (default: the assertion, with the IdP's key). */
  sign?: "assertion" | "response" | "none";
  signWith?: string;
  /** base64 DER of the certificate to encrypt the assertion to (the provider's ActiveEncryptionCertificate). */
  encryptTo?: string;
}

export class SamlIdp {
  private constructor(
    readonly entityId: string,
    readonly certificate: string,
    readonly privateKey: string,
    /** A key no metadata names, for forged signatures. */
    readonly foreignKey: string,
  ) {}

  static async create(entityId = "https://idp.example.com/saml"): Promise<SamlIdp> {
    const [own, foreign] = await Promise.all([
      newCertifiedKey("idp.example.com", "signing", new Date(Date.now() - 60_000)),
      newCertifiedKey("forger.example.com", "signing", new Date()),
    ]);
    return new SamlIdp(entityId, own.certificate, own.privateKey, foreign.privateKey);
  }

  readonly ssoUrl = "https://idp.example.com/sso";
  readonly sloUrl = "https://idp.example.com/slo";

  metadata(): string {
    return samlMetadata({
      entityId: this.entityId,
      signing: [this.certificate],
      sso: [
        [POST, `${this.ssoUrl}/post`],
        [REDIRECT, this.ssoUrl],
      ],
      slo: [[REDIRECT, this.sloUrl]],
    });
  }

  private assertionXml(o: ResponseOptions, id: string, now: Date): string {
    const inResponseTo = o.inResponseTo ? ` InResponseTo="${escapeXml(o.inResponseTo)}"` : "";
    const attributes = Object.entries(o.attributes ?? {})
      .map(([name, value]) => {
        const values = (Array.isArray(value) ? value : [value])
          .map((v) => `<saml:AttributeValue>${escapeXml(v)}</saml:AttributeValue>`)
          .join("");
        return `<saml:Attribute Name="${escapeXml(name)}">${values}</saml:Attribute>`;
      })
      .join("");
    return (
      `<saml:Assertion xmlns:saml="${ASSERTION}" ID="${id}" Version="2.0" IssueInstant="${iso(now)}">` +
      `<saml:Issuer>${escapeXml(o.issuer ?? this.entityId)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escapeXml(o.nameId)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
      `<saml:SubjectConfirmationData${inResponseTo} NotOnOrAfter="${iso(o.notOnOrAfter ?? minutes(5))}" Recipient="${escapeXml(o.recipient ?? o.acs)}"/>` +
      `</saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${iso(o.notBefore ?? minutes(-1))}" NotOnOrAfter="${iso(o.notOnOrAfter ?? minutes(5))}">` +
      `<saml:AudienceRestriction><saml:Audience>${escapeXml(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${escapeXml(o.sessionIndex ?? `_s${randomUUID()}`)}">` +
      `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : "") +
      `</saml:Assertion>`
    );
  }

  private sign(xml: string, xpath: string, key: string): string {
    return signSamlPost(xml, xpath, { privateKey: key, signatureAlgorithm: "sha256" });
  }

  private async encrypt(assertion: string, certificate: string): Promise<string> {
    const pem = pemCertificate(certificate);
    const publicKey = new X509Certificate(pem).publicKey.export({ type: "spki", format: "pem" }).toString();
    const encrypt = promisify(xmlenc.encrypt).bind(xmlenc) as (
      content: string,
      options: object,
    ) => Promise<string>;
    const encrypted = await encrypt(assertion, {
      rsa_pub: publicKey,
      pem,
      encryptionAlgorithm: "http://www.w3.org/2009/xmlenc11#aes256-gcm",
      keyEncryptionAlgorithm: "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
    });
    return `<saml:EncryptedAssertion xmlns:saml="${ASSERTION}">${encrypted}</saml:EncryptedAssertion>`;
  }

  /** A SAMLResponse form value (base64). */
  async response(o: ResponseOptions): Promise<string> {
    const now = o.issueInstant ?? new Date();
    const key = o.signWith ?? this.privateKey;
    const sign = o.sign ?? "assertion";
    let assertion = this.assertionXml(o, o.assertionId ?? `_a${randomUUID()}`, now);
    if (sign === "assertion") assertion = this.sign(assertion, ASSERTION_XPATH, key);
    if (o.encryptTo) assertion = await this.encrypt(assertion, o.encryptTo);
    const inResponseTo = o.inResponseTo ? ` InResponseTo="${escapeXml(o.inResponseTo)}"` : "";
    let xml =
      `<samlp:Response xmlns:samlp="${PROTOCOL}" xmlns:saml="${ASSERTION}" ID="_r${randomUUID()}" Version="2.0" IssueInstant="${iso(now)}" Destination="${escapeXml(o.acs)}"${inResponseTo}>` +
      `<saml:Issuer>${escapeXml(o.issuer ?? this.entityId)}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="${o.status ?? "urn:oasis:names:tc:SAML:2.0:status:Success"}"/></samlp:Status>` +
      assertion +
      `</samlp:Response>`;
    if (sign === "response") xml = this.sign(xml, RESPONSE_XPATH, key);
    return Buffer.from(xml).toString("base64");
  }

  /** A signed LogoutResponse form value (base64) to the LogoutRequest `inResponseTo`. */
  logoutResponse(
    destination: string,
    inResponseTo: string,
    status = "urn:oasis:names:tc:SAML:2.0:status:Success",
  ): string {
    const xml =
      `<samlp:LogoutResponse xmlns:samlp="${PROTOCOL}" xmlns:saml="${ASSERTION}" ID="_l${randomUUID()}" Version="2.0" IssueInstant="${iso(new Date())}" Destination="${escapeXml(destination)}" InResponseTo="${escapeXml(inResponseTo)}">` +
      `<saml:Issuer>${escapeXml(this.entityId)}</saml:Issuer>` +
      `<samlp:Status><samlp:StatusCode Value="${status}"/></samlp:Status></samlp:LogoutResponse>`;
    return Buffer.from(this.sign(xml, LOGOUT_RESPONSE_XPATH, this.privateKey)).toString("base64");
  }
}

/** A redirect-binding message as the IdP receives it: the XML, the RelayState, and its signature if any. */
export interface RedirectMessage {
  xml: string;
  relayState: string | null;
  /** Whether SigAlg/Signature verify with `certificate` (base64 DER) over the signed part of the query. */
  signedBy(certificate: string): boolean;
  sigAlg: string | null;
}

/** Reads the SAMLRequest of a redirect to the IdP. */
export function readRedirect(location: string): RedirectMessage {
  const url = new URL(location);
  const raw = url.search.slice(1);
  const part = (name: string) => raw.split("&").find((p) => p.startsWith(`${name}=`));
  const message = url.searchParams.get("SAMLRequest") ?? "";
  return {
    xml: inflateRawSync(Buffer.from(message, "base64")).toString("utf8"),
    relayState: url.searchParams.get("RelayState"),
    sigAlg: url.searchParams.get("SigAlg"),
    signedBy(certificate) {
      const signature = url.searchParams.get("Signature");
      if (!signature) return false;
      const signed = [part("SAMLRequest"), part("RelayState"), part("SigAlg")].filter(Boolean).join("&");
      const key = createPublicKey(pemCertificate(certificate));
      return createVerify("RSA-SHA256").update(signed).verify(key, signature, "base64");
    },
  };
}

/** An attribute of the root element of a SAML message. */
export function rootAttribute(xml: string, name: string): string | undefined {
  return new RegExp(`^[^>]*?\\s${name}="([^"]*)"`).exec(xml.replace(/^<\?xml[^>]*>/, ""))?.[1];
}
