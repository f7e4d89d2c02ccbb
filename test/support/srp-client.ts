/**
 * The client's side of Cognito's SRP (CHALLENGES.md §4.4, §5), for tests and the bench: what
 * amazon-cognito-identity-js and Amplify compute, on our own primitives (the spec's vectors check
 * those). Used where the official clients cannot go: clients with a secret (identity-js does not
 * compute SECRET_HASH), the admin operations, and forged or replayed answers.
 */
import { randomBytes } from "node:crypto";
import {
  claimSignature,
  formatSrpTimestamp,
  fromHex,
  g,
  k,
  modPowN,
  N,
  padHex,
  passwordExponent,
  scramblingParameter,
  sessionKey,
  srpPoolName,
  toHex,
} from "../../src/crypto/srp.js";
import type { SrpMath } from "../../src/crypto/srp-pool.js";

export interface SrpStart {
  a: bigint;
  A: bigint;
  /** SRP_A as clients send it: lower-case hex, unpadded. */
  srpA: string;
}

const newSecretExponent = () => fromHex(randomBytes(32).toString("hex"));

function srpStart(a: bigint, A: bigint): SrpStart | undefined {
  return A % N === 0n ? undefined : { a, A, srpA: toHex(A) };
}

/** A fresh a (256 bits: enough for tests, and cheaper than Amplify's 1024) and A = g^a. */
export function startSrp(): SrpStart {
  for (;;) {
    const a = newSecretExponent();
    const start = srpStart(a, modPowN(g, a));
    if (start) return start;
  }
}

interface Proof {
  start: SrpStart;
  /** The SRP pool name (device proof: the DeviceGroupKey). */
  poolName: string;
  /** USER_ID_FOR_SRP (device proof: the DeviceKey). */
  userId: string;
  password: string;
  challenge: Record<string, string>;
  timestamp: string;
}

/** x, and u = H(A ‖ B): what the proof needs besides the two exponentiations. */
function proofInputs(proof: Proof): { B: bigint; x: bigint; u: bigint } {
  const B = fromHex(proof.challenge.SRP_B);
  const x = passwordExponent(proof.poolName, proof.userId, proof.password, proof.challenge.SALT);
  return { B, x, u: scramblingParameter(proof.start.A, B) };
}

/** (B − k·g^x) mod N, the base of the client's S. */
function secretBase(B: bigint, gx: bigint): bigint {
  return (((B - ((k * gx) % N)) % N) + N) % N;
}

/** PASSWORD_CLAIM_SIGNATURE: base64 HMAC under K over poolName ‖ userId ‖ SECRET_BLOCK ‖ TIMESTAMP. */
function signatureOf(proof: Proof, u: bigint, S: bigint): string {
  const message = Buffer.from(proof.challenge.SECRET_BLOCK, "base64");
  return claimSignature(sessionKey(u, S), proof.poolName, proof.userId, message, proof.timestamp).toString(
    "base64",
  );
}

/** The signature, with S = (B − k·g^x)^(a + u·x) computed on the calling thread. */
function signature(proof: Proof): string {
  const { B, x, u } = proofInputs(proof);
  return signatureOf(proof, u, modPowN(secretBase(B, modPowN(g, x)), proof.start.a + u * x));
}

export interface AnswerOptions {
  /** The client's clock: TIMESTAMP is formatted from it (default: now). */
  now?: Date;
  /** A TIMESTAMP as sent, instead of the formatted clock. */
  timestamp?: string;
}

/** The PASSWORD_VERIFIER ChallengeResponses for a PASSWORD_VERIFIER challenge. */
export function answerPasswordVerifier(
  args: { poolId: string; password: string; challenge: Record<string, string>; start: SrpStart },
  options: AnswerOptions = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? formatSrpTimestamp(options.now ?? new Date());
  const userId = args.challenge.USER_ID_FOR_SRP;
  return {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: args.challenge.SECRET_BLOCK,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature({
      start: args.start,
      poolName: srpPoolName(args.poolId),
      userId,
      password: args.password,
      challenge: args.challenge,
      timestamp,
    }),
  };
}

// ---- The same with the exponentiations on worker threads (the bench, where the client shares the machine) ----

export async function startSrpWith(math: SrpMath): Promise<SrpStart> {
  for (;;) {
    const a = newSecretExponent();
    const start = srpStart(a, await math.pow(g, a));
    if (start) return start;
  }
}

/** g^x per password: a client computes it on every sign-in; the bench keeps it, as it does not change. */
const gxCache = new Map<bigint, Promise<bigint>>();

function cachedPowG(math: SrpMath, x: bigint): Promise<bigint> {
  let gx = gxCache.get(x);
  if (!gx) {
    gx = math.pow(g, x);
    gxCache.set(x, gx);
  }
  return gx;
}

/** answerPasswordVerifier, its exponentiations done by `math`. */
export async function answerPasswordVerifierWith(
  math: SrpMath,
  args: { poolId: string; password: string; challenge: Record<string, string>; start: SrpStart },
): Promise<Record<string, string>> {
  const timestamp = formatSrpTimestamp(new Date());
  const userId = args.challenge.USER_ID_FOR_SRP;
  const proof = { ...args, poolName: srpPoolName(args.poolId), userId, timestamp };
  const { B, x, u } = proofInputs(proof);
  const S = await math.pow(secretBase(B, await cachedPowG(math, x)), args.start.a + u * x);
  return {
    USERNAME: userId,
    PASSWORD_CLAIM_SECRET_BLOCK: args.challenge.SECRET_BLOCK,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signatureOf(proof, u, S),
  };
}

// ---- Devices ----

export interface DeviceSecret {
  groupKey: string;
  deviceKey: string;
  /** The device's random password (identity-js: base64 of 40 random bytes). */
  secret: string;
  /** ConfirmDevice's DeviceSecretVerifierConfig. */
  verifierConfig: { PasswordVerifier: string; Salt: string };
}

const base64OfNumber = (n: bigint) => Buffer.from(padHex(n), "hex").toString("base64");

/** A device secret and its verifier, as identity-js makes them after NewDeviceMetadata. */
export function newDeviceSecret(metadata: { DeviceGroupKey: string; DeviceKey: string }): DeviceSecret {
  const secret = randomBytes(40).toString("base64");
  const salt = padHex(fromHex(randomBytes(16).toString("hex")));
  const x = passwordExponent(metadata.DeviceGroupKey, metadata.DeviceKey, secret, salt);
  return {
    groupKey: metadata.DeviceGroupKey,
    deviceKey: metadata.DeviceKey,
    secret,
    verifierConfig: { PasswordVerifier: base64OfNumber(modPowN(g, x)), Salt: base64OfNumber(fromHex(salt)) },
  };
}

/** The DEVICE_PASSWORD_VERIFIER ChallengeResponses (poolName := DeviceGroupKey, username := DeviceKey). */
export function answerDeviceVerifier(
  args: { device: DeviceSecret; username: string; challenge: Record<string, string>; start: SrpStart },
  options: AnswerOptions = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? formatSrpTimestamp(options.now ?? new Date());
  return {
    USERNAME: args.username,
    DEVICE_KEY: args.device.deviceKey,
    PASSWORD_CLAIM_SECRET_BLOCK: args.challenge.SECRET_BLOCK,
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature({
      start: args.start,
      poolName: args.device.groupKey,
      userId: args.device.deviceKey,
      password: args.device.secret,
      challenge: args.challenge,
      timestamp,
    }),
  };
}
