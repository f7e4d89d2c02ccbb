/**
 * One-time codes of a sign-in, sent by SMS or email (CHALLENGES.md §3.3): SMS_MFA and EMAIL_OTP
 * as second factors, and SMS_OTP / EMAIL_OTP as passwordless first factors. A code is random
 * digits from the CSPRNG (6 by SMS, 8 by email), sent with the pool's authentication message (or
 * the CustomMessage trigger's), kept only as a keyed hash bound to the challenge's Session, valid
 * as long as that Session (AuthSessionValidity), and checked in constant time. One sign-in code
 * is live per user: a newer sign-in's code replaces an older one.
 *
 * A wrong code leaves the Session usable but counts as a failed sign-in attempt: from the fifth in
 * a row the user is locked out as after wrong passwords (auth/lockout.ts) [DG MFA].
 */
import { sameText } from "../crypto/compare.js";
import { randomToken } from "../crypto/random.js";
import { authSessionValiditySeconds } from "../domain/clients.js";
import { fillTemplate, maskDestination } from "../domain/codes.js";
import { customizedText, type MessageText } from "../domain/custom-message.js";
import { type CognitoError, Errors } from "../domain/errors.js";
import { messageCode } from "../domain/fixed-codes.js";
import { poolMfaFactors } from "../domain/mfa.js";
import { deriveBytes } from "../domain/server-keys.js";
import type { DeliveryMediumType } from "../protocol/types.generated.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { assertNotLocked, recordCorrectPassword, recordFailedPassword } from "./lockout.js";
import { consumeSession, openSession } from "./session.js";
import { type AuthOutcome, resolvedUser, type SignIn } from "./sign-in.js";
import { respondClientMetadata } from "./steps/triggers.js";

/** The challenges answered with a code sent at challenge time. */
export type SignInCodeChallenge = "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP";

/** The store keeps one live sign-in code per user under this purpose. */
const CODE_PURPOSE = "sign-in";
/** What the outbox and the senders are told the message is for. */
export const SIGN_IN_CODE_MESSAGE_PURPOSE = "sign-in-code";
/** The Session state key of the pending code. */
const STATE_KEY = "signInCode";

const DIGITS: Record<DeliveryMediumType, number> = { SMS: 6, EMAIL: 8 };

/** Cognito's authentication messages when the pool sets none [OBS SMS; UNDOC email subject]. */
const DEFAULT_SMS_MESSAGE = "Your authentication code is {####}. ";
const DEFAULT_EMAIL_MESSAGE = "Your authentication code is {####}. ";
const DEFAULT_EMAIL_SUBJECT = "Your authentication code";

export interface SignInCodeRequest {
  challengeName: SignInCodeChallenge;
  /** Where to send it; by default the user's email (EMAIL_OTP) or phone_number (SMS_*). */
  destination?: string;
  /** ChallengeParameters besides the delivery medium and the masked destination. */
  parameters?: Record<string, string>;
  /** What else the answer needs to find in the Session's state. */
  state?: Record<string, unknown>;
}

interface PendingCode {
  nonce: string;
  challengeName: SignInCodeChallenge;
}

function channelOf(challengeName: SignInCodeChallenge): DeliveryMediumType {
  return challengeName === "EMAIL_OTP" ? "EMAIL" : "SMS";
}

/** The code's hash, bound to its pool, user and Session (by the nonce the Session keeps). */
async function codeHash(store: Store, pool: PoolRecord, user: UserRecord, nonce: string, code: string) {
  return (await deriveBytes(store, "sign-in-code", pool.id, user.usernameKey, nonce, code)).toString("hex");
}

async function messageTemplate(signIn: SignIn, channel: DeliveryMediumType): Promise<MessageText> {
  const { pool, services } = signIn;
  if (channel === "SMS") return { message: pool.config.SmsAuthenticationMessage ?? DEFAULT_SMS_MESSAGE };
  const email = (await poolMfaFactors(services.store, pool)).email;
  return {
    message: email?.Message ?? DEFAULT_EMAIL_MESSAGE,
    subject: email?.Subject ?? DEFAULT_EMAIL_SUBJECT,
  };
}

async function deliver(signIn: SignIn, channel: DeliveryMediumType, destination: string, code: string) {
  const { services, pool, client, now } = signIn;
  const user = resolvedUser(signIn);
  const text = await customizedText(services, {
    pool,
    user,
    purpose: SIGN_IN_CODE_MESSAGE_PURPOSE,
    channel,
    text: await messageTemplate(signIn, channel),
    trigger: {
      source: "CustomMessage_Authentication",
      clientId: client.id,
      // ClientMetadata reaches CustomMessage only from the respond operations [DG].
      clientMetadata: respondClientMetadata(signIn),
    },
  });
  const values = { code, username: user.username };
  await services.messages.send(
    {
      poolId: pool.id,
      username: user.username,
      channel,
      destination,
      purpose: SIGN_IN_CODE_MESSAGE_PURPOSE,
      subject: text.subject === undefined ? undefined : fillTemplate(text.subject, values),
      message: fillTemplate(text.message, values),
    },
    now,
  );
}

/**
 * Creates and sends a code for the challenge, opens its Session, and returns the challenge with
 * CODE_DELIVERY_DELIVERY_MEDIUM and CODE_DELIVERY_DESTINATION (masked). The answer is checked with
 * `verifySignInCode` on the same Session.
 */
export async function sendSignInCode(signIn: SignIn, request: SignInCodeRequest): Promise<AuthOutcome> {
  const { services, pool, client, now } = signIn;
  const user = resolvedUser(signIn);
  const channel = channelOf(request.challengeName);
  const attribute = channel === "EMAIL" ? "email" : "phone_number";
  const destination = request.destination ?? user.attributes[attribute];
  if (!destination) throw Errors.mfaFactorNotConfigured(request.challengeName);
  const code = messageCode(services.config, pool.id, DIGITS[channel]);
  const pending: PendingCode = { nonce: randomToken(16), challengeName: request.challengeName };
  await services.store.codes.put({
    poolId: pool.id,
    usernameKey: user.usernameKey,
    purpose: CODE_PURPOSE,
    codeHash: await codeHash(services.store, pool, user, pending.nonce, code),
    expiresAt: new Date(now.getTime() + authSessionValiditySeconds(client) * 1000),
    attempts: 0,
    createdAt: now,
  });
  const session = await openSession(signIn, request.challengeName, {
    ...request.state,
    [STATE_KEY]: pending,
  });
  await deliver(signIn, channel, destination, code);
  return {
    kind: "challenge",
    challengeName: request.challengeName,
    challengeParameters: {
      CODE_DELIVERY_DELIVERY_MEDIUM: channel,
      CODE_DELIVERY_DESTINATION: maskDestination(attribute, destination),
      ...request.parameters,
    },
    session,
  };
}

/** SMS MFA words a wrong code differently from the others [OBS]. */
function mismatch(challengeName: SignInCodeChallenge): CognitoError {
  return challengeName === "SMS_MFA" ? Errors.smsMfaCodeMismatch() : Errors.mfaCodeMismatch();
}

/**
 * Checks the code answered on the sign-in's Session. Locked user → `Password attempts exceeded`;
 * wrong (or replaced by a newer sign-in's) → CodeMismatchException, the Session stays usable and
 * the failure counts toward the lockout. Right → the Session and the code are spent, together with
 * `effects` (one transaction), and the failure count is cleared.
 */
export async function verifySignInCode(
  signIn: SignIn,
  code: string,
  effects?: (tx: Store) => Promise<void>,
): Promise<void> {
  const { services, pool, now } = signIn;
  const { store } = services;
  const session = signIn.session;
  const pending = session?.state[STATE_KEY] as PendingCode | undefined;
  if (!session || !pending) throw Errors.sessionInvalid();
  const user = resolvedUser(signIn);
  const lockout = await assertNotLocked(store, pool, user, now);
  const stored = await store.codes.get(pool.id, user.usernameKey, CODE_PURPOSE);
  const expected = await codeHash(store, pool, user, pending.nonce, code);
  if (!stored || stored.expiresAt <= now || !sameText(stored.codeHash, expected, "hex")) {
    await recordFailedPassword(store, pool, user, now);
    throw mismatch(pending.challengeName);
  }
  await store.transaction(async (tx) => {
    await consumeSession(tx, session, now);
    if (!(await tx.codes.delete(pool.id, user.usernameKey, CODE_PURPOSE))) throw Errors.sessionReused();
    await effects?.(tx);
  });
  await recordCorrectPassword(store, pool, user, lockout);
}
