/**
 * Multi-factor authentication operations: the pool's MFA configuration, users' MFA preferences
 * (and the legacy MFAOptions), and software-token enrolment with an access token or with the
 * Session of an MFA_SETUP challenge.
 */
import { requireAccessToken } from "../auth/access-token.js";
import { mfaSetup } from "../auth/challenges/mfa-setup.js";
import { consumeSession, findSession, openSession } from "../auth/session.js";
import { resolvedUser, type SignIn } from "../auth/sign-in.js";
import {
  checkUserStillAllowed,
  loadSessionUser,
  resumeChallengeSession,
} from "../auth/steps/challenge-session.js";
import { MFA_STATE } from "../auth/steps/mfa.js";
import { Errors } from "../domain/errors.js";
import { requirePool } from "../domain/lookup.js";
import {
  configurePoolMfa,
  describePoolMfa,
  poolMfaFactors,
  type UserMfaSettings,
  userMfaSettings,
  withLegacyMfaOptions,
  withMfaPreference,
  withMfaSettings,
} from "../domain/mfa.js";
import {
  newSoftwareTokenSecret,
  requireSoftwareTokenPool,
  softwareTokenStep,
  spendSoftwareTokenStep,
} from "../domain/software-token.js";
import { requireUserForUpdate, saveUser } from "../domain/users.js";
import { describeWebAuthnConfiguration, setWebAuthnConfiguration } from "../domain/webauthn.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { Handler, HandlerTable, Input, RequestContext } from "./types.js";

// ---------------------------------------------------------------------------------------------
// The pool

const SetUserPoolMfaConfig: Handler<"SetUserPoolMfaConfig"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const { config, factors } = configurePoolMfa(pool, input);
  const updated: PoolRecord = { ...pool, config, updatedAt: ctx.now };
  await store.transaction(async (tx) => {
    await tx.pools.update(updated);
    await tx.poolMfaConfigs.put({ poolId: pool.id, factors, updatedAt: ctx.now });
    await setWebAuthnConfiguration(tx, pool, input.WebAuthnConfiguration, ctx.now);
  });
  const webAuthn = await describeWebAuthnConfiguration(store, pool);
  return { ...describePoolMfa(updated, factors), WebAuthnConfiguration: webAuthn };
};

const GetUserPoolMfaConfig: Handler<"GetUserPoolMfaConfig"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const webAuthn = await describeWebAuthnConfiguration(store, pool);
  return { ...describePoolMfa(pool, await poolMfaFactors(store, pool)), WebAuthnConfiguration: webAuthn };
};

// ---------------------------------------------------------------------------------------------
// Users' preferences

/** Runs a change on the user, read and saved in one transaction with the user locked. */
async function changeUser(
  store: Store,
  pool: PoolRecord,
  username: string,
  change: (user: UserRecord) => UserRecord,
): Promise<UserRecord> {
  return store.transaction(async (tx) => {
    const changed = change(await requireUserForUpdate(tx, pool, username));
    await saveUser(tx, pool, changed);
    return changed;
  });
}

/** The access token's user and pool. */
async function signedIn(ctx: RequestContext, accessToken: string) {
  return requireAccessToken(ctx.services, accessToken, ctx.now);
}

type PreferenceInput = Omit<Input<"AdminSetUserMFAPreference">, "UserPoolId" | "Username">;

function preferences(input: PreferenceInput): PreferenceInput {
  const { SMSMfaSettings, SoftwareTokenMfaSettings, EmailMfaSettings, WebAuthnMfaSettings } = input;
  return { SMSMfaSettings, SoftwareTokenMfaSettings, EmailMfaSettings, WebAuthnMfaSettings };
}

const SetUserMFAPreference: Handler<"SetUserMFAPreference"> = async (input, ctx) => {
  const { pool, user } = await signedIn(ctx, input.AccessToken);
  await changeUser(ctx.services.store, pool, user.username, (current) =>
    withMfaPreference(pool, current, preferences(input), ctx.now),
  );
  return {};
};

const AdminSetUserMFAPreference: Handler<"AdminSetUserMFAPreference"> = async (input, ctx) => {
  const pool = await requirePool(ctx.services.store, input.UserPoolId);
  await changeUser(ctx.services.store, pool, input.Username, (current) =>
    withMfaPreference(pool, current, preferences(input), ctx.now),
  );
  return {};
};

const SetUserSettings: Handler<"SetUserSettings"> = async (input, ctx) => {
  const { pool, user } = await signedIn(ctx, input.AccessToken);
  await changeUser(ctx.services.store, pool, user.username, (current) =>
    withLegacyMfaOptions(pool, current, input.MFAOptions, ctx.now),
  );
  return {};
};

const AdminSetUserSettings: Handler<"AdminSetUserSettings"> = async (input, ctx) => {
  const pool = await requirePool(ctx.services.store, input.UserPoolId);
  await changeUser(ctx.services.store, pool, input.Username, (current) =>
    withLegacyMfaOptions(pool, current, input.MFAOptions, ctx.now),
  );
  return {};
};

// ---------------------------------------------------------------------------------------------
// Software tokens

/**
 * The sign-in an MFA_SETUP Session belongs to, for the operations that carry it without naming a
 * pool or client: live, of a user still there and allowed to sign in.
 */
async function setupSignIn(ctx: RequestContext, session: string): Promise<SignIn> {
  const { services, now } = ctx;
  const record = await findSession(services.store, session);
  if (record?.challengeName !== "MFA_SETUP") throw Errors.sessionInvalid();
  const [pool, client] = await Promise.all([
    services.store.pools.get(record.poolId),
    services.store.clients.get(record.clientId),
  ]);
  if (!pool || !client) throw Errors.sessionInvalid();
  const signIn: SignIn = {
    services,
    now,
    pool,
    client,
    request: { operation: "RespondToAuthChallenge", clientId: client.id, parameters: {}, session },
  };
  await resumeChallengeSession(signIn, mfaSetup);
  await loadSessionUser(signIn);
  checkUserStillAllowed(signIn);
  return signIn;
}

/** The Session state key of the secret AssociateSoftwareToken made during MFA_SETUP (sealed). */
const PENDING_TOKEN = "pendingSoftwareToken";

/** The MFA_SETUP state that goes on to the next Session, without the enrolment's own keys. */
function carriedState(signIn: SignIn): Record<string, unknown> {
  const {
    [PENDING_TOKEN]: _pending,
    [MFA_STATE.tokenVerified]: _verified,
    ...rest
  } = signIn.session?.state ?? {};
  return rest;
}

async function associateWithAccessToken(ctx: RequestContext, accessToken: string) {
  const { store } = ctx.services;
  const { pool, user } = await signedIn(ctx, accessToken);
  await requireSoftwareTokenPool(store, pool);
  const { secretCode, sealed } = await newSoftwareTokenSecret(store);
  await changeUser(store, pool, user.username, (current) =>
    withMfaSettings(
      current,
      { ...userMfaSettings(current), pendingToken: { sealedSecret: sealed, createdAt: ctx.now.getTime() } },
      ctx.now,
    ),
  );
  return { SecretCode: secretCode };
}

async function associateWithSession(ctx: RequestContext, session: string) {
  const { store } = ctx.services;
  const signIn = await setupSignIn(ctx, session);
  await requireSoftwareTokenPool(store, signIn.pool);
  const { secretCode, sealed } = await newSoftwareTokenSecret(store);
  await consumeSession(store, signIn.session as NonNullable<SignIn["session"]>, ctx.now);
  const next = await openSession(signIn, "MFA_SETUP", { ...carriedState(signIn), [PENDING_TOKEN]: sealed });
  return { SecretCode: secretCode, Session: next };
}

const AssociateSoftwareToken: Handler<"AssociateSoftwareToken"> = async (input, ctx) => {
  if (input.AccessToken) return associateWithAccessToken(ctx, input.AccessToken);
  if (input.Session) return associateWithSession(ctx, input.Session);
  throw Errors.accessTokenOrSessionRequired();
};

/** The user's settings once the token is proven: registered, turned on, and named. */
function withVerifiedToken(
  settings: UserMfaSettings,
  sealedSecret: string,
  friendlyName: string | undefined,
  now: Date,
): UserMfaSettings {
  const { pendingToken: _pending, ...rest } = settings;
  return {
    ...rest,
    softwareToken: true,
    token: { sealedSecret, friendlyName, verifiedAt: now.getTime() },
  };
}

/**
 * Checks the code against the secret being enrolled and, in the same transaction, spends its time
 * step and applies `effects`; a wrong or spent code is `Code mismatch and fail enable Software
 * Token MFA` and changes nothing.
 */
async function proveSecret(
  ctx: RequestContext,
  pool: PoolRecord,
  user: UserRecord,
  sealedSecret: string,
  code: string,
  effects: (tx: Store) => Promise<void>,
): Promise<void> {
  const { store } = ctx.services;
  const step = await softwareTokenStep(store, sealedSecret, code, ctx.now);
  if (step === undefined) throw Errors.softwareTokenVerifyMismatch();
  await store.transaction(async (tx) => {
    if (!(await spendSoftwareTokenStep(tx, pool, user, step, ctx.now)))
      throw Errors.softwareTokenVerifyMismatch();
    await effects(tx);
  });
}

async function verifyWithAccessToken(
  ctx: RequestContext,
  input: Input<"VerifySoftwareToken">,
  token: string,
) {
  const { pool, user } = await signedIn(ctx, token);
  await requireSoftwareTokenPool(ctx.services.store, pool);
  const pending = userMfaSettings(user).pendingToken;
  if (!pending) throw Errors.softwareTokenNotAssociated();
  await proveSecret(ctx, pool, user, pending.sealedSecret, input.UserCode, async (tx) => {
    const current = await requireUserForUpdate(tx, pool, user.username);
    const settings = userMfaSettings(current);
    // Another association since this one was read: that newer secret is the one to prove.
    if (settings.pendingToken?.sealedSecret !== pending.sealedSecret)
      throw Errors.softwareTokenVerifyMismatch();
    const verified = withVerifiedToken(settings, pending.sealedSecret, input.FriendlyDeviceName, ctx.now);
    await saveUser(tx, pool, withMfaSettings(current, verified, ctx.now));
  });
  return { Status: "SUCCESS" as const };
}

/**
 * During MFA_SETUP the proven token is the user's factor from now on, and the preferred one when
 * the user prefers none; the next Session lets MFA_SETUP be answered.
 */
async function verifyWithSession(ctx: RequestContext, input: Input<"VerifySoftwareToken">, session: string) {
  const signIn = await setupSignIn(ctx, session);
  const { pool } = signIn;
  const record = signIn.session as NonNullable<SignIn["session"]>;
  const sealed = record.state[PENDING_TOKEN];
  if (typeof sealed !== "string") throw Errors.softwareTokenNotAssociated();
  await requireSoftwareTokenPool(ctx.services.store, pool);
  const user = resolvedUser(signIn);
  await proveSecret(ctx, pool, user, sealed, input.UserCode, async (tx) => {
    await consumeSession(tx, record, ctx.now);
    const current = await requireUserForUpdate(tx, pool, user.username);
    const settings = withVerifiedToken(userMfaSettings(current), sealed, input.FriendlyDeviceName, ctx.now);
    const updated = withMfaSettings(current, { preferred: "SOFTWARE_TOKEN_MFA", ...settings }, ctx.now);
    await saveUser(tx, pool, updated);
    signIn.user = updated;
  });
  const next = await openSession(signIn, "MFA_SETUP", {
    ...carriedState(signIn),
    [MFA_STATE.tokenVerified]: true,
  });
  return { Status: "SUCCESS" as const, Session: next };
}

const VerifySoftwareToken: Handler<"VerifySoftwareToken"> = async (input, ctx) => {
  if (input.AccessToken) return verifyWithAccessToken(ctx, input, input.AccessToken);
  if (input.Session) return verifyWithSession(ctx, input, input.Session);
  throw Errors.accessTokenOrSessionRequired();
};

export const mfaHandlers: HandlerTable = {
  SetUserPoolMfaConfig,
  GetUserPoolMfaConfig,
  SetUserMFAPreference,
  AdminSetUserMFAPreference,
  SetUserSettings,
  AdminSetUserSettings,
  AssociateSoftwareToken,
  VerifySoftwareToken,
};
