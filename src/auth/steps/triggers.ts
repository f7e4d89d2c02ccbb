/**
 * The Lambda triggers of the sign-in, at their places in Cognito's order (ADMIN_INITIATE_AUTH.md
 * §4): UserMigration for an unknown user of a password flow (step 8), PreAuthentication before the
 * account and the password are looked at (step 9), PostAuthentication then PreTokenGeneration once
 * every challenge is passed (step 15). ClientMetadata goes where Cognito routes it (§13).
 */
import { preventUserExistenceErrors } from "../../domain/clients.js";
import { createMigratedUser } from "../../domain/migration.js";
import { setPassword } from "../../domain/passwords.js";
import { requireUserForUpdate, saveUser } from "../../domain/users.js";
import type { UserRecord } from "../../store/records.js";
import type { StringMap, TokenGenerationSource } from "../../triggers/events.js";
import { tokenCustomizationFor } from "../../triggers/pre-token.js";
import { runPostAuthentication, runPreAuthentication, runUserMigration } from "../../triggers/sign-in.js";
import { verifyAtSource } from "../../triggers/source-pool.js";
import { resolvedUser, type SignIn, type Step } from "../sign-in.js";
import { issuesNewDevice } from "./devices.js";

/** Whether the client hides user existence, which decides `userNotFound` in the events. */
export function hidesUserExistence(signIn: SignIn): boolean {
  return preventUserExistenceErrors(signIn.client) === "ENABLED";
}

/**
 * ClientMetadata for the triggers after the first factor: only the respond operations pass theirs
 * on; InitiateAuth's reaches PreAuthentication and UserMigration alone [DG].
 */
export function respondClientMetadata(signIn: SignIn): StringMap | undefined {
  const { operation, clientMetadata } = signIn.request;
  return operation === "AdminRespondToAuthChallenge" || operation === "RespondToAuthChallenge"
    ? clientMetadata
    : undefined;
}

/** The flows that carry the password in the clear, the only ones a user can be migrated in [DG]. */
const PLAINTEXT_PASSWORD_FLOWS: ReadonlySet<string> = new Set([
  "ADMIN_USER_PASSWORD_AUTH",
  "ADMIN_NO_SRP_AUTH",
  "USER_PASSWORD_AUTH",
]);

/** The password of a flow that carries it in the clear; undefined in the others. */
function plaintextPassword(signIn: SignIn): string | undefined {
  if (!signIn.authFlow || !PLAINTEXT_PASSWORD_FLOWS.has(signIn.authFlow)) return undefined;
  return signIn.request.parameters.PASSWORD;
}

/** The built-in lazy migration: the pool's source pool, where one is configured, vouches for the password. */
async function verifiedBySourcePool(signIn: SignIn, username: string, password: string) {
  const source = signIn.services.migrationSources.get(signIn.pool.id);
  return source ? verifyAtSource(source, username, password) : undefined;
}

/**
 * Step 8 for a user imported without a password (RESET_REQUIRED, none kept) into a pool with a
 * migration source: a password the source accepts becomes the user's, who is then CONFIRMED and
 * goes on signing in. Anything else leaves the user as they are (a password reset is required).
 */
export async function migrateImportedPassword(signIn: SignIn, user: UserRecord): Promise<UserRecord> {
  const password = plaintextPassword(signIn);
  if (user.password !== null || user.status !== "RESET_REQUIRED" || password === undefined) return user;
  if (!(await verifiedBySourcePool(signIn, user.username, password))) return user;
  const { pool, now } = signIn;
  return signIn.services.store.transaction(async (tx) => {
    const current = await requireUserForUpdate(tx, pool, user.username);
    if (current.password !== null) return current;
    const migrated = setPassword(pool, current, password, { now, checkPolicy: false });
    await saveUser(tx, pool, migrated);
    return migrated;
  });
}

/**
 * Step 8 for a name no user has, in a password flow: the UserMigration function may vouch for the
 * user, who is then created and signs in. Undefined when it does not (or the pool has none).
 */
export async function migrateUnknownUser(signIn: SignIn): Promise<UserRecord | undefined> {
  const { services, pool, client, request, now } = signIn;
  const password = plaintextPassword(signIn);
  if (password === undefined) return undefined;
  const typedName = request.parameters.USERNAME;
  const migrated =
    (await runUserMigration(services, {
      pool,
      clientId: client.id,
      source: "UserMigration_Authentication",
      userName: typedName,
      password,
      validationData: request.clientMetadata,
    })) ?? (await verifiedBySourcePool(signIn, typedName, password));
  if (!migrated) return undefined;
  return createMigratedUser(services, { pool, typedName, password, migrated, now });
}

/** Step 9 for a name no user has: clients hiding user existence still run it, with `userNotFound` [DG]. */
export async function preAuthenticateUnknownUser(signIn: SignIn): Promise<void> {
  await runPreAuthentication(signIn.services, {
    pool: signIn.pool,
    clientId: signIn.client.id,
    user: { unknownName: signIn.request.parameters.USERNAME },
    validationData: signIn.request.clientMetadata,
    preventUserExistenceErrors: hidesUserExistence(signIn),
  });
}

/** Step 9: PreAuthentication, before the account state and the password; its refusal wins [OBS]. */
export const preAuthentication: Step = async (signIn: SignIn) => {
  await runPreAuthentication(signIn.services, {
    pool: signIn.pool,
    clientId: signIn.client.id,
    user: resolvedUser(signIn),
    validationData: signIn.request.clientMetadata,
    preventUserExistenceErrors: hidesUserExistence(signIn),
  });
  return undefined;
};

/**
 * Step 15: PostAuthentication, after every challenge; its error fails the sign-in. The device is
 * new when the tokens that follow bring NewDeviceMetadata (it is created with them).
 */
export const postAuthentication: Step = async (signIn: SignIn) => {
  await runPostAuthentication(signIn.services, {
    pool: signIn.pool,
    clientId: signIn.client.id,
    user: resolvedUser(signIn),
    clientMetadata: respondClientMetadata(signIn),
    newDeviceUsed: await issuesNewDevice(signIn),
  });
  return undefined;
};

/** How the sign-in reached its tokens, as PreTokenGeneration's triggerSource says it [DG]. */
function tokenGenerationSource(signIn: SignIn): TokenGenerationSource {
  if (signIn.request.hosted) return "TokenGeneration_HostedAuth";
  if (signIn.authFlow === "REFRESH_TOKEN_AUTH" || signIn.authFlow === "REFRESH_TOKEN") {
    return "TokenGeneration_RefreshTokens";
  }
  switch (signIn.session?.challengeName) {
    case "NEW_PASSWORD_REQUIRED":
      return "TokenGeneration_NewPasswordChallenge";
    case "DEVICE_PASSWORD_VERIFIER":
      return "TokenGeneration_AuthenticateDevice";
    default:
      return "TokenGeneration_Authentication";
  }
}

/** Step 15: PreTokenGeneration; what it changes is applied when the tokens are signed. */
export const preTokenGeneration: Step = async (signIn: SignIn) => {
  signIn.tokenCustomization = await tokenCustomizationFor(signIn.services, {
    pool: signIn.pool,
    clientId: signIn.client.id,
    source: tokenGenerationSource(signIn),
    user: resolvedUser(signIn),
    clientMetadata: respondClientMetadata(signIn),
    // A refresh keeps the scopes its sign-in was granted.
    scopes: signIn.request.hosted?.scopes ?? signIn.refreshToken?.scopes ?? undefined,
  });
  return undefined;
};
