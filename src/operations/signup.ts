/** Self-service sign-up through an app client: SignUp, ConfirmSignUp, ResendConfirmationCode. */
import { openSignUpSession } from "../auth/sign-up-session.js";
import { applyAttributeUpdates, checkRequiredAttributes, markVerified } from "../domain/attributes.js";
import { publicRequestContext } from "../domain/client-context.js";
import { sendSignUpCode, verificationDelivery, verifyCode } from "../domain/codes.js";
import { checkNewPassword } from "../domain/compromised-credentials.js";
import { Errors } from "../domain/errors.js";
import { requireClientAndPool } from "../domain/lookup.js";
import { setPassword } from "../domain/passwords.js";
import { applyPreSignUp, validationDataMap } from "../domain/pre-sign-up.js";
import { verifySecretHash } from "../domain/secret-hash.js";
import { countUserAttempt } from "../domain/user-limits.js";
import {
  assertAliasesAvailable,
  newUser,
  requireUserForClient,
  requireUserForUpdate,
  resolveNewUsername,
  saveUser,
  usernameTaken,
} from "../domain/users.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { runPostConfirmation, runPreSignUp } from "../triggers/sign-up.js";
import type { Handler, HandlerTable } from "./types.js";

const SignUp: Handler<"SignUp"> = async (input, ctx) => {
  const { store } = ctx.services;
  const { client, pool } = await requireClientAndPool(store, input.ClientId);
  verifySecretHash(client, input.Username, input.SecretHash);
  if (input.Password === undefined) throw Errors.missingPassword();
  const { username, signInAttribute } = resolveNewUsername(pool, input.Username);
  const created = newUser(pool, { username, status: "UNCONFIRMED", now: ctx.now });
  let { user } = applyAttributeUpdates(pool, created, input.UserAttributes ?? [], {
    writer: { client },
    now: ctx.now,
    creating: true,
  });
  // The email / phone number given as username is the user's attribute, whatever the client may write.
  if (signInAttribute) user.attributes[signInAttribute.name] = signInAttribute.value;
  checkRequiredAttributes(pool, user);
  user = setPassword(pool, user, input.Password, { now: ctx.now, wording: "did not conform" });
  await checkNewPassword(ctx.services, {
    pool,
    clientId: client.id,
    user,
    password: input.Password,
    event: "SIGN_UP",
    context: publicRequestContext(ctx, client, input.UserContextData),
    now: ctx.now,
  });
  const trigger = { clientId: client.id, clientMetadata: input.ClientMetadata };
  const decision = await runPreSignUp(ctx.services, {
    pool,
    ...trigger,
    source: "PreSignUp_SignUp",
    userName: user.username,
    attributes: user.attributes,
    validationData: validationDataMap(input.ValidationData),
  });
  user = applyPreSignUp(user, decision, ctx.now);
  await store.transaction(async (tx) => {
    if (await usernameTaken(tx, pool, user.username)) throw Errors.signUpUserExists();
    await saveUser(tx, pool, user, { isNew: true, usernameExists: Errors.signUpUserExists });
  });
  if (user.status === "CONFIRMED") {
    // Confirmed by PreSignUp: no code, and the user is confirmed now [DG].
    await runPostConfirmation(ctx.services, {
      pool,
      ...trigger,
      source: "PostConfirmation_ConfirmSignUp",
      user,
    });
    return { UserConfirmed: true, UserSub: user.sub };
  }
  const details = await sendSignUpCode(ctx.services, pool, user, ctx.now, trigger);
  return { UserConfirmed: false, UserSub: user.sub, CodeDeliveryDetails: details };
};

/** The user confirmed, with the attribute the code went to verified by it. */
function confirmedUser(pool: PoolRecord, user: UserRecord, now: Date): UserRecord {
  const delivery = verificationDelivery(pool, user);
  const confirmed: UserRecord = { ...user, status: "CONFIRMED", updatedAt: now };
  return delivery ? markVerified(confirmed, delivery.attribute, now) : confirmed;
}

const ConfirmSignUp: Handler<"ConfirmSignUp"> = async (input, ctx) => {
  const { store } = ctx.services;
  const { client, pool } = await requireClientAndPool(store, input.ClientId);
  verifySecretHash(client, input.Username, input.SecretHash);
  const user = await requireUserForClient(store, pool, input.Username);
  await countUserAttempt(ctx.services, pool, user, "ConfirmSignUp", ctx.now);
  if (user.status !== "UNCONFIRMED") throw Errors.cannotConfirm(user.status);
  const force = input.ForceAliasCreation;
  // Refuse an alias clash before the code is used up, so the user can retry with ForceAliasCreation.
  await assertAliasesAvailable(store, pool, confirmedUser(pool, user, ctx.now), force);
  await verifyCode(store, pool, user, "signup", input.ConfirmationCode, ctx.now);
  const confirmed = await store.transaction(async (tx) => {
    const current = confirmedUser(pool, await requireUserForUpdate(tx, pool, user.username), ctx.now);
    await saveUser(tx, pool, current, { forceAliasCreation: force });
    return current;
  });
  await runPostConfirmation(ctx.services, {
    pool,
    clientId: client.id,
    source: "PostConfirmation_ConfirmSignUp",
    user: confirmed,
    clientMetadata: input.ClientMetadata,
  });
  // The Session signs the new user in with USER_AUTH, without a password (auth/sign-up-session.ts).
  const session = await openSignUpSession(ctx.services, { pool, client, user: confirmed, now: ctx.now });
  return session ? { Session: session } : {};
};

const ResendConfirmationCode: Handler<"ResendConfirmationCode"> = async (input, ctx) => {
  const { store } = ctx.services;
  const { client, pool } = await requireClientAndPool(store, input.ClientId);
  verifySecretHash(client, input.Username, input.SecretHash);
  const user = await requireUserForClient(store, pool, input.Username);
  await countUserAttempt(ctx.services, pool, user, "ResendConfirmationCode", ctx.now);
  if (user.status !== "UNCONFIRMED") throw Errors.alreadyConfirmed();
  const details = await sendSignUpCode(ctx.services, pool, user, ctx.now, {
    source: "CustomMessage_ResendCode",
    clientId: client.id,
    clientMetadata: input.ClientMetadata,
  });
  if (!details) throw Errors.autoVerificationOff();
  return { CodeDeliveryDetails: details };
};

export const signUpHandlers: HandlerTable = { SignUp, ConfirmSignUp, ResendConfirmationCode };
