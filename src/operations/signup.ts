/** Self-service sign-up through an app client: SignUp, ConfirmSignUp, ResendConfirmationCode. */
import { applyAttributeUpdates, checkRequiredAttributes, markVerified } from "../domain/attributes.js";
import { sendSignUpCode, verificationDelivery, verifyCode } from "../domain/codes.js";
import { Errors } from "../domain/errors.js";
import { requireClientAndPool } from "../domain/lookup.js";
import { setPassword } from "../domain/passwords.js";
import { verifySecretHash } from "../domain/secret-hash.js";
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
  await store.transaction(async (tx) => {
    if (await usernameTaken(tx, pool, user.username)) throw Errors.signUpUserExists();
    await saveUser(tx, pool, user, { isNew: true, usernameExists: Errors.signUpUserExists });
  });
  const details = await sendSignUpCode(ctx.services, pool, user, ctx.now);
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
  if (user.status !== "UNCONFIRMED") throw Errors.cannotConfirm(user.status);
  const force = input.ForceAliasCreation;
  // Refuse an alias clash before the code is used up, so the user can retry with ForceAliasCreation.
  await assertAliasesAvailable(store, pool, confirmedUser(pool, user, ctx.now), force);
  await verifyCode(store, pool, user, "signup", input.ConfirmationCode, ctx.now);
  await store.transaction(async (tx) => {
    const current = await requireUserForUpdate(tx, pool, user.username);
    await saveUser(tx, pool, confirmedUser(pool, current, ctx.now), { forceAliasCreation: force });
  });
  return {};
};

const ResendConfirmationCode: Handler<"ResendConfirmationCode"> = async (input, ctx) => {
  const { store } = ctx.services;
  const { client, pool } = await requireClientAndPool(store, input.ClientId);
  verifySecretHash(client, input.Username, input.SecretHash);
  const user = await requireUserForClient(store, pool, input.Username);
  if (user.status !== "UNCONFIRMED") throw Errors.alreadyConfirmed();
  const details = await sendSignUpCode(ctx.services, pool, user, ctx.now);
  if (!details) throw Errors.autoVerificationOff();
  return { CodeDeliveryDetails: details };
};

export const signUpHandlers: HandlerTable = { SignUp, ConfirmSignUp, ResendConfirmationCode };
