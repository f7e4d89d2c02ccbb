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

export async function newCertifiedKey(
  commonName: string,
  use: CertificateUse,
  now: Date,
): Promise<CertifiedKey> {
  const keyPair = await generateRsaPemPair();
  const notAfterDate = new Date(now);
  notAfterDate.setUTCFullYear(notAfterDate.getUTCFullYear() + VALIDITY_YEARS);
  // Loaded here, on the first certificate: the X.509 library is large and most servers never need it.
  const { generate } = await import("selfsigned");
  const generated = await generate([{ name: "commonName", value: commonName }], {
    keyPair,
    algorithm: "sha256",
    notBeforeDate: now,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false },
      use === "signing"
        ? { name: "keyUsage", digitalSignature: true, critical: true }
        : { name: "keyUsage", keyEncipherment: true, dataEncipherment: true, critical: true },
    ],
  });
  return { privateKey: keyPair.privateKey, certificate: derBase64(generated.cert) };
}
