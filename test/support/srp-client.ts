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

export interface SrpStart {
  a: bigint;
  A: bigint;
  /** SRP_A as clients send it: lower-case hex, unpadded. */
  srpA: string;
}

/** A fresh a (256 bits: enough for tests, and cheaper than Amplify's 1024) and A = g^a. */
export function startSrp(): SrpStart {
  for (;;) {
    const a = fromHex(randomBytes(32).toString("hex"));
    const A = modPowN(g, a);
    if (A % N !== 0n) return { a, A, srpA: toHex(A) };
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

/** PASSWORD_CLAIM_SIGNATURE: K from S = (B − k·g^x)^(a + u·x), then HMAC over the message. */
function signature(proof: Proof): string {
  const { a, A } = proof.start;
  const B = fromHex(proof.challenge.SRP_B);
  const x = passwordExponent(proof.poolName, proof.userId, proof.password, proof.challenge.SALT);
  const u = scramblingParameter(A, B);
  const base = (((B - ((k * modPowN(g, x)) % N)) % N) + N) % N;
  const S = modPowN(base, a + u * x);
  const message = Buffer.from(proof.challenge.SECRET_BLOCK, "base64");
  return claimSignature(sessionKey(u, S), proof.poolName, proof.userId, message, proof.timestamp).toString(
    "base64",
  );
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
