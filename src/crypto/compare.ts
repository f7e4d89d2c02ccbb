/**
 * Constant-time comparison of secrets (codes, hashes, signatures, verifiers, tokens). Values of
 * different lengths are unequal at once: the length of these values is not secret.
 */
import { timingSafeEqual } from "node:crypto";

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Two strings, decoded with the encoding (UTF-8 text, or the hex or base64 of bytes). */
export function sameText(a: string, b: string, encoding: BufferEncoding = "utf8"): boolean {
  return sameBytes(Buffer.from(a, encoding), Buffer.from(b, encoding));
}
