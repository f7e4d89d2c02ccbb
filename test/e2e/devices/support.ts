/** Remembered devices through the AWS SDK v3: new devices, ConfirmDevice, the device SRP answers. */
import {
  AdminInitiateAuthCommand,
  type AdminInitiateAuthCommandOutput,
  type AuthenticationResultType,
  ConfirmDeviceCommand,
  type DeviceConfigurationType,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { expect } from "vitest";
import { createClient, createPool, PASSWORD, type TestClient } from "../../support/fixtures.js";
import type { TestServer } from "../../support/server.js";
import {
  answerDeviceVerifier,
  type DeviceSecret,
  newDeviceSecret,
  startSrp,
} from "../../support/srp-client.js";

export const ALL_FLOWS = [
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  "ALLOW_USER_PASSWORD_AUTH",
  "ALLOW_REFRESH_TOKEN_AUTH",
] as const;

export interface DevicePool {
  server: TestServer;
  poolId: string;
  app: TestClient;
}

export async function devicePool(server: TestServer, config?: DeviceConfigurationType): Promise<DevicePool> {
  const poolId = await createPool(server, { DeviceConfiguration: config });
  const app = await createClient(server, poolId, { ExplicitAuthFlows: [...ALL_FLOWS] });
  return { server, poolId, app };
}

/** ADMIN_USER_PASSWORD_AUTH, with extra AuthParameters (DEVICE_KEY). */
export function adminSignIn(
  on: DevicePool,
  username: string,
  parameters: Record<string, string> = {},
  password = PASSWORD,
): Promise<AdminInitiateAuthCommandOutput> {
  return on.server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: on.poolId,
      ClientId: on.app.clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: username, PASSWORD: password, ...parameters },
    }),
  );
}

export interface NewDevice {
  tokens: AuthenticationResultType;
  device: DeviceSecret;
}

/** A sign-in that gets a new device, which is then confirmed with a fresh device secret. */
export async function confirmedDevice(
  on: DevicePool,
  username: string,
): Promise<NewDevice & { necessary: boolean }> {
  const out = await adminSignIn(on, username);
  const tokens = out.AuthenticationResult as AuthenticationResultType;
  const metadata = tokens.NewDeviceMetadata as { DeviceKey: string; DeviceGroupKey: string };
  expect(metadata?.DeviceKey).toBeDefined();
  const device = newDeviceSecret(metadata);
  const confirmed = await on.server.client.send(
    new ConfirmDeviceCommand({
      AccessToken: tokens.AccessToken,
      DeviceKey: device.deviceKey,
      DeviceName: "test-device",
      DeviceSecretVerifierConfig: device.verifierConfig,
    }),
  );
  return { tokens, device, necessary: confirmed.UserConfirmationNecessary === true };
}

/** Answers DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER with the device's secret; returns both responses. */
export async function answerDeviceChallenges(
  on: DevicePool,
  username: string,
  device: DeviceSecret,
  session: string | undefined,
) {
  const start = startSrp();
  const srpAuth = await on.server.client.send(
    new RespondToAuthChallengeCommand({
      ClientId: on.app.clientId,
      ChallengeName: "DEVICE_SRP_AUTH",
      Session: session,
      ChallengeResponses: { USERNAME: username, DEVICE_KEY: device.deviceKey, SRP_A: start.srpA },
    }),
  );
  expect(srpAuth.ChallengeName).toBe("DEVICE_PASSWORD_VERIFIER");
  const challenge = srpAuth.ChallengeParameters ?? {};
  const responses = answerDeviceVerifier({ device, username, challenge, start });
  return { srpAuth, challenge, start, responses };
}

export function respondDeviceVerifier(
  on: DevicePool,
  session: string | undefined,
  responses: Record<string, string>,
) {
  return on.server.client.send(
    new RespondToAuthChallengeCommand({
      ClientId: on.app.clientId,
      ChallengeName: "DEVICE_PASSWORD_VERIFIER",
      Session: session,
      ChallengeResponses: responses,
    }),
  );
}
