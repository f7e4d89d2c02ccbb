/**
 * Challenge sessions: the opaque `Session` strings that carry a sign-in from one step to the next.
 * The string is random; its state lives in the database under the string's hash. A session is bound
 * to its pool, client, user and pending challenge, is single-use, and expires after the client's
 * AuthSessionValidity (ADMIN_INITIATE_AUTH.md §18, CHALLENGES.md §2.1).
 */
import { createHash } from "node:crypto";
import { randomToken } from "../crypto/random.js";
import { authSessionValiditySeconds } from "../domain/clients.js";
import { Errors } from "../domain/errors.js";
import type { ChallengeNameType } from "../protocol/types.generated.js";
import type { AuthSessionRecord } from "../store/auth-sessions.js";
import type { UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { occasionally } from "./purge.js";
import type { SignIn } from "./sign-in.js";
import { unknownUserOfSession } from "./unknown-user.js";

/** Random bytes per Session string: 64 base64url characters, within the model's 20–2048. */
const SESSION_BYTES = 48;
/** Spent and expired sessions are kept this long, so reuse and expiry get their own messages. */
const RETENTION_MS = 24 * 60 * 60 * 1000;

function sessionId(session: string): string {
  return createHash("sha256").update(session, "utf8").digest("hex");
}

const purgeOccasionally = occasionally((store, now) =>
  store.authSessions.purgeExpired(new Date(now.getTime() - RETENTION_MS)),
);

/** Stores the state of a pending challenge and returns the new Session string for the client. */
export async function openSession(
  signIn: SignIn,
  challengeName: ChallengeNameType,
  state: Record<string, unknown> = {},
): Promise<string> {
  const { services, pool, client, now } = signIn;
  if (!signIn.user) throw new Error("a challenge session needs a resolved user");
  const session = randomToken(SESSION_BYTES);
  await purgeOccasionally(services.store, now);
  await services.store.authSessions.insert({
    id: sessionId(session),
    poolId: pool.id,
    clientId: client.id,
    usernameKey: signIn.user.usernameKey,
    challengeName,
    state: {
      authFlow: signIn.authFlow,
      authTime: signIn.authTime?.getTime(),
      sub: signIn.user.sub,
      passwordSetAt: signIn.user.password?.setAt.getTime(),
      deviceKey: signIn.device?.deviceKey,
      threat: signIn.threat,
      customAuthHistory: signIn.customAuthHistory,
      ...state,
    },
    createdAt: now,
    expiresAt: new Date(now.getTime() + authSessionValiditySeconds(client) * 1000),
    usedAt: null,
  });
  return session;
}

/**
 * The record a Session string names, whatever its pool and client: for the operations that name
 * neither (AssociateSoftwareToken, VerifySoftwareToken). Check it with `resumeSession` before use.
 */
export async function findSession(store: Store, session: string): Promise<AuthSessionRecord | undefined> {
  return store.authSessions.get(sessionId(session));
}

/**
 * The live session a respond request presents, or Cognito's error: unknown, tampered or issued to
 * another pool or client → invalid; spent → used once; past its validity → expired.
 */
export async function resumeSession(signIn: SignIn, session: string): Promise<AuthSessionRecord> {
  const record = await signIn.services.store.authSessions.get(sessionId(session));
  if (!record || record.poolId !== signIn.pool.id || record.clientId !== signIn.client.id) {
    throw Errors.sessionInvalid();
  }
  if (record.usedAt) throw Errors.sessionReused();
  if (signIn.now >= record.expiresAt) throw Errors.sessionExpired();
  return record;
}

/** Spends the session; when a concurrent answer spent it first, this one is a reuse. */
export async function consumeSession(store: Store, record: AuthSessionRecord, now: Date): Promise<void> {
  if (!(await store.authSessions.consume(record.id, now))) throw Errors.sessionReused();
}

/**
 * The session's user as it is now: gone (or a new user under the same name) → UserNotFoundException;
 * a password changed since the session was issued makes the proof it carries stale → invalid.
 */
export async function sessionUser(signIn: SignIn, record: AuthSessionRecord): Promise<UserRecord> {
  // Custom authentication of a name no user has goes on with its stand-in (unknown-user.ts).
  const standIn = unknownUserOfSession(signIn.pool, record.state, signIn.now);
  if (standIn) return standIn;
  const user = await signIn.services.store.users.get(record.poolId, record.usernameKey);
  if (!user || user.sub !== record.state.sub) throw Errors.userNotFound();
  if (user.password?.setAt.getTime() !== record.state.passwordSetAt) throw Errors.sessionInvalid();
  return user;
}

/** What openSession kept about the sign-in so far. */
export function sessionAuthTime(record: AuthSessionRecord): Date | undefined {
  const at = record.state.authTime;
  return typeof at === "number" ? new Date(at) : undefined;
}
