/**
 * Secrets at rest (the pools' signing keys, the app clients' secrets, the server's own keys):
 * AES-256-GCM under a key from the configuration, bound to where the value is kept (its table and
 * row) so that a value copied to another row does not open. A stored value says which key sealed
 * it (`enc:1:<key id>:<base64url>`); a value without the prefix is kept in clear (no key was given
 * when it was written) and is read as it is. Previous keys open what they sealed, so that a new
 * key can replace an old one (docs/DEPLOYMENT.md).
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const PREFIX = "enc:1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A short public name of a key: which one sealed a value, without saying anything of the key. */
export function keyIdOf(key: Buffer): string {
  return createHash("sha256").update("cognate secrets at rest\0").update(key).digest("hex").slice(0, 8);
}

export class SecretsAtRest {
  private readonly keys = new Map<string, Buffer>();
  /** The id of the key new values are sealed with; undefined: they are kept in clear. */
  readonly currentKeyId: string | undefined;

  constructor(current: Buffer | undefined, previous: Buffer[] = []) {
    for (const key of [...previous, ...(current ? [current] : [])]) {
      if (key.length !== 32) throw new Error("a key for secrets at rest has 32 bytes");
      this.keys.set(keyIdOf(key), key);
    }
    this.currentKeyId = current && keyIdOf(current);
  }

  /** A cipher with no key: values are kept and read in clear. */
  static none(): SecretsAtRest {
    return new SecretsAtRest(undefined);
  }

  /** The id of the key a stored value is sealed with; undefined for a value in clear. */
  static keyIdOfValue(stored: string): string | undefined {
    if (!stored.startsWith(PREFIX)) return undefined;
    return stored.slice(PREFIX.length, stored.indexOf(":", PREFIX.length));
  }

  /** The value as it is to be stored at `place` (e.g. `signing_keys:<pool>:<kid>`). */
  seal(place: string, value: string): string {
    if (this.currentKeyId === undefined) return value;
    const key = this.keys.get(this.currentKeyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(place, "utf8"));
    const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
    const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
    return `${PREFIX}${this.currentKeyId}:${sealed}`;
  }

  /** The value stored at `place`. Sealed under a key not given, or tampered with: an error, never a wrong value. */
  open(place: string, stored: string): string {
    const keyId = SecretsAtRest.keyIdOfValue(stored);
    if (keyId === undefined) return stored;
    const key = this.keys.get(keyId);
    if (!key) {
      throw new Error(
        `a secret at rest is encrypted with key ${keyId}, which the configuration does not give (secrets.encryptionKey, secrets.previousKeys)`,
      );
    }
    const data = Buffer.from(stored.slice(PREFIX.length + keyId.length + 1), "base64url");
    const decipher = createDecipheriv("aes-256-gcm", key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(place, "utf8"));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new Error(
        `a secret at rest (${place.split(":")[0]}) does not open with key ${keyId}: it was altered`,
      );
    }
  }

  /** Whether a stored value is as this cipher would store it now (sealed with the current key, or in clear without one). */
  isCurrent(stored: string): boolean {
    return SecretsAtRest.keyIdOfValue(stored) === this.currentKeyId;
  }

  /** Whether this cipher can read a stored value. */
  canOpen(stored: string): boolean {
    const keyId = SecretsAtRest.keyIdOfValue(stored);
    return keyId === undefined || this.keys.has(keyId);
  }
}
