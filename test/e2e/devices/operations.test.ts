/**
 * The device operations: ConfirmDevice, GetDevice / AdminGetDevice, ListDevices / AdminListDevices,
 * UpdateDeviceStatus / AdminUpdateDeviceStatus, ForgetDevice / AdminForgetDevice.
 */
import {
  AdminDeleteUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  ConfirmDeviceCommand,
  type DeviceSecretVerifierConfigType,
  ForgetDeviceCommand,
  GetDeviceCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, expectError } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { newDeviceSecret } from "../../support/srp-client.js";
import { tokensOf } from "../srp/support.js";
import { adminSignIn, confirmedDevice, type DevicePool, devicePool } from "./support.js";

const UNKNOWN_DEVICE = "us-east-1_00000000-0000-4000-8000-000000000000";

let server: TestServer;
let on: DevicePool;
let users = 0;

beforeAll(async () => {
  server = await startTestServer();
  on = await devicePool(server, {
    ChallengeRequiredOnNewDevice: true,
    DeviceOnlyRememberedOnUserPrompt: true,
  });
});
afterAll(async () => server.stop());

async function newUser(): Promise<string> {
  const username = `user${++users}`;
  await createUser(server, on.poolId, username);
  return username;
}

const attribute = (attributes: { Name?: string; Value?: string }[] | undefined, name: string) =>
  attributes?.find((a) => a.Name === name)?.Value;

describe("ConfirmDevice", () => {
  it("stores the verifier; in user opt-in pools the user must then choose to remember", async () => {
    const username = await newUser();
    const { tokens, device, necessary } = await confirmedDevice(on, username);
    expect(necessary).toBe(true);
    const { Device } = await server.client.send(
      new GetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: device.deviceKey }),
    );
    expect(attribute(Device?.DeviceAttributes, "dev:device_remembered_status")).toBe("not_remembered");
  });

  it("answers false and remembers at once in always-remember pools", async () => {
    const always = await devicePool(server, { DeviceOnlyRememberedOnUserPrompt: false });
    const username = `always${++users}`;
    await createUser(server, always.poolId, username);
    const { device, necessary } = await confirmedDevice(always, username);
    expect(necessary).toBe(false);
    const { Device } = await server.client.send(
      new AdminGetDeviceCommand({
        UserPoolId: always.poolId,
        Username: username,
        DeviceKey: device.deviceKey,
      }),
    );
    expect(attribute(Device?.DeviceAttributes, "dev:device_remembered_status")).toBe("remembered");
  });

  it("refuses a device confirmed already, an unknown or foreign device, and a bad verifier", async () => {
    const username = await newUser();
    const { tokens, device } = await confirmedDevice(on, username);
    const confirm = (
      deviceKey: string,
      config: DeviceSecretVerifierConfigType = device.verifierConfig,
      accessToken = tokens.AccessToken,
    ) =>
      server.client.send(
        new ConfirmDeviceCommand({
          AccessToken: accessToken,
          DeviceKey: deviceKey,
          DeviceSecretVerifierConfig: config,
        }),
      );
    await expectError(confirm(device.deviceKey), "DeviceKeyExistsException", "Device key already exists.");
    await expectError(confirm(UNKNOWN_DEVICE), "ResourceNotFoundException", "Device does not exist.");
    const stranger = tokensOf(await adminSignIn(on, await newUser()));
    await expectError(
      confirm(device.deviceKey, device.verifierConfig, stranger.AccessToken),
      "ResourceNotFoundException",
      "Device does not exist.",
    );

    const fresh = tokensOf(await adminSignIn(on, username)).NewDeviceMetadata?.DeviceKey as string;
    const invalid = [
      { Salt: device.verifierConfig.Salt },
      { PasswordVerifier: device.verifierConfig.PasswordVerifier },
      { PasswordVerifier: "AA==", Salt: device.verifierConfig.Salt },
      { PasswordVerifier: "not base64!", Salt: device.verifierConfig.Salt },
      { PasswordVerifier: device.verifierConfig.PasswordVerifier, Salt: "AAAA" },
    ];
    for (const config of invalid) {
      await expectError(
        confirm(fresh, config),
        "InvalidParameterException",
        "DeviceSecretVerifierConfig must hold a base64 PasswordVerifier and Salt.",
      );
    }
    await confirm(fresh);
  });
});

describe("GetDevice and AdminGetDevice", () => {
  it("show the device as Cognito does", async () => {
    const username = await newUser();
    const { tokens, device } = await confirmedDevice(on, username);
    const own = await server.client.send(
      new GetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: device.deviceKey }),
    );
    const admin = await server.client.send(
      new AdminGetDeviceCommand({ UserPoolId: on.poolId, Username: username, DeviceKey: device.deviceKey }),
    );
    expect(admin.Device).toEqual(own.Device);
    const shown = own.Device;
    expect(shown?.DeviceKey).toBe(device.deviceKey);
    expect(shown?.DeviceAttributes).toEqual([
      { Name: "device_status", Value: "valid" },
      { Name: "device_name", Value: "test-device" },
      {
        Name: "dev:device_arn",
        Value: `arn:aws:cognito-idp:us-east-1:000000000000:owner/${username}.${on.poolId}/device/${device.deviceKey}`,
      },
      { Name: "dev:device_owner", Value: `${username}.${on.poolId}` },
      { Name: "dev:device_remembered_status", Value: "not_remembered" },
    ]);
    expect(shown?.DeviceCreateDate).toBeInstanceOf(Date);
    expect(shown?.DeviceLastModifiedDate?.getTime()).toBeGreaterThanOrEqual(
      shown?.DeviceCreateDate?.getTime() ?? 0,
    );
    expect(shown?.DeviceLastAuthenticatedDate).toBeInstanceOf(Date);
  });

  it("refuse unknown devices, other users' devices, and unknown users", async () => {
    const username = await newUser();
    const { tokens } = await confirmedDevice(on, username);
    const other = await confirmedDevice(on, await newUser());
    await expectError(
      server.client.send(
        new GetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: other.device.deviceKey }),
      ),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
    await expectError(
      server.client.send(
        new AdminGetDeviceCommand({ UserPoolId: on.poolId, Username: username, DeviceKey: UNKNOWN_DEVICE }),
      ),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
    await expectError(
      server.client.send(
        new AdminGetDeviceCommand({ UserPoolId: on.poolId, Username: "nobody", DeviceKey: UNKNOWN_DEVICE }),
      ),
      "UserNotFoundException",
      "User does not exist.",
    );
    await expectError(
      server.client.send(new GetDeviceCommand({ DeviceKey: UNKNOWN_DEVICE })),
      "InvalidParameterException",
      "Missing required parameter AccessToken",
    );
  });

  it("a user created again under a deleted user's name has none of its devices", async () => {
    const username = await newUser();
    const { device } = await confirmedDevice(on, username);
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: on.poolId, Username: username }));
    await createUser(server, on.poolId, username);
    await expectError(
      server.client.send(
        new AdminGetDeviceCommand({ UserPoolId: on.poolId, Username: username, DeviceKey: device.deviceKey }),
      ),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });
});

describe("ListDevices and AdminListDevices", () => {
  it("list the user's confirmed devices, a page at a time", async () => {
    const username = await newUser();
    const confirmed = [];
    for (let i = 0; i < 3; i++) confirmed.push(await confirmedDevice(on, username));
    await adminSignIn(on, username); // a fourth device, never confirmed
    const keys = confirmed.map((c) => c.device.deviceKey).sort();
    const accessToken = confirmed[0].tokens.AccessToken;

    const all = await server.client.send(new ListDevicesCommand({ AccessToken: accessToken }));
    expect(all.Devices?.map((d) => d.DeviceKey)).toEqual(keys);
    expect(all.PaginationToken).toBeUndefined();

    const first = await server.client.send(
      new AdminListDevicesCommand({ UserPoolId: on.poolId, Username: username, Limit: 2 }),
    );
    expect(first.Devices?.map((d) => d.DeviceKey)).toEqual(keys.slice(0, 2));
    expect(first.PaginationToken).toBeDefined();
    const second = await server.client.send(
      new AdminListDevicesCommand({
        UserPoolId: on.poolId,
        Username: username,
        Limit: 2,
        PaginationToken: first.PaginationToken,
      }),
    );
    expect(second.Devices?.map((d) => d.DeviceKey)).toEqual(keys.slice(2));
    expect(second.PaginationToken).toBeUndefined();

    const own = await server.client.send(
      new ListDevicesCommand({ AccessToken: accessToken, Limit: 1, PaginationToken: first.PaginationToken }),
    );
    expect(own.Devices?.map((d) => d.DeviceKey)).toEqual(keys.slice(2));

    await expectError(
      server.client.send(
        new ListDevicesCommand({ AccessToken: accessToken, PaginationToken: "not-a-token" }),
      ),
      "InvalidParameterException",
      "Invalid pagination token.",
    );
  });
});

describe("UpdateDeviceStatus and AdminUpdateDeviceStatus", () => {
  it("remember and forget to remember a device", async () => {
    const username = await newUser();
    const { tokens, device } = await confirmedDevice(on, username);
    const status = async () =>
      attribute(
        (
          await server.client.send(
            new AdminGetDeviceCommand({
              UserPoolId: on.poolId,
              Username: username,
              DeviceKey: device.deviceKey,
            }),
          )
        ).Device?.DeviceAttributes,
        "dev:device_remembered_status",
      );
    await server.client.send(
      new UpdateDeviceStatusCommand({
        AccessToken: tokens.AccessToken,
        DeviceKey: device.deviceKey,
        DeviceRememberedStatus: "remembered",
      }),
    );
    expect(await status()).toBe("remembered");
    await server.client.send(
      new AdminUpdateDeviceStatusCommand({
        UserPoolId: on.poolId,
        Username: username,
        DeviceKey: device.deviceKey,
        DeviceRememberedStatus: "not_remembered",
      }),
    );
    expect(await status()).toBe("not_remembered");
    await expectError(
      server.client.send(
        new UpdateDeviceStatusCommand({ AccessToken: tokens.AccessToken, DeviceKey: device.deviceKey }),
      ),
      "InvalidParameterException",
      "Missing required parameter DeviceRememberedStatus",
    );
    await expectError(
      server.client.send(
        new UpdateDeviceStatusCommand({
          AccessToken: tokens.AccessToken,
          DeviceKey: UNKNOWN_DEVICE,
          DeviceRememberedStatus: "remembered",
        }),
      ),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });
});

describe("ForgetDevice and AdminForgetDevice", () => {
  it("forget a device: it no longer exists", async () => {
    const username = await newUser();
    const { tokens, device } = await confirmedDevice(on, username);
    const second = await confirmedDevice(on, username);
    await server.client.send(
      new ForgetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: device.deviceKey }),
    );
    await server.client.send(
      new AdminForgetDeviceCommand({
        UserPoolId: on.poolId,
        Username: username,
        DeviceKey: second.device.deviceKey,
      }),
    );
    for (const deviceKey of [device.deviceKey, second.device.deviceKey]) {
      await expectError(
        server.client.send(new GetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: deviceKey })),
        "ResourceNotFoundException",
        "Device does not exist.",
      );
    }
    expect(
      (await server.client.send(new ListDevicesCommand({ AccessToken: tokens.AccessToken }))).Devices,
    ).toEqual([]);
    await expectError(
      server.client.send(
        new ForgetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: device.deviceKey }),
      ),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });

  it("a new device secret cannot confirm a forgotten device again", async () => {
    const username = await newUser();
    const { tokens, device } = await confirmedDevice(on, username);
    await server.client.send(
      new ForgetDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: device.deviceKey }),
    );
    const again = newDeviceSecret({ DeviceKey: device.deviceKey, DeviceGroupKey: device.groupKey });
    await expectError(
      server.client.send(
        new ConfirmDeviceCommand({
          AccessToken: tokens.AccessToken,
          DeviceKey: device.deviceKey,
          DeviceSecretVerifierConfig: again.verifierConfig,
        }),
      ),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });
});
