/**
 * Self-signed X.509 certificates for the keys a pool uses toward SAML identity providers
 * (FEDERATION.md §1.7): RSA-2048, SHA-256, subject and issuer `CN=<name>`, valid ten years, as
 * Cognito's own.
 */
import type { CertifiedKey } from "../store/identity-providers.js";
import { generateRsaPemPair } from "./keys.js";

const VALIDITY_YEARS = 10;

/** What the certificate's key is for: signing requests, or receiving encrypted assertions. */
export type CertificateUse = "signing" | "encryption";

/** The certificate's PEM body as base64 DER (no armour, no line breaks). */
function derBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
}

type Extensions = NonNullable<Parameters<typeof import("selfsigned").generate>[1]>["extensions"];

/** A new RSA-2048 key and its SHA-256 self-signed certificate (PEM), subject `CN=<commonName>`. */
export async function selfSignedCertificate(
  commonName: string,
  validity: { from: Date; until: Date },
  extensions: Extensions,
): Promise<{ privateKey: string; certificatePem: string }> {
  const keyPair = await generateRsaPemPair();
  // Loaded with the first certificate: its ASN.1 stack is large and few servers need it.
  const { generate } = await import("selfsigned");
  const generated = await generate([{ name: "commonName", value: commonName }], {
    keyPair,
    algorithm: "sha256",
    notBeforeDate: validity.from,
    notAfterDate: validity.until,
    extensions,
  });
  return { privateKey: keyPair.privateKey, certificatePem: generated.cert };
}

export async function newCertifiedKey(
  commonName: string,
  use: CertificateUse,
  now: Date,
): Promise<CertifiedKey> {
  const until = new Date(now);
  until.setUTCFullYear(until.getUTCFullYear() + VALIDITY_YEARS);
  const { privateKey, certificatePem } = await selfSignedCertificate(commonName, { from: now, until }, [
    { name: "basicConstraints", cA: false },
    use === "signing"
      ? { name: "keyUsage", digitalSignature: true, critical: true }
      : { name: "keyUsage", keyEncipherment: true, dataEncipherment: true, critical: true },
  ]);
  return { privateKey, certificate: derBase64(certificatePem) };
}
