/**
 * Remembered devices with the official amazon-cognito-identity-js client: it confirms the new
 * device by itself, signs in again through DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER, refreshes
 * with the device key, and recovers from a forgotten device.
 */
import {
  AdminGetDeviceCommand,
  AdminInitiateAuthCommand,
  type DeviceConfigurationType,
  ForgetDeviceCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { CognitoUser, CognitoUserSession } from "amazon-cognito-identity-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, expectError } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { jsSignIn, jsUser, MemoryStorage, recordTraffic } from "../srp/support.js";
import { type DevicePool, devicePool } from "./support.js";

let server: TestServer;
let users = 0;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

async function newUser(on: DevicePool): Promise<string> {
  const username = `device-user${++users}`;
  await createUser(server, on.poolId, username);
  return username;
}

/** identity-js keeps the device it confirmed in its storage, under the user's key. */
function cachedDeviceKey(storage: MemoryStorage, on: DevicePool, username: string): string | null {
  return storage.getItem(`CognitoIdentityServiceProvider.${on.app.clientId}.${username}.deviceKey`);
}

/** A sign-in with a new CognitoUser on the same storage, recording what it exchanged. */
async function signInRecorded(on: DevicePool, username: string, storage: MemoryStorage) {
  const traffic = recordTraffic();
  try {
    const user = jsUser(server, on.poolId, on.app, username, storage);
    const result = await jsSignIn(user);
    return { ...result, user, log: traffic.log.map((e) => [e.target, e.challengeName, e.error]) };
  } finally {
    traffic.stop();
  }
}

function refresh(user: CognitoUser, session: CognitoUserSession): Promise<CognitoUserSession> {
  return new Promise((resolve, reject) =>
    user.refreshSession(session.getRefreshToken(), (err, result) => (err ? reject(err) : resolve(result))),
  );
}

const deviceKeyOf = (session: CognitoUserSession) => session.getAccessToken().decodePayload().device_key;

describe("remembered devices, always remembered, challenged (ChallengeRequiredOnNewDevice)", () => {
  const config: DeviceConfigurationType = {
    ChallengeRequiredOnNewDevice: true,
    DeviceOnlyRememberedOnUserPrompt: false,
  };

  it("confirms the new device, then signs in with device SRP and refreshes with the device key", async () => {
    const on = await devicePool(server, config);
    const username = await newUser(on);
    const storage = new MemoryStorage();

    const first = await signInRecorded(on, username, storage);
    expect(first.log).toEqual([
      ["InitiateAuth", undefined, undefined],
      ["RespondToAuthChallenge", "PASSWORD_VERIFIER", undefined],
      ["ConfirmDevice", undefined, undefined],
    ]);
    expect(first.userConfirmationNecessary).toBeUndefined();
    const deviceKey = cachedDeviceKey(storage, on, username);
    expect(deviceKey).toMatch(/^us-east-1_[0-9a-f-]{36}$/);
    expect(deviceKeyOf(first.session)).toBe(deviceKey);
    const { Device } = await server.client.send(
      new AdminGetDeviceCommand({
        UserPoolId: on.poolId,
        Username: username,
        DeviceKey: deviceKey as string,
      }),
    );
    expect(Device?.DeviceAttributes).toContainEqual({ Name: "device_name", Value: "nodejs" });
    expect(Device?.DeviceAttributes).toContainEqual({
      Name: "dev:device_remembered_status",
      Value: "remembered",
    });

    const second = await signInRecorded(on, username, storage);
    expect(second.log).toEqual([
      ["InitiateAuth", undefined, undefined],
      ["RespondToAuthChallenge", "PASSWORD_VERIFIER", undefined],
      ["RespondToAuthChallenge", "DEVICE_SRP_AUTH", undefined],
      ["RespondToAuthChallenge", "DEVICE_PASSWORD_VERIFIER", undefined],
    ]);
    expect(deviceKeyOf(second.session)).toBe(deviceKey);
    expect(cachedDeviceKey(storage, on, username)).toBe(deviceKey);

    const refreshed = await refresh(second.user, second.session);
    expect(deviceKeyOf(refreshed)).toBe(deviceKey);
    expect(refreshed.getAccessToken().decodePayload().origin_jti).toBe(
      second.session.getAccessToken().decodePayload().origin_jti,
    );

    // Without the device key the refresh token is refused.
    const refreshWithout = (deviceParameters: Record<string, string>) =>
      server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: on.poolId,
          ClientId: on.app.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: second.session.getRefreshToken().getToken(), ...deviceParameters },
        }),
      );
    await expectError(refreshWithout({}), "NotAuthorizedException", "Invalid Refresh Token.");
    await expectError(
      refreshWithout({ DEVICE_KEY: "us-east-1_00000000-0000-4000-8000-000000000000" }),
      "NotAuthorizedException",
      "Invalid Refresh Token.",
    );
  });

  it("a forgotten device: the client is told it does not exist, drops it, and gets a new one", async () => {
    const on = await devicePool(server, config);
    const username = await newUser(on);
    const storage = new MemoryStorage();
    const first = await signInRecorded(on, username, storage);
    const forgotten = cachedDeviceKey(storage, on, username) as string;
    await server.client.send(
      new ForgetDeviceCommand({
        AccessToken: first.session.getAccessToken().getJwtToken(),
        DeviceKey: forgotten,
      }),
    );

    const second = await signInRecorded(on, username, storage);
    expect(second.log).toEqual([
      ["InitiateAuth", undefined, undefined],
      ["RespondToAuthChallenge", "PASSWORD_VERIFIER", "ResourceNotFoundException"],
      ["RespondToAuthChallenge", "PASSWORD_VERIFIER", undefined],
      ["ConfirmDevice", undefined, undefined],
    ]);
    const renewed = cachedDeviceKey(storage, on, username);
    expect(renewed).not.toBe(forgotten);
    expect(deviceKeyOf(second.session)).toBe(renewed);
    // The first session was bound to the forgotten device: its refresh token no longer works.
    // (Asked through the SDK: identity-js retries a failed refresh for seconds.)
    await expectError(
      server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: on.poolId,
          ClientId: on.app.clientId,
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: {
            REFRESH_TOKEN: first.session.getRefreshToken().getToken(),
            DEVICE_KEY: forgotten,
          },
        }),
      ),
      "NotAuthorizedException",
      "Invalid Refresh Token.",
    );
  });
});

describe("remembered devices, user opt-in", () => {
  it("asks the user; a device not remembered signs in without device SRP until it is", async () => {
    const on = await devicePool(server, {
      ChallengeRequiredOnNewDevice: true,
      DeviceOnlyRememberedOnUserPrompt: true,
    });
    const username = await newUser(on);
    const storage = new MemoryStorage();
    const first = await signInRecorded(on, username, storage);
    expect(first.userConfirmationNecessary).toBe(true);
    const deviceKey = cachedDeviceKey(storage, on, username);

    const second = await signInRecorded(on, username, storage);
    expect(second.log).toEqual([
      ["InitiateAuth", undefined, undefined],
      ["RespondToAuthChallenge", "PASSWORD_VERIFIER", undefined],
    ]);
    expect(deviceKeyOf(second.session)).toBe(deviceKey);

    await new Promise((resolve, reject) =>
      second.user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }),
    );
    const third = await signInRecorded(on, username, storage);
    expect(third.log.map(([, challenge]) => challenge)).toEqual([
      undefined,
      "PASSWORD_VERIFIER",
      "DEVICE_SRP_AUTH",
      "DEVICE_PASSWORD_VERIFIER",
    ]);
  });
});

describe("remembered devices without the device challenge, and pools without devices", () => {
  it("a remembered device signs in without device SRP when the pool does not ask for it", async () => {
    const on = await devicePool(server, {
      ChallengeRequiredOnNewDevice: false,
      DeviceOnlyRememberedOnUserPrompt: false,
    });
    const username = await newUser(on);
    const storage = new MemoryStorage();
    await signInRecorded(on, username, storage);
    const second = await signInRecorded(on, username, storage);
    expect(second.log).toEqual([
      ["InitiateAuth", undefined, undefined],
      ["RespondToAuthChallenge", "PASSWORD_VERIFIER", undefined],
    ]);
    expect(deviceKeyOf(second.session)).toBe(cachedDeviceKey(storage, on, username));
  });

  it("a pool that does not track devices gives no device and no device_key", async () => {
    const on = await devicePool(server);
    const username = await newUser(on);
    const storage = new MemoryStorage();
    const first = await signInRecorded(on, username, storage);
    expect(first.log.map(([target]) => target)).toEqual(["InitiateAuth", "RespondToAuthChallenge"]);
    expect(deviceKeyOf(first.session)).toBeUndefined();
    expect(cachedDeviceKey(storage, on, username)).toBeNull();
  });
});
