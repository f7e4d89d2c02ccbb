/**
 * What a signed-in user does with its own access token (GetUser, UpdateUserAttributes,
 * DeleteUserAttributes, ChangePassword, DeleteUser, attribute verification), and password recovery
 * through an app client (ForgotPassword, ConfirmForgotPassword).
 */
import { isIP } from "node:net";
import { requireAccessToken } from "../auth/access-token.js";
import { confirmForgotPassword, forgotPassword } from "../auth/password-reset.js";
import { codeRecipient, updateAttributesHeld, verifiedUser } from "../domain/attribute-verification.js";
import { deleteAttributes, VERIFIABLE } from "../domain/attributes.js";
import { publicRequestContext } from "../domain/client-context.js";
import { readableAttributes } from "../domain/clients.js";
import { sendAttributeCode, verifyCode } from "../domain/codes.js";
import { checkNewPassword } from "../domain/compromised-credentials.js";
import type { MessageTrigger } from "../domain/custom-message.js";
import { Errors } from "../domain/errors.js";
import { requireClientAndPool } from "../domain/lookup.js";
import { userMfaDescription } from "../domain/mfa.js";
import { isCurrentPassword, setPassword } from "../domain/passwords.js";
import { verifySecretHash } from "../domain/secret-hash.js";
import { revokeAllForUser } from "../domain/tokens.js";
import { countUserAttempt } from "../domain/user-limits.js";
import { deleteUser, saveUser, userAttributes } from "../domain/users.js";
import type { CodeDeliveryDetailsType, UserContextDataType } from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import type { ClientRecord, PoolRecord } from "../store/records.js";
import type { Handler, HandlerTable, RequestContext } from "./types.js";

type Verifiable = (typeof VERIFIABLE)[number];

const isVerifiable = (name: string): name is Verifiable => (VERIFIABLE as readonly string[]).includes(name);

/** The client the access token was issued to: it decides what the user may read and write. */
async function tokenClient(services: Services, pool: PoolRecord, clientId: string): Promise<ClientRecord> {
  const client = await services.store.clients.get(clientId);
  if (!client || client.poolId !== pool.id) throw Errors.invalidAccessToken();
  return client;
}

/** An access token's user together with its pool and client. */
async function signedInUser(ctx: RequestContext, accessToken: string) {
  const { pool, user, claims } = await requireAccessToken(ctx.services, accessToken, ctx.now);
  const client = await tokenClient(ctx.services, pool, claims.client_id);
  return { pool, user, client };
}

/** UserContextData is kept for the risk evaluation of a later issue; its IpAddress must be one. */
function checkUserContextData(data: UserContextDataType | undefined): void {
  if (data?.IpAddress !== undefined && isIP(data.IpAddress) === 0) {
    throw Errors.invalidContextIpAddress("userContextData.ipAddress");
  }
}

// ---------------------------------------------------------------------------------------------
// Access-token operations

const GetUser: Handler<"GetUser"> = async (input, ctx) => {
  const { pool, user, client } = await signedInUser(ctx, input.AccessToken);
  // The user sees what its app client may read (ReadAttributes), `sub` always.
  const readable = new Set(readableAttributes(pool, client));
  return {
    Username: user.username,
    UserAttributes: userAttributes(user).filter((a) => a.Name === "sub" || readable.has(a.Name)),
    ...userMfaDescription(user),
  };
};

const UpdateUserAttributes: Handler<"UpdateUserAttributes"> = async (input, ctx) => {
  const { pool, user: current, client } = await signedInUser(ctx, input.AccessToken);
  const { store } = ctx.services;
  const { user, verify, pending } = await updateAttributesHeld(store, pool, current, input.UserAttributes, {
    writer: { client },
    now: ctx.now,
  });
  await store.transaction((tx) => saveUser(tx, pool, user));
  const sent: CodeDeliveryDetailsType[] = [];
  const trigger: MessageTrigger = {
    source: "CustomMessage_UpdateUserAttribute",
    clientId: client.id,
    clientMetadata: input.ClientMetadata,
  };
  // A value waiting for verification gets its code at the new destination.
  for (const attribute of [...verify, ...pending]) {
    const recipient = codeRecipient(pool, user, attribute);
    const details = await sendAttributeCode(ctx.services, pool, recipient, attribute, ctx.now, trigger);
    if (details) sent.push(details);
  }
  return sent.length ? { CodeDeliveryDetailsList: sent } : {};
};

const DeleteUserAttributes: Handler<"DeleteUserAttributes"> = async (input, ctx) => {
  const { pool, user, client } = await signedInUser(ctx, input.AccessToken);
  const updated = deleteAttributes(pool, user, input.UserAttributeNames, {
    writer: { client },
    now: ctx.now,
  });
  await ctx.services.store.transaction((tx) => saveUser(tx, pool, updated));
  return {};
};

const ChangePassword: Handler<"ChangePassword"> = async (input, ctx) => {
  const { pool, user, claims } = await requireAccessToken(ctx.services, input.AccessToken, ctx.now);
  await countUserAttempt(ctx.services, pool, user, "ChangePassword", ctx.now);
  if (user.password) {
    if (input.PreviousPassword === undefined) throw Errors.missingPreviousPassword();
    if (!isCurrentPassword(user, input.PreviousPassword)) throw Errors.incorrectUsernameOrPassword();
  }
  const updated = setPassword(pool, user, input.ProposedPassword, { now: ctx.now });
  await checkNewPassword(ctx.services, {
    pool,
    clientId: claims.client_id,
    user,
    password: input.ProposedPassword,
    event: "PASSWORD_CHANGE",
    context: publicRequestContext(ctx),
    now: ctx.now,
  });
  await ctx.services.store.transaction((tx) => saveUser(tx, pool, updated));
  return {};
};

const DeleteUser: Handler<"DeleteUser"> = async (input, ctx) => {
  const { pool, user } = await requireAccessToken(ctx.services, input.AccessToken, ctx.now);
  await ctx.services.store.transaction(async (tx) => {
    await revokeAllForUser(tx, pool, user, ctx.now);
    await deleteUser(tx, pool, user);
  });
  return {};
};

const GetUserAttributeVerificationCode: Handler<"GetUserAttributeVerificationCode"> = async (input, ctx) => {
  const { pool, user } = await requireAccessToken(ctx.services, input.AccessToken, ctx.now);
  await countUserAttempt(ctx.services, pool, user, "GetUserAttributeVerificationCode", ctx.now);
  const attribute = input.AttributeName;
  if (!isVerifiable(attribute)) throw Errors.attributeNotVerifiable(attribute);
  const details = await sendAttributeCode(
    ctx.services,
    pool,
    codeRecipient(pool, user, attribute),
    attribute,
    ctx.now,
    {
      source: "CustomMessage_VerifyUserAttribute",
      clientMetadata: input.ClientMetadata,
    },
  );
  if (!details) throw attribute === "email" ? Errors.verifyWithoutEmail() : Errors.verifyWithoutPhoneNumber();
  return { CodeDeliveryDetails: details };
};

const VerifyUserAttribute: Handler<"VerifyUserAttribute"> = async (input, ctx) => {
  const { pool, user } = await requireAccessToken(ctx.services, input.AccessToken, ctx.now);
  await countUserAttempt(ctx.services, pool, user, "VerifyUserAttribute", ctx.now);
  const attribute = input.AttributeName;
  if (!isVerifiable(attribute)) throw Errors.attributeNotVerifiable(attribute);
  const { store } = ctx.services;
  await store.transaction(async (tx) => {
    await verifyCode(tx, pool, user, `verify:${attribute}`, input.Code, ctx.now);
    // A verified email or phone number becomes a sign-in alias, if the pool has it as one; a value
    // waiting for verification replaces the attribute's.
    await saveUser(tx, pool, verifiedUser(pool, user, attribute, ctx.now));
  });
  return {};
};

// ---------------------------------------------------------------------------------------------
// Password recovery

const ForgotPassword: Handler<"ForgotPassword"> = async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.services.store, input.ClientId);
  checkUserContextData(input.UserContextData);
  verifySecretHash(client, input.Username, input.SecretHash);
  const details = await forgotPassword(ctx.services, {
    pool,
    client,
    clientMetadata: input.ClientMetadata,
    now: ctx.now,
    username: input.Username,
  });
  return { CodeDeliveryDetails: details };
};

const ConfirmForgotPassword: Handler<"ConfirmForgotPassword"> = async (input, ctx) => {
  const { client, pool } = await requireClientAndPool(ctx.services.store, input.ClientId);
  checkUserContextData(input.UserContextData);
  verifySecretHash(client, input.Username, input.SecretHash);
  await confirmForgotPassword(ctx.services, {
    pool,
    client,
    clientMetadata: input.ClientMetadata,
    now: ctx.now,
    username: input.Username,
    code: input.ConfirmationCode,
    password: input.Password,
    context: publicRequestContext(ctx, client, input.UserContextData),
  });
  return {};
};

export const selfServiceHandlers = {
  GetUser,
  UpdateUserAttributes,
  DeleteUserAttributes,
  ChangePassword,
  DeleteUser,
  GetUserAttributeVerificationCode,
  VerifyUserAttribute,
  ForgotPassword,
  ConfirmForgotPassword,
} satisfies HandlerTable;
