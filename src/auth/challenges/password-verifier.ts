/**
 * PASSWORD_VERIFIER (CHALLENGES.md §3.1, §4): the SRP proof of the password. The challenge carries
 * SALT, SRP_B, SECRET_BLOCK, USERNAME and USER_ID_FOR_SRP; after USER_SRP_AUTH it has no Session
 * (its state travels sealed in SECRET_BLOCK), after CUSTOM_AUTH+SRP_A it has one.
 *
 * The answer, in this order: the block (authentic, this pool's and client's, live), the user it was
 * issued for, TIMESTAMP (format, then skew), the lockout, the device presented (refused before the
 * block is spent, so clients can retry without it), the proof, then the block is spent: a block
 * answered before is refused there, whatever the proof. A wrong proof is `Incorrect username or
 * password.` and counts toward the lockout; a right one continues like a right password
 * (NEW_PASSWORD_REQUIRED, MFA, devices, tokens).
 */
import { fromHex, padHex, srpPoolName, toHex } from "../../crypto/srp.js";
import { Errors } from "../../domain/errors.js";
import { usernameKey } from "../../domain/pools.js";
import { deriveBytes } from "../../domain/server-keys.js";
import type { UserRecord } from "../../store/records.js";
import { assertNotLocked, recordCorrectPassword, recordFailedPassword } from "../lockout.js";
import { consumeSession, openSession } from "../session.js";
import { type AuthOutcome, resolvedUser, type SignIn } from "../sign-in.js";
import { checkedTimestamp, claimIsValid, serverPublicValue } from "../srp-proof.js";
import {
  newSrpState,
  openSrpState,
  type SrpNumbers,
  type SrpState,
  sealSrpState,
  spendSrpState,
  srpNumbers,
} from "../srp-state.js";
import { resolveDevice } from "../steps/devices.js";
import { requireParameters } from "../steps/required-parameters.js";
import { checkSecretHash } from "../steps/secret-hash.js";
import { isUnknownUser, SIMULATED_SRP_USER_ID, unknownUserState } from "../unknown-user.js";
import type { ChallengeModule } from "./challenge.js";

const ANSWER = ["PASSWORD_CLAIM_SIGNATURE", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP"] as const;

// ---------------------------------------------------------------------------------------------
// Issuing the challenge

interface Identity {
  /** USER_ID_FOR_SRP: the real username, whose password the verifier was made with. */
  userId: string;
  salt: string;
  verifier: bigint;
}

/**
 * What an unknown user gets when the client hides user existence: a salt, a UUID-shaped user id
 * and a verifier derived from the pool and the name (RFC 5054 §2.5.1.3), the same on every
 * attempt and every instance, so that nothing tells it from a real user's until the proof fails.
 */
async function simulatedIdentity(signIn: SignIn, nameKey: string): Promise<Identity> {
  const bytes = await deriveBytes(signIn.services.store, "srp-simulated-user", signIn.pool.id, nameKey);
  const salt = Buffer.from(bytes.subarray(0, 16));
  salt[0] = (salt[0] % 0x7f) + 1;
  const id = Buffer.from(bytes.subarray(16, 32));
  id[6] = (id[6] & 0x0f) | 0x40;
  id[8] = (id[8] & 0x3f) | 0x80;
  const hex = id.toString("hex");
  const verifier = await deriveBytes(
    signIn.services.store,
    "srp-simulated-verifier",
    signIn.pool.id,
    nameKey,
  );
  return {
    userId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    salt: salt.toString("hex"),
    verifier: fromHex(verifier.toString("hex")),
  };
}

/** A user without a password (federated) is simulated too; the account-state gate refuses most first. */
async function identityOf(signIn: SignIn, user: UserRecord): Promise<Identity> {
  if (!user.password) return simulatedIdentity(signIn, user.usernameKey);
  return { userId: user.username, salt: user.password.salt, verifier: fromHex(user.password.verifier) };
}

async function challenge(
  signIn: SignIn,
  identity: Identity,
  numbers: SrpNumbers,
  state: SrpState,
): Promise<AuthOutcome> {
  const secretBlock = await sealSrpState(signIn.services.store, state);
  // A simulated challenge's Session brings the stand-in back, like a real one its user.
  const simulated =
    state.sub === null && signIn.user && isUnknownUser(signIn.user)
      ? { ...unknownUserState(signIn.user), [SIMULATED_SRP_USER_ID]: identity.userId }
      : {};
  return {
    kind: "challenge",
    challengeName: "PASSWORD_VERIFIER",
    challengeParameters: {
      SALT: padHex(fromHex(identity.salt)),
      SRP_B: toHex(numbers.B),
      SECRET_BLOCK: secretBlock,
      USERNAME: identity.userId,
      USER_ID_FOR_SRP: identity.userId,
    },
    session: state.withSession
      ? await openSession(signIn, "PASSWORD_VERIFIER", { srpBlockId: state.id, ...simulated })
      : undefined,
  };
}

/**
 * The PASSWORD_VERIFIER challenge for the sign-in's resolved user and the client's SRP_A (already
 * checked with clientPublicValue). USER_SRP_AUTH issues it without a Session; other flows that
 * start SRP (CUSTOM_AUTH with SRP_A, USER_AUTH with PASSWORD_SRP) with one.
 */
export async function passwordVerifierChallenge(signIn: SignIn, A: bigint): Promise<AuthOutcome> {
  const user = resolvedUser(signIn);
  const identity = await identityOf(signIn, user);
  const numbers = await serverPublicValue(signIn.services, identity.verifier, A);
  const state = newSrpState(
    {
      proof: "password",
      pool: signIn.pool.id,
      client: signIn.client.id,
      user: user.usernameKey,
      sub: user.password ? user.sub : null,
      verifierSetAt: user.password?.setAt.getTime() ?? null,
      device: signIn.device?.deviceKey ?? null,
      flow: signIn.authFlow ?? null,
      withSession: signIn.authFlow !== "USER_SRP_AUTH",
    },
    numbers,
    signIn.now,
  );
  return challenge(signIn, identity, numbers, state);
}

/**
 * The simulated challenge for a user that does not exist (PreventUserExistenceErrors ENABLED):
 * without a Session after USER_SRP_AUTH, with one (as a real user's) after USER_AUTH's PASSWORD_SRP.
 */
export async function simulatedPasswordVerifierChallenge(
  signIn: SignIn,
  username: string,
  A: bigint,
): Promise<AuthOutcome> {
  const nameKey = usernameKey(signIn.pool, username);
  const identity = await simulatedIdentity(signIn, nameKey);
  const numbers = await serverPublicValue(signIn.services, identity.verifier, A);
  const state = newSrpState(
    {
      proof: "password",
      pool: signIn.pool.id,
      client: signIn.client.id,
      user: nameKey,
      sub: null,
      verifierSetAt: null,
      device: null,
      flow: signIn.authFlow ?? null,
      withSession: signIn.authFlow !== "USER_SRP_AUTH",
    },
    numbers,
    signIn.now,
  );
  return challenge(signIn, identity, numbers, state);
}

// ---------------------------------------------------------------------------------------------
// Answering it

/** The block each answer opened, for the answer step. */
const opened = new WeakMap<SignIn, SrpState>();

/**
 * The answer to a simulated challenge goes through the checks a real one would meet (secret hash,
 * the answer's parameters, TIMESTAMP), the same exponentiations and the same spending of the block
 * (so a replay is refused as a replay), then fails as a wrong password does.
 */
async function failSimulated(signIn: SignIn, state: SrpState): Promise<never> {
  const parameters = signIn.request.parameters;
  requireParameters(parameters, ["USERNAME"]);
  checkSecretHash(signIn.client, [parameters.USERNAME], parameters.SECRET_HASH);
  requireParameters(parameters, ANSWER);
  const timestamp = checkedTimestamp(signIn, parameters.TIMESTAMP);
  const identity = await simulatedIdentity(signIn, state.user);
  await claimIsValid(signIn.services, {
    numbers: srpNumbers(state),
    verifier: identity.verifier,
    poolName: srpPoolName(signIn.pool.id),
    userId: identity.userId,
    secretBlock: parameters.PASSWORD_CLAIM_SECRET_BLOCK,
    timestamp,
    signature: parameters.PASSWORD_CLAIM_SIGNATURE,
  });
  await spend(signIn, state);
  throw Errors.incorrectUsernameOrPassword();
}

/** The user a block was issued for, as the user is now. */
async function blockUser(signIn: SignIn, state: SrpState): Promise<UserRecord> {
  const user = await signIn.services.store.users.get(signIn.pool.id, state.user);
  // Deleted since (or deleted and created again): as for a Session [CHALLENGES.md §2 step 7].
  if (!user || user.sub !== state.sub) throw Errors.userNotFound();
  // A password changed since the challenge: the proof would be of the old one.
  if ((user.password?.setAt.getTime() ?? null) !== state.verifierSetAt)
    throw Errors.incorrectUsernameOrPassword();
  return user;
}

function secretBlockOf(signIn: SignIn): string {
  const block = signIn.request.parameters.PASSWORD_CLAIM_SECRET_BLOCK;
  if (!block) throw Errors.missingParameter("PASSWORD_CLAIM_SECRET_BLOCK");
  return block;
}

/** Without a Session (USER_SRP_AUTH): the block restores the sign-in. */
async function resumeFromBlock(signIn: SignIn): Promise<void> {
  const state = await openSrpState(signIn, secretBlockOf(signIn), "password");
  if (state.withSession) throw Errors.missingParameter("Session");
  if (state.sub === null) await failSimulated(signIn, state);
  signIn.user = await blockUser(signIn, state);
  signIn.authFlow = state.flow ?? undefined;
  opened.set(signIn, state);
}

/**
 * With a Session (CUSTOM_AUTH+SRP_A, USER_AUTH's PASSWORD_SRP): the block must be the one issued
 * with it, for its user (the stand-in of a simulated challenge has no sub).
 */
async function stateForSession(signIn: SignIn): Promise<SrpState> {
  const resumed = opened.get(signIn);
  if (resumed) return resumed;
  const state = await openSrpState(signIn, secretBlockOf(signIn), "password");
  const user = resolvedUser(signIn);
  const sub = isUnknownUser(user) ? null : user.sub;
  if (
    !state.withSession ||
    state.id !== signIn.session?.state.srpBlockId ||
    state.user !== user.usernameKey ||
    state.sub !== sub
  ) {
    throw Errors.incorrectUsernameOrPassword();
  }
  return state;
}

/** The block is answered once: with its Session, or in the spent-block record. */
async function spend(signIn: SignIn, state: SrpState): Promise<void> {
  if (signIn.session) await consumeSession(signIn.services.store, signIn.session, signIn.now);
  else await spendSrpState(signIn, state);
}

export const passwordVerifier: ChallengeModule = {
  name: "PASSWORD_VERIFIER",
  requiresSession: false,
  requiredResponses: ANSWER,
  resume: resumeFromBlock,
  async answer(signIn) {
    const { services, pool, now } = signIn;
    const parameters = signIn.request.parameters;
    const state = await stateForSession(signIn);
    const user = resolvedUser(signIn);
    if (isUnknownUser(user)) return failSimulated(signIn, state);
    const timestamp = checkedTimestamp(signIn, parameters.TIMESTAMP);
    const lockout = await assertNotLocked(services.store, pool, user, now);
    await resolveDevice(signIn, parameters.DEVICE_KEY || state.device || undefined);
    const valid = await claimIsValid(services, {
      numbers: srpNumbers(state),
      verifier: fromHex((user.password as NonNullable<UserRecord["password"]>).verifier),
      poolName: srpPoolName(pool.id),
      userId: user.username,
      secretBlock: parameters.PASSWORD_CLAIM_SECRET_BLOCK,
      timestamp,
      signature: parameters.PASSWORD_CLAIM_SIGNATURE,
    });
    await spend(signIn, state);
    if (!valid) {
      await recordFailedPassword(services.store, pool, user, now);
      throw Errors.incorrectUsernameOrPassword();
    }
    await recordCorrectPassword(services.store, pool, user, lockout);
    signIn.authTime = now;
    return undefined;
  },
};
