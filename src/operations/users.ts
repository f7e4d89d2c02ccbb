/** Admin user operations: create, read, update, delete, enable/disable, passwords, listing. */
import { codeRecipient, updateAttributesHeld } from "../domain/attribute-verification.js";
import { applyAttributeUpdates, deleteAttributes } from "../domain/attributes.js";
import {
  type Delivery,
  invitationDeliveries,
  recoveryDelivery,
  sendAttributeCode,
  sendInvitation,
  sendRecoveryCode,
} from "../domain/codes.js";
import { Errors } from "../domain/errors.js";
import { requirePool } from "../domain/lookup.js";
import { userMfaDescription } from "../domain/mfa.js";
import { generateTemporaryPassword, setPassword } from "../domain/passwords.js";
import { validationDataMap } from "../domain/pre-sign-up.js";
import { revokeAllForUser } from "../domain/tokens.js";
import {
  deleteUser,
  listUsers,
  newUser,
  requireUser,
  requireUserForUpdate,
  resolveNewUsername,
  saveUser,
  userAttributes,
  usernameTaken,
  userType,
} from "../domain/users.js";
import type { AttributeType } from "../protocol/types.generated.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { runPostConfirmation, runPreSignUp } from "../triggers/sign-up.js";
import type { Handler, HandlerTable, Input, RequestContext } from "./types.js";

/** The user AdminCreateUser builds: its name, attributes and temporary password (not yet saved). */
function buildInvitedUser(pool: PoolRecord, input: Input<"AdminCreateUser">, password: string, now: Date) {
  const { username, signInAttribute } = resolveNewUsername(pool, input.Username);
  const attributes: AttributeType[] = [...(input.UserAttributes ?? [])];
  if (signInAttribute) attributes.push({ Name: signInAttribute.name, Value: signInAttribute.value });
  const created = newUser(pool, { username, status: "FORCE_CHANGE_PASSWORD", now });
  const { user } = applyAttributeUpdates(pool, created, attributes, { writer: "admin", now, creating: true });
  return setPassword(pool, user, password, { now, temporary: true });
}

/** MessageAction RESEND: a new temporary password and invitation for a user who has not signed in yet. */
async function resendInvitation(input: Input<"AdminCreateUser">, ctx: RequestContext, pool: PoolRecord) {
  const password = input.TemporaryPassword ?? generateTemporaryPassword(pool);
  const updated = await ctx.services.store.transaction(async (tx) => {
    const user = await requireUserForUpdate(tx, pool, input.Username);
    if (user.status !== "FORCE_CHANGE_PASSWORD") throw Errors.resendNotPossible(input.Username);
    const withPassword = setPassword(pool, user, password, { now: ctx.now, temporary: true });
    await saveUser(tx, pool, withPassword);
    return withPassword;
  });
  const deliveries = invitationDeliveries(updated, input.DesiredDeliveryMediums);
  await sendInvitation(ctx.services, pool, updated, password, deliveries, ctx.now);
  return { User: userType(updated) };
}

const AdminCreateUser: Handler<"AdminCreateUser"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  if (input.MessageAction === "RESEND") return resendInvitation(input, ctx, pool);
  const password = input.TemporaryPassword ?? generateTemporaryPassword(pool);
  const user = buildInvitedUser(pool, input, password, ctx.now);
  // Its answer can refuse the user; AdminCreateUser ignores what it says about confirming [OBS].
  await runPreSignUp(ctx.services, {
    pool,
    source: "PreSignUp_AdminCreateUser",
    userName: user.username,
    attributes: user.attributes,
    validationData: validationDataMap(input.ValidationData),
    clientMetadata: input.ClientMetadata,
  });
  await store.transaction(async (tx) => {
    if (await usernameTaken(tx, pool, user.username)) throw Errors.usernameExists();
    await saveUser(tx, pool, user, {
      isNew: true,
      forceAliasCreation: input.ForceAliasCreation,
      usernameExists: Errors.usernameExists,
    });
  });
  if (input.MessageAction !== "SUPPRESS") {
    const deliveries = invitationDeliveries(user, input.DesiredDeliveryMediums);
    await sendInvitation(ctx.services, pool, user, password, deliveries, ctx.now, {
      clientMetadata: input.ClientMetadata,
    });
  }
  return { User: userType(user) };
};

const AdminGetUser: Handler<"AdminGetUser"> = async (input, ctx) => {
  const pool = await requirePool(ctx.services.store, input.UserPoolId);
  const user = await requireUser(ctx.services.store, pool, input.Username);
  return {
    Username: user.username,
    UserAttributes: userAttributes(user),
    UserCreateDate: user.createdAt,
    UserLastModifiedDate: user.updatedAt,
    Enabled: user.enabled,
    UserStatus: user.status,
    ...userMfaDescription(user),
  };
};

const AdminDeleteUser: Handler<"AdminDeleteUser"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const user = await requireUser(store, pool, input.Username);
  await store.transaction(async (tx) => {
    // A later user of the same name must not inherit this one's sessions.
    await revokeAllForUser(tx, pool, user, ctx.now);
    await deleteUser(tx, pool, user);
  });
  return {};
};

/** Runs a change on the named user and saves the result, in one transaction with the user locked. */
async function changeUser(
  ctx: RequestContext,
  poolId: string,
  username: string,
  change: (pool: PoolRecord, user: UserRecord) => UserRecord,
): Promise<{ pool: PoolRecord; user: UserRecord }> {
  const { store } = ctx.services;
  const pool = await requirePool(store, poolId);
  const user = await store.transaction(async (tx) => {
    const changed = change(pool, await requireUserForUpdate(tx, pool, username));
    await saveUser(tx, pool, changed);
    return changed;
  });
  return { pool, user };
}

const AdminEnableUser: Handler<"AdminEnableUser"> = async (input, ctx) => {
  await changeUser(ctx, input.UserPoolId, input.Username, (_pool, user) => ({
    ...user,
    enabled: true,
    updatedAt: ctx.now,
  }));
  return {};
};

const AdminDisableUser: Handler<"AdminDisableUser"> = async (input, ctx) => {
  const { pool, user } = await changeUser(ctx, input.UserPoolId, input.Username, (_pool, u) => ({
    ...u,
    enabled: false,
    updatedAt: ctx.now,
  }));
  // Disabling revokes the user's tokens; they stay revoked after re-enabling [DG].
  await revokeAllForUser(ctx.services.store, pool, user, ctx.now);
  return {};
};

const AdminSetUserPassword: Handler<"AdminSetUserPassword"> = async (input, ctx) => {
  await changeUser(ctx, input.UserPoolId, input.Username, (pool, user) => {
    const updated = setPassword(pool, user, input.Password, { now: ctx.now, temporary: !input.Permanent });
    // A permanent password confirms the user whatever the status was.
    return input.Permanent ? { ...updated, status: "CONFIRMED" } : updated;
  });
  return {};
};

const AdminUpdateUserAttributes: Handler<"AdminUpdateUserAttributes"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const { user, verify, pending } = await store.transaction(async (tx) => {
    const current = await requireUserForUpdate(tx, pool, input.Username);
    const result = await updateAttributesHeld(tx, pool, current, input.UserAttributes, {
      writer: "admin",
      now: ctx.now,
    });
    await saveUser(tx, pool, result.user);
    return result;
  });
  // Codes for the changed, auto-verified attributes once the change is saved; a value waiting
  // for verification gets its code at the new destination.
  const trigger = {
    source: "CustomMessage_UpdateUserAttribute",
    clientMetadata: input.ClientMetadata,
  } as const;
  for (const attribute of [...verify, ...pending]) {
    await sendAttributeCode(
      ctx.services,
      pool,
      codeRecipient(pool, user, attribute),
      attribute,
      ctx.now,
      trigger,
    );
  }
  return {};
};

const AdminDeleteUserAttributes: Handler<"AdminDeleteUserAttributes"> = async (input, ctx) => {
  await changeUser(ctx, input.UserPoolId, input.Username, (pool, user) =>
    deleteAttributes(pool, user, input.UserAttributeNames, { writer: "admin", now: ctx.now }),
  );
  return {};
};

const AdminResetUserPassword: Handler<"AdminResetUserPassword"> = async (input, ctx) => {
  let delivery: Delivery | undefined;
  const { pool, user: reset } = await changeUser(ctx, input.UserPoolId, input.Username, (pool, user) => {
    if (user.status === "FORCE_CHANGE_PASSWORD") throw Errors.cannotResetPassword();
    delivery = recoveryDelivery(pool, user);
    if (!delivery) throw Errors.noRecoveryDestination();
    return { ...user, status: "RESET_REQUIRED", updatedAt: ctx.now };
  });
  if (!delivery) return {};
  await sendRecoveryCode(ctx.services, pool, reset, delivery, ctx.now, {
    clientMetadata: input.ClientMetadata,
  });
  return {};
};

const AdminConfirmSignUp: Handler<"AdminConfirmSignUp"> = async (input, ctx) => {
  const { pool, user } = await changeUser(ctx, input.UserPoolId, input.Username, (_pool, user) => {
    if (user.status !== "UNCONFIRMED") throw Errors.cannotConfirm(user.status);
    return { ...user, status: "CONFIRMED", updatedAt: ctx.now };
  });
  await runPostConfirmation(ctx.services, {
    pool,
    source: "PostConfirmation_ConfirmSignUp",
    user,
    clientMetadata: input.ClientMetadata,
  });
  return {};
};

const ListUsers: Handler<"ListUsers"> = async (input, ctx) => {
  const pool = await requirePool(ctx.services.store, input.UserPoolId);
  const { users, next } = await listUsers(ctx.services.store, pool, {
    filter: input.Filter,
    limit: input.Limit,
    paginationToken: input.PaginationToken,
  });
  return { Users: users.map((u) => userType(u, input.AttributesToGet)), PaginationToken: next };
};

export const userHandlers = {
  AdminCreateUser,
  AdminGetUser,
  AdminDeleteUser,
  AdminEnableUser,
  AdminDisableUser,
  AdminSetUserPassword,
  AdminUpdateUserAttributes,
  AdminDeleteUserAttributes,
  AdminResetUserPassword,
  AdminConfirmSignUp,
  ListUsers,
} satisfies HandlerTable;
