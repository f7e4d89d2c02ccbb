/**
 * The HTTPS listener's certificate: the configured PEM files, or a self-signed certificate kept
 * in the data directory (generated once, again when the names it must cover change), whose file
 * a client can be told to trust (docs/OAUTH.md).
 */

import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type Config, ConfigError } from "../config/config.js";
import { selfSignedServerCertificate, type TlsMaterial } from "../crypto/tls-certificate.js";

/** The file a generated certificate is kept in, for clients to trust: `<dataDir>/tls/cert.pem`. */
export function generatedCertificatePath(config: Config): string {
  return join(config.store.dataDir, "tls", "cert.pem");
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read the TLS ${what} ${path}: ${(error as Error).message}`);
  }
}

/** localhost and every domain's loopback host name, `<prefix>.auth.<region>.<loopbackSuffix>`. */
function loopbackNames(config: Config): string[] {
  return ["localhost", `*.auth.${config.server.region}.${config.domains.loopbackSuffix}`];
}

function covers(certPem: string, names: string[]): boolean {
  const altNames = new X509Certificate(certPem).subjectAltName ?? "";
  return names.every((name) => altNames.includes(`DNS:${name}`));
}

async function generatedMaterial(config: Config, now: Date): Promise<TlsMaterial> {
  const certPath = generatedCertificatePath(config);
  const keyPath = join(config.store.dataDir, "tls", "key.pem");
  const names = loopbackNames(config);
  if (existsSync(certPath) && existsSync(keyPath)) {
    const kept = { cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
    if (covers(kept.cert, names)) return kept;
  }
  const material = await selfSignedServerCertificate(names, now);
  mkdirSync(join(config.store.dataDir, "tls"), { recursive: true });
  writeFileSync(keyPath, material.key, { mode: 0o600 });
  writeFileSync(certPath, material.cert);
  return material;
}

export function tlsMaterial(config: Config, now: Date): Promise<TlsMaterial> {
  const { certFile, keyFile } = config.tls;
  if (certFile !== null && keyFile !== null) {
    return Promise.resolve({ cert: readPem(certFile, "certificate"), key: readPem(keyFile, "key") });
  }
  return generatedMaterial(config, now);
}
