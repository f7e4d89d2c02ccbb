/**
 * The server's SRP state between a challenge and its answer, carried by the client in SECRET_BLOCK
 * (CHALLENGES.md §4.3). Sealed with AES-256-GCM under a key all instances share (server-keys.ts),
 * it cannot be read, forged, or moved to another pool, client, user or device. It is good for the
 * client's AuthSessionValidity (3 minutes by default) from its issue, and is answered once: a block
 * issued with a Session is spent with that Session; a block without one (USER_SRP_AUTH) is recorded
 * in srp_spent_blocks, which every instance reads, until it would have expired anyway.
 */
import { randomBytes } from "node:crypto";
import { fromHex, padHex } from "../crypto/srp.js";
import { authSessionValiditySeconds } from "../domain/clients.js";
import { Errors } from "../domain/errors.js";
import { serverSealer } from "../domain/server-keys.js";
import type { AuthFlowType } from "../protocol/types.generated.js";
import type { ClientRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { occasionally } from "./purge.js";
import type { SignIn } from "./sign-in.js";

const SEAL_PURPOSE = "srp-secret-block";

/** Whose secret the answer proves: the user's password, or a remembered device's secret. */
export type SrpProof = "password" | "device";

export interface SrpState {
  /** Random: what the spent-block record is keyed by. */
  id: string;
  proof: SrpProof;
  pool: string;
  client: string;
  /** The user's usernameKey; for the simulated challenge of an unknown user, the name as looked up. */
  user: string;
  /** The user's sub; null for a simulated challenge (which can never be answered). */
  sub: string | null;
  /** When the verifier in use was set: a password changed meanwhile makes the block stale. */
  verifierSetAt: number | null;
  /** The device being proven (device proof), or the DEVICE_KEY given with USER_SRP_AUTH. */
  device: string | null;
  flow: AuthFlowType | null;
  /** Whether a Session was issued with the block; it is then spent with that Session. */
  withSession: boolean;
  /** The client's public value, the server's public value and secret exponent (base64 of big-endian bytes). */
  A: string;
  B: string;
  b: string;
  issuedAt: number;
}

export interface SrpNumbers {
  A: bigint;
  B: bigint;
  b: bigint;
}

const encode = (n: bigint) => Buffer.from(padHex(n), "hex").toString("base64");
const decode = (text: string) => fromHex(Buffer.from(text, "base64").toString("hex") || "0");

export function srpNumbers(state: SrpState): SrpNumbers {
  return { A: decode(state.A), B: decode(state.B), b: decode(state.b) };
}

export function newSrpState(
  fields: Omit<SrpState, "id" | "A" | "B" | "b" | "issuedAt">,
  numbers: SrpNumbers,
  now: Date,
): SrpState {
  return {
    id: randomBytes(16).toString("base64url"),
    ...fields,
    A: encode(numbers.A),
    B: encode(numbers.B),
    b: encode(numbers.b),
    issuedAt: now.getTime(),
  };
}

/** The SECRET_BLOCK: standard base64, as clients decode it. */
export async function sealSrpState(store: Store, state: SrpState): Promise<string> {
  return (await serverSealer(store)).seal(SEAL_PURPOSE, state).toString("base64");
}

function expiresAt(state: SrpState, client: ClientRecord): Date {
  return new Date(state.issuedAt + authSessionValiditySeconds(client) * 1000);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The state a SECRET_BLOCK carries, for this pool, client and kind of proof. Garbage, a tampered
 * block or another pool's or client's → `Incorrect username or password.` [UNDOC, the safest];
 * past its lifetime → `Invalid session for the user, session is expired.`, as a Session would.
 */
export async function openSrpState(signIn: SignIn, block: string, proof: SrpProof): Promise<SrpState> {
  const { services, pool, client, now } = signIn;
  if (!BASE64.test(block)) throw Errors.incorrectUsernameOrPassword();
  const state = (await serverSealer(services.store)).open<SrpState>(
    SEAL_PURPOSE,
    Buffer.from(block, "base64"),
  );
  if (!state || state.proof !== proof || state.pool !== pool.id || state.client !== client.id) {
    throw Errors.incorrectUsernameOrPassword();
  }
  if (now >= expiresAt(state, client)) throw Errors.sessionExpired();
  return state;
}

const purgeOccasionally = occasionally((store, now) => store.spentSrpBlocks.purgeExpired(now));

/**
 * Spends a block issued without a Session: one insert, which also finds a block answered before (a
 * replay, or a concurrent answer that got there first) → `session can only be used once`.
 */
export async function spendSrpState(signIn: SignIn, state: SrpState): Promise<void> {
  const { services, client, now } = signIn;
  await purgeOccasionally(services.store, now);
  if (!(await services.store.spentSrpBlocks.spend(state.id, expiresAt(state, client)))) {
    throw Errors.sessionReused();
  }
}
