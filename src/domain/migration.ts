/**
 * Users created on the word of the UserMigration trigger (DG migrate user): the attributes and
 * status the function returns, the password the user signed in with (kept without the policy
 * check: it is the password they already had), SMS MFA if the function asks for it, and the
 * welcome message unless suppressed.
 */
import type { AttributeType } from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { MigratedUser } from "../triggers/sign-in.js";
import { applyAttributeUpdates } from "./attributes.js";
import { invitationDeliveries, sendInvitation } from "./codes.js";
import { Errors } from "./errors.js";
import { hasMeansFor, withMfaPreference } from "./mfa.js";
import { setPassword } from "./passwords.js";
import { newUser, resolveNewUsername, saveUser, usernameTaken } from "./users.js";

/** The function names the user with `username` when the caller typed an alias [DG]. */
const USERNAME_ATTRIBUTE = "username";

export interface MigrationRequest {
  pool: PoolRecord;
  /** What the caller typed: the username, or an email / phone number. */
  typedName: string;
  /** The sign-in's password; absent in the forgot-password flow. */
  password?: string;
  migrated: MigratedUser;
  now: Date;
}

/**
 * At sign-in, CONFIRMED unless the function asks for a reset ("set to CONFIRMED, or not set, to
 * auto-confirm" [DG]); a user migrated without a password (ForgotPassword) can only reset it.
 */
function statusOf(request: MigrationRequest): UserRecord["status"] {
  if (request.password === undefined) return "RESET_REQUIRED";
  return request.migrated.finalUserStatus ?? "CONFIRMED";
}

/**
 * `enableSMSMFA`: the user starts with SMS MFA on, as AdminSetUserMFAPreference would turn it on.
 * The user must have a phone number, "or else the migration of that user will fail" [DG]; how it
 * fails is [UNDOC]: as for any answer Cognate cannot act on, unrecognizable output.
 */
function withMigratedMfa(pool: PoolRecord, user: UserRecord, migrated: MigratedUser, now: Date): UserRecord {
  if (!migrated.enableSMSMFA) return user;
  if (!hasMeansFor(user, "SMS_MFA")) throw Errors.lambdaOutputUnrecognizable();
  return withMfaPreference(pool, user, { SMSMfaSettings: { Enabled: true } }, now);
}

function migratedUserRecord(request: MigrationRequest): UserRecord {
  const { pool, migrated, now } = request;
  const { username, signInAttribute } = resolveNewUsername(
    pool,
    migrated.attributes[USERNAME_ATTRIBUTE] ?? request.typedName,
  );
  const attributes: AttributeType[] = Object.entries(migrated.attributes)
    .filter(([name]) => name !== USERNAME_ATTRIBUTE)
    .map(([Name, Value]) => ({ Name, Value }));
  const created = newUser(pool, { username, status: "CONFIRMED", now });
  let { user } = applyAttributeUpdates(pool, created, attributes, { writer: "admin", now, creating: true });
  if (signInAttribute) user.attributes[signInAttribute.name] = signInAttribute.value;
  if (request.password !== undefined) {
    user = setPassword(pool, user, request.password, { now, checkPolicy: false });
  }
  return { ...withMigratedMfa(pool, user, migrated, now), status: statusOf(request) };
}

/** Creates the user the function vouched for, and sends the welcome message unless it said SUPPRESS. */
export async function createMigratedUser(services: Services, request: MigrationRequest): Promise<UserRecord> {
  const { pool, migrated, now } = request;
  const user = migratedUserRecord(request);
  await services.store.transaction(async (tx) => {
    if (await usernameTaken(tx, pool, user.username)) throw Errors.usernameExists();
    await saveUser(tx, pool, user, { isNew: true, forceAliasCreation: migrated.forceAliasCreation });
  });
  if (migrated.messageAction !== "SUPPRESS") {
    // A welcome in the pool's invitation words; there is no temporary password to give [UNDOC].
    await sendInvitation(
      services,
      pool,
      user,
      "",
      invitationDeliveries(user, migrated.desiredDeliveryMediums),
      now,
    );
  }
  return user;
}
