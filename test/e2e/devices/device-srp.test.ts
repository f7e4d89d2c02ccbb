/**
 * Devices in the sign-in, through the AWS SDK v3: NewDeviceMetadata, DEVICE_KEY on every flow,
 * DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER and their refusals, and the device-bound refresh.
 */
import {
  AdminForgetDeviceCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  ConfirmDeviceCommand,
  RespondToAuthChallengeCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claims, createUser, expectError, PASSWORD, TEMPORARY_PASSWORD } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { newDeviceSecret, startSrp } from "../../support/srp-client.js";
import { srpChallenge, srpSignIn, tokensOf } from "../srp/support.js";
import {
  adminSignIn,
  answerDeviceChallenges,
  confirmedDevice,
  type DevicePool,
  devicePool,
  respondDeviceVerifier,
} from "./support.js";

const UNKNOWN_DEVICE = "us-east-1_00000000-0000-4000-8000-000000000000";

let server: TestServer;
let on: DevicePool;
let users = 0;

beforeAll(async () => {
  server = await startTestServer();
  on = await devicePool(server, {
    ChallengeRequiredOnNewDevice: true,
    DeviceOnlyRememberedOnUserPrompt: false,
  });
});
afterAll(async () => server.stop());

async function newUser(pool = on): Promise<string> {
  const username = `user${++users}`;
  await createUser(server, pool.poolId, username);
  return username;
}

function refresh(refreshToken: string | undefined, deviceKey?: string) {
  return server.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: on.poolId,
      ClientId: on.app.clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: refreshToken as string, ...(deviceKey && { DEVICE_KEY: deviceKey }) },
    }),
  );
}

describe("NewDeviceMetadata", () => {
  it("comes with every sign-in that presents no device, and the access token carries its key", async () => {
    const username = await newUser();
    const first = tokensOf(await adminSignIn(on, username));
    const second = tokensOf(await srpSignIn({ server, poolId: on.poolId, app: on.app, username }));
    const [a, b] = [first.NewDeviceMetadata, second.NewDeviceMetadata];
    expect(a?.DeviceKey).toMatch(
      /^us-east-1_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(b?.DeviceKey).not.toBe(a?.DeviceKey);
    expect(a?.DeviceGroupKey).toMatch(/^[\w-]{9}$/);
    expect(b?.DeviceGroupKey).toBe(a?.DeviceGroupKey);
    expect(claims(first.AccessToken).device_key).toBe(a?.DeviceKey);
    expect(claims(first.IdToken).device_key).toBeUndefined();
    const other = tokensOf(await adminSignIn(on, await newUser()));
    expect(other.NewDeviceMetadata?.DeviceGroupKey).not.toBe(a?.DeviceGroupKey);
  });

  it("a device refreshes only once confirmed, and with its key", async () => {
    const username = await newUser();
    const tokens = tokensOf(await adminSignIn(on, username));
    const deviceKey = tokens.NewDeviceMetadata?.DeviceKey as string;
    await expectError(
      refresh(tokens.RefreshToken, deviceKey),
      "NotAuthorizedException",
      "Invalid Refresh Token.",
    );
    const device = newDeviceSecret(tokens.NewDeviceMetadata as { DeviceKey: string; DeviceGroupKey: string });
    await server.client.send(
      new ConfirmDeviceCommand({
        AccessToken: tokens.AccessToken,
        DeviceKey: deviceKey,
        DeviceSecretVerifierConfig: device.verifierConfig,
      }),
    );
    const refreshed = tokensOf(await refresh(tokens.RefreshToken, deviceKey));
    expect(claims(refreshed.AccessToken).device_key).toBe(deviceKey);
    expect(refreshed.NewDeviceMetadata).toBeUndefined();
    await expectError(refresh(tokens.RefreshToken), "NotAuthorizedException", "Invalid Refresh Token.");
  });
});

describe("DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER", () => {
  it("a remembered device's key on a password sign-in leads to the device challenges, then tokens", async () => {
    const username = await newUser();
    const { device } = await confirmedDevice(on, username);
    const out = await adminSignIn(on, username, { DEVICE_KEY: device.deviceKey });
    expect(out.ChallengeName).toBe("DEVICE_SRP_AUTH");
    expect(out.ChallengeParameters).toEqual({ USERNAME: username });
    expect(out.Session).toBeDefined();

    const { srpAuth, challenge, responses } = await answerDeviceChallenges(on, username, device, out.Session);
    expect(Object.keys(challenge).sort()).toEqual(["SALT", "SECRET_BLOCK", "SRP_B", "USERNAME"]);
    expect(challenge.USERNAME).toBe(username);
    expect(srpAuth.Session).not.toBe(out.Session);
    const done = await respondDeviceVerifier(on, srpAuth.Session, responses);
    const tokens = tokensOf(done);
    expect(done.ChallengeParameters).toEqual({});
    expect(tokens.RefreshToken).toBeDefined();
    expect(tokens.NewDeviceMetadata).toBeUndefined();
    expect(claims(tokens.AccessToken).device_key).toBe(device.deviceKey);
    tokensOf(await refresh(tokens.RefreshToken, device.deviceKey));
  });

  it("a DEVICE_KEY sent with USER_SRP_AUTH is kept through PASSWORD_VERIFIER", async () => {
    const username = await newUser();
    const { device } = await confirmedDevice(on, username);
    const { responses } = await srpChallenge({
      server,
      poolId: on.poolId,
      app: on.app,
      username,
      initiate: { DEVICE_KEY: device.deviceKey },
    });
    const out = await server.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: on.app.clientId,
        ChallengeName: "PASSWORD_VERIFIER",
        ChallengeResponses: responses,
      }),
    );
    expect(out.ChallengeName).toBe("DEVICE_SRP_AUTH");
  });

  it("the device is carried through NEW_PASSWORD_REQUIRED", async () => {
    const username = await newUser();
    const { device } = await confirmedDevice(on, username);
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: on.poolId,
        Username: username,
        Password: TEMPORARY_PASSWORD,
        Permanent: false,
      }),
    );
    const out = await adminSignIn(on, username, { DEVICE_KEY: device.deviceKey }, TEMPORARY_PASSWORD);
    expect(out.ChallengeName).toBe("NEW_PASSWORD_REQUIRED");
    const next = await server.client.send(
      new RespondToAuthChallengeCommand({
        ClientId: on.app.clientId,
        ChallengeName: "NEW_PASSWORD_REQUIRED",
        Session: out.Session,
        ChallengeResponses: { USERNAME: username, NEW_PASSWORD: PASSWORD },
      }),
    );
    expect(next.ChallengeName).toBe("DEVICE_SRP_AUTH");
  });

  it("refuses a wrong device secret, and the session is spent", async () => {
    const username = await newUser();
    const { device } = await confirmedDevice(on, username);
    const out = await adminSignIn(on, username, { DEVICE_KEY: device.deviceKey });
    const impostor = { ...device, secret: "not-the-device-secret" };
    const { srpAuth, responses } = await answerDeviceChallenges(on, username, impostor, out.Session);
    await expectError(
      respondDeviceVerifier(on, srpAuth.Session, responses),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await expectError(
      respondDeviceVerifier(on, srpAuth.Session, responses),
      "NotAuthorizedException",
      "Invalid session for the user, session can only be used once.",
    );
  });

  it("refuses a tampered SECRET_BLOCK, or the block of another device challenge", async () => {
    const username = await newUser();
    const { device } = await confirmedDevice(on, username);
    const first = await answerDeviceChallenges(
      on,
      username,
      device,
      (await adminSignIn(on, username, { DEVICE_KEY: device.deviceKey })).Session,
    );
    const second = await answerDeviceChallenges(
      on,
      username,
      device,
      (await adminSignIn(on, username, { DEVICE_KEY: device.deviceKey })).Session,
    );
    const bytes = Buffer.from(first.challenge.SECRET_BLOCK, "base64");
    bytes[10] ^= 0x80;
    await expectError(
      respondDeviceVerifier(on, first.srpAuth.Session, {
        ...first.responses,
        PASSWORD_CLAIM_SECRET_BLOCK: bytes.toString("base64"),
      }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    await expectError(
      respondDeviceVerifier(on, first.srpAuth.Session, second.responses),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    tokensOf(await respondDeviceVerifier(on, second.srpAuth.Session, second.responses));
  });

  it("refuses an invalid SRP_A, a missing DEVICE_KEY and another device's key", async () => {
    const username = await newUser();
    const { device } = await confirmedDevice(on, username);
    const other = await confirmedDevice(on, username);
    const { Session } = await adminSignIn(on, username, { DEVICE_KEY: device.deviceKey });
    const answer = (responses: Record<string, string>) =>
      server.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: on.app.clientId,
          ChallengeName: "DEVICE_SRP_AUTH",
          Session,
          ChallengeResponses: { USERNAME: username, ...responses },
        }),
      );
    await expectError(
      answer({ DEVICE_KEY: device.deviceKey, SRP_A: "0" }),
      "InvalidParameterException",
      "Invalid SRP_A value.",
    );
    await expectError(
      answer({ SRP_A: startSrp().srpA }),
      "InvalidParameterException",
      "Missing required parameter DEVICE_KEY",
    );
    await expectError(
      answer({ DEVICE_KEY: other.device.deviceKey, SRP_A: startSrp().srpA }),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });

  it("a device forgotten between the two steps does not exist", async () => {
    const username = await newUser();
    const { device } = await confirmedDevice(on, username);
    const out = await adminSignIn(on, username, { DEVICE_KEY: device.deviceKey });
    const { srpAuth, responses } = await answerDeviceChallenges(on, username, device, out.Session);
    await server.client.send(
      new AdminForgetDeviceCommand({
        UserPoolId: on.poolId,
        Username: username,
        DeviceKey: device.deviceKey,
      }),
    );
    await expectError(
      respondDeviceVerifier(on, srpAuth.Session, responses),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
  });
});

describe("DEVICE_KEY that is not one of the user's confirmed devices", () => {
  it("is refused on every flow: unknown, another user's, unconfirmed", async () => {
    const username = await newUser();
    const stranger = await newUser();
    const { device: strangersDevice } = await confirmedDevice(on, stranger);
    const unconfirmed = tokensOf(await adminSignIn(on, username)).NewDeviceMetadata?.DeviceKey as string;
    for (const deviceKey of [UNKNOWN_DEVICE, strangersDevice.deviceKey, unconfirmed]) {
      await expectError(
        adminSignIn(on, username, { DEVICE_KEY: deviceKey }),
        "ResourceNotFoundException",
        "Device does not exist.",
      );
      await expectError(
        srpChallenge({
          server,
          poolId: on.poolId,
          app: on.app,
          username,
          initiate: { DEVICE_KEY: deviceKey },
        }),
        "ResourceNotFoundException",
        "Device does not exist.",
      );
    }
  });

  it("is refused at PASSWORD_VERIFIER without spending the block, so the client can answer again without it", async () => {
    const username = await newUser();
    const { responses } = await srpChallenge({ server, poolId: on.poolId, app: on.app, username });
    const answer = (extra: Record<string, string>) =>
      server.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: on.app.clientId,
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeResponses: { ...responses, ...extra },
        }),
      );
    await expectError(
      answer({ DEVICE_KEY: UNKNOWN_DEVICE }),
      "ResourceNotFoundException",
      "Device does not exist.",
    );
    expect(tokensOf(await answer({})).NewDeviceMetadata).toBeDefined();
  });

  it("is ignored by a pool that does not track devices", async () => {
    const plain = await devicePool(server);
    const username = await newUser(plain);
    const tokens = tokensOf(await adminSignIn(plain, username, { DEVICE_KEY: UNKNOWN_DEVICE }));
    expect(tokens.NewDeviceMetadata).toBeUndefined();
    expect(claims(tokens.AccessToken).device_key).toBeUndefined();
  });
});
