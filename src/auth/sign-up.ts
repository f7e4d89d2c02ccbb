/**
 * Self-service sign-up, as SignUp, ConfirmSignUp and ResendConfirmationCode do it and as a domain's
 * `/signup`, `/confirm` and `/resendcode` pages do it (OAUTH.md §2.2): one implementation of the
 * rules, whoever asks. The callers check what their own request carries (SECRET_HASH, the page's
 * form) and give the app client and pool.
 */
import { applyAttributeUpdates, checkRequiredAttributes, markVerified } from "../domain/attributes.js";
import type { ClientContext } from "../domain/client-context.js";
import { sendSignUpCode, verificationDelivery, verifyCode } from "../domain/codes.js";
import { checkNewPassword } from "../domain/compromised-credentials.js";
import { Errors } from "../domain/errors.js";
import { setPassword } from "../domain/passwords.js";
import { applyPreSignUp } from "../domain/pre-sign-up.js";
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
import type { AttributeType, CodeDeliveryDetailsType } from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import type { ClientRecord, PoolRecord, UserRecord } from "../store/records.js";
import { runPostConfirmation, runPreSignUp } from "../triggers/sign-up.js";

/** The app client a self-service request comes through, its pool, and what it hands the triggers. */
export interface SelfServiceClient {
  pool: PoolRecord;
  client: ClientRecord;
  clientMetadata?: Record<string, string>;
  now: Date;
}

export interface SignUpRequest extends SelfServiceClient {
  username: string;
  password: string;
  attributes: AttributeType[];
  /** PreSignUp's `validationData`. */
  validationData?: Record<string, string>;
  /** Who is signing up, for the compromised-credentials check. */
  context: ClientContext;
}

export interface SignedUp {
  user: UserRecord;
  /** Where the confirmation code went; absent when PreSignUp confirmed the user or the pool verifies nothing. */
  delivery?: CodeDeliveryDetailsType;
}

/** Pools that let only administrators create users refuse self-service sign-up [OBS]. */
function checkSelfSignUpAllowed(pool: PoolRecord): void {
  if (pool.config.AdminCreateUserConfig?.AllowAdminCreateUserOnly === true) throw Errors.signUpNotPermitted();
}

export async function signUp(services: Services, request: SignUpRequest): Promise<SignedUp> {
  const { store } = services;
  const { pool, client, now } = request;
  checkSelfSignUpAllowed(pool);
  const { username, signInAttribute } = resolveNewUsername(pool, request.username);
  const created = newUser(pool, { username, status: "UNCONFIRMED", now });
  let { user } = applyAttributeUpdates(pool, created, request.attributes, {
    writer: { client },
    now,
    creating: true,
  });
  // The email / phone number given as username is the user's attribute, whatever the client may write.
  if (signInAttribute) user.attributes[signInAttribute.name] = signInAttribute.value;
  checkRequiredAttributes(pool, user);
  user = setPassword(pool, user, request.password, { now, wording: "did not conform" });
  await checkNewPassword(services, {
    pool,
    clientId: client.id,
    user,
    password: request.password,
    event: "SIGN_UP",
    context: request.context,
    now,
  });
  const trigger = { clientId: client.id, clientMetadata: request.clientMetadata };
  const decision = await runPreSignUp(services, {
    pool,
    ...trigger,
    source: "PreSignUp_SignUp",
    userName: user.username,
    attributes: user.attributes,
    validationData: request.validationData,
  });
  user = applyPreSignUp(user, decision, now);
  await store.transaction(async (tx) => {
    if (await usernameTaken(tx, pool, user.username)) throw Errors.signUpUserExists();
    await saveUser(tx, pool, user, { isNew: true, usernameExists: Errors.signUpUserExists });
  });
  if (user.status === "CONFIRMED") {
    // Confirmed by PreSignUp: no code, and the user is confirmed now [DG].
    await runPostConfirmation(services, { pool, ...trigger, source: "PostConfirmation_ConfirmSignUp", user });
    return { user };
  }
  return { user, delivery: await sendSignUpCode(services, pool, user, now, trigger) };
}

/** The user confirmed, with the attribute the code went to verified by it. */
function confirmedUser(pool: PoolRecord, user: UserRecord, now: Date): UserRecord {
  const delivery = verificationDelivery(pool, user);
  const confirmed: UserRecord = { ...user, status: "CONFIRMED", updatedAt: now };
  return delivery ? markVerified(confirmed, delivery.attribute, now) : confirmed;
}

export interface ConfirmSignUpRequest extends SelfServiceClient {
  username: string;
  code: string;
  forceAliasCreation?: boolean;
}

/** Confirms the user with the sign-up code; returns the confirmed user. */
export async function confirmSignUp(services: Services, request: ConfirmSignUpRequest): Promise<UserRecord> {
  const { store } = services;
  const { pool, client, now } = request;
  const user = await requireUserForClient(store, pool, request.username);
  await countUserAttempt(services, pool, user, "ConfirmSignUp", now);
  if (user.status !== "UNCONFIRMED") throw Errors.cannotConfirm(user.status);
  const force = request.forceAliasCreation;
  // Refuse an alias clash before the code is used up, so the user can retry with ForceAliasCreation.
  await assertAliasesAvailable(store, pool, confirmedUser(pool, user, now), force);
  await verifyCode(store, pool, user, "signup", request.code, now);
  const confirmed = await store.transaction(async (tx) => {
    const current = confirmedUser(pool, await requireUserForUpdate(tx, pool, user.username), now);
    await saveUser(tx, pool, current, { forceAliasCreation: force });
    return current;
  });
  await runPostConfirmation(services, {
    pool,
    clientId: client.id,
    source: "PostConfirmation_ConfirmSignUp",
    user: confirmed,
    clientMetadata: request.clientMetadata,
  });
  return confirmed;
}

export interface ResendRequest extends SelfServiceClient {
  username: string;
}

/** A new sign-up code for an unconfirmed user; returns where it went. */
export async function resendSignUpCode(
  services: Services,
  request: ResendRequest,
): Promise<CodeDeliveryDetailsType> {
  const { pool, client, now } = request;
  const user = await requireUserForClient(services.store, pool, request.username);
  await countUserAttempt(services, pool, user, "ResendConfirmationCode", now);
  if (user.status !== "UNCONFIRMED") throw Errors.alreadyConfirmed();
  const details = await sendSignUpCode(services, pool, user, now, {
    source: "CustomMessage_ResendCode",
    clientId: client.id,
    clientMetadata: request.clientMetadata,
  });
  if (!details) throw Errors.autoVerificationOff();
  return details;
}
