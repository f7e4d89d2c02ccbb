/**
 * The floor: the CPU that the cryptography a request cannot avoid costs on this machine, measured in
 * the same run as the load (these machines differ by 2× from one day to the next, and a loaded one
 * from one minute to the next: the bench measures it again before each scenario). Measured on the
 * bench's own thread, one operation at a time, with the server's own primitives: a 3072-bit modular
 * exponentiation with a 256-bit exponent (the SRP group; a password check recomputes the verifier
 * with one) and an RS256 signature with a 2048-bit key (the tokens).
 */
import { generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { fromHex, g, modPowN } from "../src/crypto/srp.js";

export interface Floor {
  /** CPU ms of one modular exponentiation. */
  exponentiation: number;
  /** CPU ms of one RS256 signature. */
  signature: number;
}

function cpuMsPerCall(count: number, run: () => void): number {
  run(); // warm up
  const start = process.cpuUsage();
  for (let i = 0; i < count; i++) run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / count;
}

let signingKey: KeyObject | undefined;

export function measureFloor(): Floor {
  const exponent = () => fromHex(randomBytes(32).toString("hex"));
  signingKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const privateKey = signingKey;
  const claims = Buffer.from(`eyJhbGciOiJSUzI1NiJ9.${randomBytes(600).toString("base64url")}`);
  return {
    exponentiation: cpuMsPerCall(200, () => modPowN(g, exponent())),
    signature: cpuMsPerCall(400, () => sign("sha256", claims, privateKey)),
  };
}

/** What each scenario's requests cannot do without, in exponentiations and signatures. */
export const UNAVOIDABLE: Record<string, { exponentiations: number; signatures: number }> = {
  // The verifier recomputed from the password; an ID and an access token.
  password: { exponentiations: 1, signatures: 2 },
  mix: { exponentiations: 1, signatures: 2 },
  // New ID and access tokens.
  refresh: { exponentiations: 0, signatures: 2 },
  // B = kv + g^b, then S = (A·v^u)^b as two; the tokens.
  srp: { exponentiations: 3, signatures: 2 },
  // B = kv + g^b.
  "srp-initiate": { exponentiations: 1, signatures: 0 },
  // An access token only.
  "client-credentials": { exponentiations: 0, signatures: 1 },
  "token-refresh": { exponentiations: 0, signatures: 2 },
  // The password on the sign-in page; the tokens the code is exchanged for.
  "code-flow": { exponentiations: 1, signatures: 2 },
};

export function floorOf(scenario: string, floor: Floor): number {
  const { exponentiations, signatures } = UNAVOIDABLE[scenario];
  return exponentiations * floor.exponentiation + signatures * floor.signature;
}
