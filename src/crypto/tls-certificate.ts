/**
 * A self-signed certificate for the HTTPS listener when none is configured: it names localhost,
 * the loopback addresses and the loopback host names of the pools' domains, so that a browser or
 * client told to trust it reaches every domain over TLS without DNS changes.
 */
import { selfSignedCertificate } from "./certificates.js";

const VALIDITY_DAYS = 825;

export interface TlsMaterial {
  cert: string;
  key: string;
}

export async function selfSignedServerCertificate(dnsNames: string[], now: Date): Promise<TlsMaterial> {
  const until = new Date(now.getTime() + VALIDITY_DAYS * 86_400_000);
  const { privateKey, certificatePem } = await selfSignedCertificate(
    dnsNames[0] ?? "localhost",
    { from: now, until },
    [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          ...dnsNames.map((value) => ({ type: 2 as const, value })),
          { type: 7 as const, ip: "127.0.0.1" },
          { type: 7 as const, ip: "::1" },
        ],
      },
    ],
  );
  return { cert: certificatePem, key: privateKey };
}
