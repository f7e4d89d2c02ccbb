/**
 * A self-signed certificate for the HTTPS listener when none is configured: it names localhost,
 * the loopback addresses and the loopback host names of the pools' domains, so that a browser or
 * client told to trust it reaches every domain over TLS without DNS changes.
 */
import { generateRsaPemPair } from "./keys.js";

const VALIDITY_DAYS = 825;

export interface TlsMaterial {
  cert: string;
  key: string;
}

export async function selfSignedServerCertificate(dnsNames: string[], now: Date): Promise<TlsMaterial> {
  const keyPair = await generateRsaPemPair();
  const notAfterDate = new Date(now.getTime() + VALIDITY_DAYS * 86_400_000);
  // Loaded here: only a first start with HTTPS and no certificate configured needs it.
  const { generate } = await import("selfsigned");
  const generated = await generate([{ name: "commonName", value: dnsNames[0] ?? "localhost" }], {
    keyPair,
    algorithm: "sha256",
    notBeforeDate: now,
    notAfterDate,
    extensions: [
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
  });
  return { cert: generated.cert, key: keyPair.privateKey };
}
