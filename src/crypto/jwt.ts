/**
 * RS256 JWTs (JWS compact), signed and checked with node:crypto directly.
 *
 * Signing uses WebCrypto with a pre-imported CryptoKey over a precomputed header: it runs on the
 * libuv thread pool, off the event loop. Measured on the 2-core target (RSA-2048, 4,000 tokens):
 * 0.15 ms/token concurrently, against 0.18 for jose with the same CryptoKey, 0.39 for synchronous
 * node:crypto sign on the event loop and 0.62 for jose given a KeyObject (it converts per call).
 * Verification is synchronous node:crypto (0.07 ms). Only RS256 is accepted: `alg: none`, HS256
 * and any other algorithm are refused before a key is consulted.
 */
import { type KeyObject, verify, webcrypto } from "node:crypto";

type CryptoKey = webcrypto.CryptoKey;

const RSASSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** Cognito's header: `{"kid":…,"alg":"RS256"}`, no `typ`. */
export function jwtHeaderSegment(kid: string): string {
  return base64url({ kid, alg: "RS256" });
}

export type { CryptoKey };

export function importSigningKey(pkcs8Der: Buffer): Promise<CryptoKey> {
  return webcrypto.subtle.importKey("pkcs8", pkcs8Der, RSASSA, false, ["sign"]);
}

/** `header.payload.signature`, with the header segment already encoded. */
export async function signJwt(header: string, payload: object, key: CryptoKey): Promise<string> {
  const input = `${header}.${base64url(payload)}`;
  const signature = await webcrypto.subtle.sign(RSASSA.name, key, Buffer.from(input));
  return `${input}.${Buffer.from(signature).toString("base64url")}`;
}

export interface DecodedJwt {
  kid: string;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;

function parseSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses an RS256 JWT without trusting it; undefined for anything malformed or with another algorithm. */
export function decodeRs256(token: string): DecodedJwt | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return undefined;
  const [header, payload, signature] = parts;
  const h = parseSegment(header);
  const p = parseSegment(payload);
  if (!isObject(h) || !isObject(p)) return undefined;
  if (h.alg !== "RS256" || typeof h.kid !== "string" || h.crit !== undefined) return undefined;
  return {
    kid: h.kid,
    payload: p,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, "base64url"),
  };
}

export function signatureValid(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  return verify("sha256", Buffer.from(jwt.signingInput), publicKey, jwt.signature);
}

/** Whether a string is shaped as a JWS/JWT at all (three segments, a JSON header with `alg`). */
export function looksLikeJwt(token: string): boolean {
  const parts = token.split(".");
  if (parts.length !== 3) return false;
  const header = parseSegment(parts[0]);
  return isObject(header) && typeof header.alg === "string";
}
