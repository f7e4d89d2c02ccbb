/**
 * Multi-factor authentication operations: the pool's MFA configuration, users' MFA preferences
 * (and the legacy MFAOptions), and software-token enrolment with an access token or with the
 * Session of an MFA_SETUP challenge.
 */
import { requireAccessToken } from "../auth/access-token.js";
import { associateWithSession, verifyWithSession } from "../auth/software-token-setup.js";
import { Errors } from "../domain/errors.js";
import { requirePool } from "../domain/lookup.js";
import {
  configurePoolMfa,
  describePoolMfa,
  poolMfaFactors,
  userMfaSettings,
  withLegacyMfaOptions,
  withMfaPreference,
  withMfaSettings,
} from "../domain/mfa.js";
import {
  newSoftwareTokenSecret,
  proveSoftwareTokenSecret,
  requireSoftwareTokenPool,
  withVerifiedToken,
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

const AssociateSoftwareToken: Handler<"AssociateSoftwareToken"> = async (input, ctx) => {
  if (input.AccessToken) return associateWithAccessToken(ctx, input.AccessToken);
  if (input.Session) {
    const { secretCode, session } = await associateWithSession(ctx, input.Session);
    return { SecretCode: secretCode, Session: session };
  }
  throw Errors.accessTokenOrSessionRequired();
};

async function verifyWithAccessToken(
  ctx: RequestContext,
  input: Input<"VerifySoftwareToken">,
  token: string,
) {
  const { pool, user } = await signedIn(ctx, token);
  await requireSoftwareTokenPool(ctx.services.store, pool);
  const pending = userMfaSettings(user).pendingToken;
  if (!pending) throw Errors.softwareTokenNotAssociated();
  const target = { pool, user, sealedSecret: pending.sealedSecret, code: input.UserCode, now: ctx.now };
  await proveSoftwareTokenSecret(ctx.services.store, target, async (tx) => {
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

const VerifySoftwareToken: Handler<"VerifySoftwareToken"> = async (input, ctx) => {
  if (input.AccessToken) return verifyWithAccessToken(ctx, input, input.AccessToken);
  if (input.Session) {
    const { session } = await verifyWithSession(ctx, input.Session, input.UserCode, input.FriendlyDeviceName);
    return { Status: "SUCCESS" as const, Session: session };
  }
  throw Errors.accessTokenOrSessionRequired();
};

export const mfaHandlers = {
  SetUserPoolMfaConfig,
  GetUserPoolMfaConfig,
  SetUserMFAPreference,
  AdminSetUserMFAPreference,
  SetUserSettings,
  AdminSetUserSettings,
  AssociateSoftwareToken,
  VerifySoftwareToken,
} satisfies HandlerTable;
