/**
 * SRP-6a as Cognito uses it (3072-bit group, SHA-256, padHex): the password verifier kept for each
 * password, and the modular arithmetic SRP sign-in builds on. Modular exponentiation goes through
 * node:crypto's native Diffie-Hellman (g^x mod N = the public key for private key x).
 */
import { createDiffieHellman, createHash, createHmac, randomBytes } from "node:crypto";
import { sameBytes } from "./compare.js";

export const N_HEX =
  "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
  "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
  "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
  "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
  "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
  "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

export const N = BigInt(`0x${N_HEX}`);
export const g = 2n;
const N_BYTES = Buffer.from(N_HEX, "hex");
const G_BYTES = Buffer.from([2]);

export function toHex(n: bigint): string {
  return n.toString(16);
}

export function fromHex(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

/** The minimal big-endian two's-complement-positive hex of n: even length, no leading bit set. */
export function padHex(n: bigint): string {
  const h = n.toString(16);
  if (h.length % 2 === 1) return `0${h}`;
  return "89abcdef".includes(h[0]) ? `00${h}` : h;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** H(bytes(hex₁ ‖ hex₂ ‖ …)) as an integer. */
export function hashHexConcat(...hexes: string[]): bigint {
  return fromHex(sha256Hex(Buffer.from(hexes.join(""), "hex")));
}

/** k = H(padHex(N) ‖ padHex(g)). */
export const k = hashHexConcat(padHex(N), padHex(g));

function bigintBytes(n: bigint): Buffer {
  const h = n.toString(16);
  return Buffer.from(h.length % 2 ? `0${h}` : h, "hex");
}

/**
 * base^exponent mod N, natively. The group is always created with generator 2 (OpenSSL validates
 * other generators at great cost); other bases go through computeSecret, which raises the given
 * "public key" to the private exponent.
 */
export function modPowN(base: bigint, exponent: bigint): bigint {
  const dh = createDiffieHellman(N_BYTES, G_BYTES);
  dh.setPrivateKey(bigintBytes(exponent));
  if (base === g) {
    dh.generateKeys();
    return fromHex(dh.getPublicKey("hex"));
  }
  return fromHex(dh.computeSecret(bigintBytes(base)).toString("hex"));
}

/** x = H(padHex(salt) ‖ hex(SHA256(poolName ‖ username ‖ ":" ‖ password))). */
export function passwordExponent(
  poolName: string,
  username: string,
  password: string,
  saltHex: string,
): bigint {
  const inner = sha256Hex(Buffer.from(`${poolName}${username}:${password}`, "utf8"));
  return hashHexConcat(padHex(fromHex(saltHex)), inner);
}

/** The part of a pool id after the first `_`, which SRP hashes as the pool's name. */
export function srpPoolName(poolId: string): string {
  return poolId.slice(poolId.indexOf("_") + 1);
}

/** A 16-byte salt whose first byte keeps the hex free of padding ambiguity (0x01–0x7f). */
export function newSalt(): string {
  const salt = randomBytes(16);
  salt[0] = (salt[0] % 0x7f) + 1;
  return salt.toString("hex");
}

export interface Verifier {
  salt: string;
  verifier: string;
}

/** The verifier a password is kept as: v = g^x mod N. */
export function computeVerifier(
  poolId: string,
  username: string,
  password: string,
  saltHex = newSalt(),
): Verifier {
  const x = passwordExponent(srpPoolName(poolId), username, password, saltHex);
  return { salt: saltHex, verifier: padHex(modPowN(g, x)) };
}

/** Checks a plaintext password against a stored verifier: one exponentiation, compared in constant time. */
export function passwordMatches(
  poolId: string,
  username: string,
  password: string,
  stored: Verifier,
): boolean {
  const candidate = Buffer.from(computeVerifier(poolId, username, password, stored.salt).verifier, "hex");
  const expected = Buffer.from(stored.verifier, "hex");
  return sameBytes(candidate, expected);
}

// ---- The server's side of an SRP sign-in (CHALLENGES.md §4.3–§4.5) ----

/** A random server exponent b (256 bits) and B = (k·v + g^b) mod N, never 0 mod N. */
export function serverEphemeral(
  verifier: bigint,
  b = fromHex(randomBytes(32).toString("hex")),
): { b: bigint; B: bigint } {
  const B = (k * verifier + modPowN(g, b)) % N;
  if (B === 0n) return serverEphemeral(verifier);
  return { b, B };
}

/** u = H(padHex(A) ‖ padHex(B)). */
export function scramblingParameter(A: bigint, B: bigint): bigint {
  return hashHexConcat(padHex(A), padHex(B));
}

/** The server's premaster secret S = (A · v^u)^b mod N. */
export function serverSecret(A: bigint, verifier: bigint, u: bigint, b: bigint): bigint {
  return modPowN((A * modPowN(verifier, u)) % N, b);
}

/** K: HKDF-SHA256 with salt padHex(u), input padHex(S), info "Caldera Derived Key", 16 bytes. */
export function sessionKey(u: bigint, S: bigint): Buffer {
  const prk = createHmac("sha256", Buffer.from(padHex(u), "hex"))
    .update(Buffer.from(padHex(S), "hex"))
    .digest();
  return createHmac("sha256", prk)
    .update(Buffer.concat([Buffer.from("Caldera Derived Key", "utf8"), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

/** base64(HMAC-SHA256(K, poolName ‖ userId ‖ secretBlock ‖ timestamp)): what the client proves. */
export function claimSignature(
  key: Buffer,
  poolName: string,
  userId: string,
  secretBlock: Buffer,
  timestamp: string,
): Buffer {
  return createHmac("sha256", key)
    .update(
      Buffer.concat([
        Buffer.from(poolName, "utf8"),
        Buffer.from(userId, "utf8"),
        secretBlock,
        Buffer.from(timestamp, "utf8"),
      ]),
    )
    .digest();
}

/** Checks the client's PASSWORD_CLAIM_SIGNATURE in constant time. */
export function verifyClaim(args: {
  A: bigint;
  B: bigint;
  b: bigint;
  verifier: bigint;
  poolName: string;
  userId: string;
  secretBlock: Buffer;
  timestamp: string;
  signature: string;
}): boolean {
  if (args.A % N === 0n) return false;
  const u = scramblingParameter(args.A, args.B);
  if (u === 0n) return false;
  let S: bigint;
  try {
    S = serverSecret(args.A, args.verifier, u, args.b);
  } catch {
    // OpenSSL refuses degenerate values (1, N-1) an attacker can aim for with a chosen A.
    return false;
  }
  const expected = claimSignature(
    sessionKey(u, S),
    args.poolName,
    args.userId,
    args.secretBlock,
    args.timestamp,
  );
  const given = Buffer.from(args.signature, "base64");
  return sameBytes(given, expected);
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/** Java's `EEE MMM d HH:mm:ss z yyyy` in English, UTC: `Tue May 7 00:09:40 UTC 2025`. */
export function formatSrpTimestamp(date: Date): string {
  return (
    `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`
  );
}

const TIMESTAMP =
  /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (UTC|GMT) (\d{4})$/;

/**
 * Parses a TIMESTAMP as Cognito does: a single space between fields (a space-padded day is not
 * accepted), any weekday. Returns the instant; the caller signs the canonical re-formatting, so a
 * zero-padded day or a wrong weekday parses but then fails the signature, as observed on Cognito.
 */
export function parseSrpTimestamp(text: string): Date | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, , month, day, hh, mm, ss, , year] = m;
  const date = new Date(
    Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), Number(hh), Number(mm), Number(ss)),
  );
  if (date.getUTCDate() !== Number(day) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59)
    return undefined;
  return date;
}
