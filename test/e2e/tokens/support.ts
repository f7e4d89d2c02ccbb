/** Sign-in helpers for the token tests: real sign-ins through AdminInitiateAuth, tokens decoded. */
import {
  AdminInitiateAuthCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { PASSWORD } from "../../support/fixtures.js";

export {
  advanceClock,
  claims,
  createClient,
  createPool,
  createUser,
  expectError,
  PASSWORD,
  resetClock,
  secretHash,
  type TestClient,
} from "../../support/fixtures.js";

export interface Tokens {
  AccessToken: string;
  IdToken: string;
  RefreshToken: string;
  ExpiresIn: number;
}

/** Signs a user in with ADMIN_USER_PASSWORD_AUTH and returns its tokens. */
export async function signIn(
  client: CognitoIdentityProviderClient,
  poolId: string,
  clientId: string,
  username: string,
  options: { password?: string; secretHash?: string } = {},
): Promise<Tokens> {
  const out = await client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: {
        USERNAME: username,
        PASSWORD: options.password ?? PASSWORD,
        ...(options.secretHash ? { SECRET_HASH: options.secretHash } : {}),
      },
    }),
  );
  const result = out.AuthenticationResult as AuthenticationResultType;
  return {
    AccessToken: result.AccessToken as string,
    IdToken: result.IdToken as string,
    RefreshToken: result.RefreshToken as string,
    ExpiresIn: result.ExpiresIn as number,
  };
}

/** The JSON header of a JWT. */
export function header(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[0], "base64url").toString("utf8"));
}

/** A JWT with its payload replaced, keeping the original header and signature (a forgery). */
export function withPayload(jwt: string, payload: Record<string, unknown>): string {
  const [h, , s] = jwt.split(".");
  return `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
}

export function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
