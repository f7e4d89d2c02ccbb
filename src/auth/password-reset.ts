/**
 * Password recovery through an app client, as ForgotPassword and ConfirmForgotPassword do it and
 * as a domain's `/forgotPassword` and `/confirmForgotPassword` pages do it (OAUTH.md §2.2). A client
 * that prevents user existence errors gets, for an unknown user, what a real one would get.
 */

import type { ClientContext } from "../domain/client-context.js";
import { preventUserExistenceErrors } from "../domain/clients.js";
import { deliveryDetails, recoveryDelivery, sendRecoveryCode, verifyCode } from "../domain/codes.js";
import { checkNewPassword } from "../domain/compromised-credentials.js";
import { Errors } from "../domain/errors.js";
import { createMigratedUser } from "../domain/migration.js";
import { checkPasswordPolicy, setPassword } from "../domain/passwords.js";
import { countUserAttempt } from "../domain/user-limits.js";
import { findUser, saveUser } from "../domain/users.js";
import type { CodeDeliveryDetailsType } from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import type { UserRecord } from "../store/records.js";
import { runUserMigration } from "../triggers/sign-in.js";
import { runPostConfirmation } from "../triggers/sign-up.js";
import type { SelfServiceClient } from "./sign-up.js";

/** What ForgotPassword answers for an unknown user when the client hides user existence [UNDOC form]. */
function simulatedDelivery(username: string): CodeDeliveryDetailsType {
  const phone = /^\+[0-9]{5,15}$/.test(username);
  return deliveryDetails(
    phone
      ? { attribute: "phone_number", channel: "SMS", destination: username }
      : {
          attribute: "email",
          channel: "EMAIL",
          destination: username.includes("@") ? username : `${username}@x`,
        },
  );
}

export interface ForgotPasswordRequest extends SelfServiceClient {
  username: string;
}

/** A user the pool does not know may be vouched for by the UserMigration function; then reset [DG]. */
async function migrateForReset(
  services: Services,
  request: ForgotPasswordRequest,
): Promise<UserRecord | undefined> {
  const { pool, client, now } = request;
  const migrated = await runUserMigration(services, {
    pool,
    clientId: client.id,
    source: "UserMigration_ForgotPassword",
    userName: request.username,
    clientMetadata: request.clientMetadata,
  });
  if (!migrated) return undefined;
  return createMigratedUser(services, { pool, typedName: request.username, migrated, now });
}

/** Sends a password-reset code; returns where it went (or, for a hidden unknown user, where it would have). */
export async function forgotPassword(
  services: Services,
  request: ForgotPasswordRequest,
): Promise<CodeDeliveryDetailsType> {
  const { pool, client, now } = request;
  const user =
    (await findUser(services.store, pool, request.username)) ?? (await migrateForReset(services, request));
  if (!user) {
    if (preventUserExistenceErrors(client) === "ENABLED") return simulatedDelivery(request.username);
    throw Errors.userNotFoundForClient();
  }
  await countUserAttempt(services, pool, user, "ForgotPassword", now);
  if (!user.enabled) throw Errors.userDisabled();
  if (user.status === "FORCE_CHANGE_PASSWORD") throw Errors.cannotResetPassword();
  const delivery = recoveryDelivery(pool, user);
  if (!delivery) throw Errors.noRecoveryDestination();
  return sendRecoveryCode(services, pool, user, delivery, now, {
    clientId: client.id,
    clientMetadata: request.clientMetadata,
  });
}

export interface ConfirmForgotPasswordRequest extends SelfServiceClient {
  username: string;
  code: string;
  password: string;
  /** Who is resetting, for the compromised-credentials check. */
  context: ClientContext;
}

/** Sets the new password once the reset code is right. */
export async function confirmForgotPassword(
  services: Services,
  request: ConfirmForgotPasswordRequest,
): Promise<void> {
  const { store } = services;
  const { pool, client, now, password } = request;
  // The pool's policy before the user is looked up: a hidden unknown user fails as a known one would [UNDOC].
  checkPasswordPolicy(pool, password);
  const user = await findUser(store, pool, request.username);
  if (!user) {
    if (preventUserExistenceErrors(client) === "ENABLED") throw Errors.codeMismatch();
    throw Errors.userNotFoundForClient();
  }
  // The reset and its confirmation share one limit [DG].
  await countUserAttempt(services, pool, user, "ForgotPassword", now);
  // History and compromised credentials next: a refused password must not use up the code.
  const updated = setPassword(pool, user, password, { now });
  await checkNewPassword(services, {
    pool,
    clientId: client.id,
    user,
    password,
    event: "PASSWORD_CHANGE",
    context: request.context,
    now,
  });
  await store.transaction(async (tx) => {
    await verifyCode(tx, pool, user, "forgot-password", request.code, now);
    await saveUser(tx, pool, updated);
  });
  await runPostConfirmation(services, {
    pool,
    clientId: client.id,
    source: "PostConfirmation_ConfirmForgotPassword",
    user: updated,
    clientMetadata: request.clientMetadata,
  });
}
