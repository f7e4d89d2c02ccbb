/**
 * The ID token an OIDC provider, Google or Sign in with Apple answers with (FEDERATION.md §2.2 step
 * 4): signed with one of the provider's keys (RSA, RSA-PSS or ECDSA from its JWKS, which is read
 * again for an unknown `kid`) or, HMAC, with the client secret; issued by the provider; for this
 * client; unexpired (with `federation.clockSkewSeconds`); and carrying the nonce the round trip sent.
 */
import type { createRemoteJWKSet, JWTPayload } from "jose";
import { USER_AGENT } from "../../domain/idp-documents.js";

export interface IdTokenExpectations {
  /** The accepted `iss` values. */
  issuers: string[];
  /** The provider's client_id: the `aud` (or one of them). */
  audience: string;
  jwksUri?: string;
  /** The key of HS256/384/512 tokens. */
  clientSecret?: string;
  /** The nonce the round trip sent, if it sent one. */
  nonce?: string;
  now: Date;
  skewSeconds: number;
}

/** Why an ID token is refused, as the app is told. */
export class IdTokenError extends Error {}

const REASONS = {
  malformed: "it is not a signed JWT",
  algorithm: "its signing algorithm is not supported",
  signature: "its signature does not verify with the provider's keys",
  keys: "the provider's keys could not be read",
  issuer: "its issuer is not the provider",
  audience: "its audience is not the provider's client_id",
  expired: "it has expired",
  claims: "its claims are not valid",
  nonce: "its nonce is not the one sent",
} as const;

/** Each JWKS once per process: jose caches its keys and reads them again for an unknown `kid`. */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
const MAX_KEY_SETS = 500;

/** jose, loaded with the first ID token from a provider (federation only). */
type Jose = typeof import("jose");

function keySet(jose: Jose, uri: string): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(uri);
  if (!set) {
    if (keySets.size >= MAX_KEY_SETS) keySets.clear();
    set = jose.createRemoteJWKSet(new URL(uri), {
      headers: { "user-agent": USER_AGENT },
      timeoutDuration: 10_000,
      cooldownDuration: 5_000,
    });
    keySets.set(uri, set);
  }
  return set;
}

function refusal({ errors }: Jose, error: unknown): IdTokenError {
  if (error instanceof errors.JWTExpired) return new IdTokenError(REASONS.expired);
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "iss") return new IdTokenError(REASONS.issuer);
    if (error.claim === "aud") return new IdTokenError(REASONS.audience);
    return new IdTokenError(REASONS.claims);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return new IdTokenError(REASONS.signature);
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return new IdTokenError(REASONS.keys);
  }
  if (error instanceof errors.JOSEError) return new IdTokenError(REASONS.malformed);
  // fetch failures of the JWKS are plain errors
  return new IdTokenError(REASONS.keys);
}

type VerificationKey = ReturnType<typeof createRemoteJWKSet> | Uint8Array;

function keyFor(jose: Jose, algorithm: unknown, expect: IdTokenExpectations): VerificationKey {
  if (typeof algorithm !== "string") throw new IdTokenError(REASONS.algorithm);
  if (/^HS(256|384|512)$/.test(algorithm)) {
    if (!expect.clientSecret) throw new IdTokenError(REASONS.signature);
    return new TextEncoder().encode(expect.clientSecret);
  }
  if (/^(RS|PS|ES)(256|384|512)$/.test(algorithm)) {
    if (!expect.jwksUri) throw new IdTokenError(REASONS.keys);
    return keySet(jose, expect.jwksUri);
  }
  throw new IdTokenError(REASONS.algorithm);
}

/** The token's claims once every check passed; IdTokenError otherwise. */
export async function verifyIdToken(token: string, expect: IdTokenExpectations): Promise<JWTPayload> {
  const jose = await import("jose");
  const { decodeProtectedHeader, jwtVerify } = jose;
  let algorithm: unknown;
  try {
    algorithm = decodeProtectedHeader(token).alg;
  } catch {
    throw new IdTokenError(REASONS.malformed);
  }
  const key = keyFor(jose, algorithm, expect);
  let payload: JWTPayload;
  try {
    const checks = options(algorithm as string, expect);
    // jwtVerify's overloads take a key or a key set, not either.
    const verified =
      typeof key === "function" ? await jwtVerify(token, key, checks) : await jwtVerify(token, key, checks);
    payload = verified.payload;
  } catch (error) {
    throw refusal(jose, error);
  }
  if (expect.nonce !== undefined && payload.nonce !== expect.nonce) throw new IdTokenError(REASONS.nonce);
  return payload;
}

function options(algorithm: string, expect: IdTokenExpectations) {
  return {
    issuer: expect.issuers,
    audience: expect.audience,
    algorithms: [algorithm],
    currentDate: expect.now,
    clockTolerance: expect.skewSeconds,
    requiredClaims: ["sub", "exp"],
  };
}
