/** Pools with threat protection, users and sign-ins from chosen addresses, for the risk tests. */
import {
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  AdminListUserAuthEventsCommand,
  type AuthEventType,
  type CreateUserPoolCommandInput,
  SetRiskConfigurationCommand,
  type SetRiskConfigurationCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { createClient, createPool, createUser, PASSWORD, type TestClient } from "../../support/fixtures.js";
import type { TestServer } from "../../support/server.js";

export const BROWSER =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
export const HOME_IP = "198.51.100.10";

/** A PLUS pool with threat protection in `mode`, and an app client for the admin password flow. */
export async function protectedPool(
  server: TestServer,
  mode: "AUDIT" | "ENFORCED",
  input: Partial<CreateUserPoolCommandInput> = {},
): Promise<{ poolId: string; client: TestClient }> {
  const poolId = await createPool(server, {
    UserPoolTier: "PLUS",
    UserPoolAddOns: { AdvancedSecurityMode: mode },
    ...input,
  });
  return { poolId, client: await createClient(server, poolId) };
}

export type Actions = Record<
  "Low" | "Medium" | "High",
  "BLOCK" | "MFA_IF_CONFIGURED" | "MFA_REQUIRED" | "NO_ACTION"
>;

export async function setActions(
  server: TestServer,
  poolId: string,
  actions: Actions,
  extra: Partial<SetRiskConfigurationCommandInput> = {},
  notify = false,
): Promise<void> {
  await server.client.send(
    new SetRiskConfigurationCommand({
      UserPoolId: poolId,
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { EventAction: actions.Low, Notify: notify },
          MediumAction: { EventAction: actions.Medium, Notify: notify },
          HighAction: { EventAction: actions.High, Notify: notify },
        },
        ...(notify && {
          NotifyConfiguration: { SourceArn: "arn:aws:ses:us-east-1:000000000000:identity/x" },
        }),
      },
      ...extra,
    }),
  );
}

export interface From {
  ip?: string;
  userAgent?: string;
  /** A device id, sent as the advanced-security libraries encode it in EncodedData. */
  device?: string;
  password?: string;
}

/** EncodedData as amazon-cognito-advanced-security-data builds it (base64 JSON with a payload). */
export function encodedData(device: string): string {
  const payload = JSON.stringify({
    contextData: { DeviceId: device, ClientTimezone: "+01:00", UserAgent: BROWSER },
    username: "u",
    timestamp: String(Date.now()),
  });
  return Buffer.from(JSON.stringify({ payload, signature: "c2ln", version: "JS20171115" })).toString(
    "base64",
  );
}

/** ADMIN_USER_PASSWORD_AUTH with ContextData describing the end user. */
export function signIn(
  server: TestServer,
  pool: { poolId: string; client: TestClient },
  username: string,
  from: From = {},
): Promise<AdminInitiateAuthCommandOutput> {
  return server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: pool.poolId,
      ClientId: pool.client.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: from.password ?? PASSWORD },
      ContextData: {
        IpAddress: from.ip ?? HOME_IP,
        ServerName: "app.example.com",
        ServerPath: "/login",
        HttpHeaders: [{ headerName: "User-Agent", headerValue: from.userAgent ?? BROWSER }],
        ...(from.device && { EncodedData: encodedData(from.device) }),
      },
    }),
  );
}

export async function events(server: TestServer, poolId: string, username: string): Promise<AuthEventType[]> {
  const out = await server.client.send(
    new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: username }),
  );
  return out.AuthEvents ?? [];
}

/** A user who signed in once from home (so later sign-ins have a history to be compared with). */
export async function userWithHistory(
  server: TestServer,
  pool: { poolId: string; client: TestClient },
  username: string,
  attributes: { Name: string; Value: string }[] = [],
): Promise<void> {
  await createUser(server, pool.poolId, username, { attributes });
  await signIn(server, pool, username, { device: "home-laptop" });
}
