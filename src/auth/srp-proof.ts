/**
 * The server's side of an SRP exchange (CHALLENGES.md §4.3–§4.5), shared by the password proof
 * (PASSWORD_VERIFIER) and the device proof (DEVICE_PASSWORD_VERIFIER): checking the client's A,
 * making B, reading TIMESTAMP, and verifying PASSWORD_CLAIM_SIGNATURE. The exponentiations run on
 * the SRP worker threads.
 */
import { randomBytes } from "node:crypto";
import { workerCount } from "../config/config.js";
import { sameBytes } from "../crypto/compare.js";
import {
  claimSignature,
  formatSrpTimestamp,
  fromHex,
  g,
  k,
  N,
  parseSrpTimestamp,
  scramblingParameter,
  sessionKey,
} from "../crypto/srp.js";
import { type SrpMath, SrpValueRefused, srpMath } from "../crypto/srp-pool.js";
import { Errors } from "../domain/errors.js";
import type { Services } from "../services.js";
import type { SignIn } from "./sign-in.js";
import type { SrpNumbers } from "./srp-state.js";

const HEX = /^[0-9a-fA-F]+$/;
/** Longer than any value below N; refused before BigInt parses it. */
const MAX_HEX_DIGITS = 1024;

/** The SRP arithmetic as configured: `srp.workers` threads, or the default for the server's processes. */
export function srpMathOf(services: Services): SrpMath {
  return srpMath(services.config.srp.workers, workerCount(services.config));
}

/** SRP_A as a number, or `InvalidParameterException` when it is not hex or is 0 mod N. */
export function clientPublicValue(srpA: string): bigint {
  if (srpA.length > MAX_HEX_DIGITS || !HEX.test(srpA)) throw Errors.invalidSrpA();
  const A = fromHex(srpA);
  if (A % N === 0n) throw Errors.invalidSrpA();
  return A;
}

/** A fresh secret b (256 bits) and B = (k·v + g^b) mod N, never 0 mod N. */
export async function serverPublicValue(
  services: Services,
  verifier: bigint,
  A: bigint,
): Promise<SrpNumbers> {
  for (;;) {
    const b = fromHex(randomBytes(32).toString("hex"));
    const B = (k * verifier + (await srpMathOf(services).pow(g, b))) % N;
    if (B !== 0n) return { A, B, b };
  }
}

/**
 * TIMESTAMP as Cognito reads it: unparseable → the format error; further from the server's clock
 * than `srp.timestampSkewSeconds` → refused. Returns the canonical re-formatting, which is what
 * the signature is checked over (so a zero-padded day or a wrong weekday fails the signature).
 */
export function checkedTimestamp(signIn: SignIn, text: string): string {
  const at = parseSrpTimestamp(text);
  if (!at) throw Errors.srpTimestampFormat();
  const skewMs = signIn.services.config.srp.timestampSkewSeconds * 1000;
  if (Math.abs(signIn.now.getTime() - at.getTime()) > skewMs) throw Errors.srpTimestampSkew();
  // The zone's name as the client wrote it: UTC and GMT are both accepted [UNDOC].
  const canonical = formatSrpTimestamp(at);
  return text.includes(" GMT ") ? canonical.replace(" UTC ", " GMT ") : canonical;
}

export interface Claim {
  numbers: SrpNumbers;
  verifier: bigint;
  /** The pool's SRP name (device proof: the DeviceGroupKey). */
  poolName: string;
  /** USER_ID_FOR_SRP (device proof: the DeviceKey). */
  userId: string;
  secretBlock: string;
  /** The canonical TIMESTAMP. */
  timestamp: string;
  signature: string;
}

/** Whether PASSWORD_CLAIM_SIGNATURE proves the secret behind `verifier`; compared in constant time. */
export async function claimIsValid(services: Services, claim: Claim): Promise<boolean> {
  const { A, B, b } = claim.numbers;
  const u = scramblingParameter(A, B);
  if (u === 0n) return false;
  let S: bigint;
  try {
    S = await srpMathOf(services).serverSecret(A, claim.verifier, u, b);
  } catch (error) {
    // A degenerate value a chosen A aimed for is a wrong proof; a worker that died is a server fault.
    if (error instanceof SrpValueRefused) return false;
    throw error;
  }
  const expected = claimSignature(
    sessionKey(u, S),
    claim.poolName,
    claim.userId,
    Buffer.from(claim.secretBlock, "base64"),
    claim.timestamp,
  );
  const given = Buffer.from(claim.signature, "base64");
  return sameBytes(given, expected);
}
