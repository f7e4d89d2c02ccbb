/**
 * Authenticated encryption of server state handed to clients (the SRP SECRET_BLOCK): AES-256-GCM
 * under a server key kept in the database, so every instance can open what another sealed, and
 * nobody else can read or forge it. `purpose` is bound as additional data: a sealed value made
 * for one use cannot be opened as another.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class Sealer {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error("a sealing key has 32 bytes");
  }

  static newKey(): string {
    return randomBytes(32).toString("base64");
  }

  seal(purpose: string, value: unknown): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(purpose, "utf8"));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, body, cipher.getAuthTag()]);
  }

  /** The sealed value, or undefined when it was tampered with, made for another purpose or is garbage. */
  open<T>(purpose: string, sealed: Buffer): T | undefined {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) return undefined;
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const body = sealed.subarray(1 + IV_BYTES, sealed.length - TAG_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, iv);
      decipher.setAAD(Buffer.from(purpose, "utf8"));
      decipher.setAuthTag(tag);
      const text = Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }
}
