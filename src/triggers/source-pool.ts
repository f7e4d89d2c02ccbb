/**
 * Built-in lazy migration (docs/OPERATIONS.md): what a UserMigration function usually does,
 * without writing one. A pool imported from another server speaking Cognito's API keeps that
 * source; a password Cognate does not know is checked there with AdminInitiateAuth
 * (ADMIN_USER_PASSWORD_AUTH, credentials from the standard AWS chain) and, when the source accepts
 * it, the user is migrated with it. The AWS SDK loads on the first such sign-in only.
 */
import type { MigrationSource } from "../config/seed.js";
import { computeSecretHash } from "../domain/secret-hash.js";
import type { MigratedUser } from "./sign-in.js";

/** The source's answers that mean "not this password" (or not this user): no migration. */
const REFUSALS = new Set([
  "NotAuthorizedException",
  "UserNotFoundException",
  "PasswordResetRequiredException",
  "UserNotConfirmedException",
]);

function secretHash(source: MigrationSource, username: string): string | undefined {
  return source.clientSecret ? computeSecretHash(source.clientSecret, username, source.clientId) : undefined;
}

/**
 * The user as the source knows them when it accepts the password (tokens, or any challenge that
 * comes after a proven password); undefined when it refuses. A source that cannot be reached
 * throws: the sign-in then fails as a server error would, and can be tried again.
 */
export async function verifyAtSource(
  source: MigrationSource,
  username: string,
  password: string,
): Promise<MigratedUser | undefined> {
  const sdk = await import("@aws-sdk/client-cognito-identity-provider");
  const client = new sdk.CognitoIdentityProviderClient({
    region: source.region,
    ...(source.endpoint && { endpoint: source.endpoint }),
    maxAttempts: 2,
  });
  try {
    const hash = secretHash(source, username);
    await client.send(
      new sdk.AdminInitiateAuthCommand({
        UserPoolId: source.poolId,
        ClientId: source.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: username, PASSWORD: password, ...(hash && { SECRET_HASH: hash }) },
      }),
    );
    const user = await client.send(
      new sdk.AdminGetUserCommand({ UserPoolId: source.poolId, Username: username }),
    );
    const attributes = Object.fromEntries(
      (user.UserAttributes ?? [])
        .filter((a) => a.Name && a.Name !== "sub")
        .map((a) => [a.Name as string, a.Value ?? ""]),
    );
    return {
      attributes: { ...attributes, username: user.Username ?? username },
      messageAction: "SUPPRESS",
      forceAliasCreation: false,
      enableSMSMFA: false,
    };
  } catch (error) {
    if (error instanceof Error && REFUSALS.has(error.name)) return undefined;
    throw error;
  } finally {
    client.destroy();
  }
}
