/** Records for the store tests, with every field set so a round trip shows each one survives. */
import type { AuthEventRecord } from "../../src/store/auth-events.js";
import type { AuthSessionRecord } from "../../src/store/auth-sessions.js";
import type { CodeRecord } from "../../src/store/codes.js";
import type { DeviceRecord } from "../../src/store/devices.js";
import type {
  ClientRecord,
  GroupRecord,
  OutboxMessage,
  PoolRecord,
  UserRecord,
} from "../../src/store/records.js";
import type { RefreshTokenRecord } from "../../src/store/refresh-tokens.js";
import type { SigningKeyRecord } from "../../src/store/signing-keys.js";

/** Millisecond-precise times, to see that nothing rounds them. */
export const T0 = new Date(1_700_000_000_123);
export const T1 = new Date(1_700_000_055_789);

export function pool(id: string, overrides: Partial<PoolRecord> = {}): PoolRecord {
  return {
    id,
    name: `pool ${id}`,
    config: { MfaConfiguration: "OFF", Policies: { PasswordPolicy: { MinimumLength: 8 } } },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function client(id: string, poolId: string, overrides: Partial<ClientRecord> = {}): ClientRecord {
  return {
    id,
    poolId,
    name: `client ${id}`,
    secrets: [],
    config: { ExplicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH"], RefreshTokenValidity: 30 },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function user(poolId: string, usernameKey: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    poolId,
    username: usernameKey,
    usernameKey,
    sub: `sub-${poolId}-${usernameKey}`,
    status: "CONFIRMED",
    enabled: true,
    attributes: { email: `${usernameKey}@example.com`, given_name: "Given", "custom:tier": "gold" },
    password: { salt: "a1b2", verifier: "c3d4", setAt: T0 },
    passwordHistory: [{ salt: "0001", verifier: "0002" }],
    extra: { mfa: { preferred: "SOFTWARE_TOKEN_MFA" } },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function group(poolId: string, name: string, overrides: Partial<GroupRecord> = {}): GroupRecord {
  return {
    poolId,
    name,
    description: `group ${name}`,
    roleArn: "arn:aws:iam::123456789012:role/r",
    precedence: 3,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function message(id: string, overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id,
    poolId: "us-east-1_pool1",
    username: "alice",
    channel: "EMAIL",
    destination: "alice@example.com",
    purpose: "signup",
    subject: "Your code",
    message: "Your code is 123456",
    createdAt: T0,
    ...overrides,
  };
}

export function code(poolId: string, usernameKey: string, overrides: Partial<CodeRecord> = {}): CodeRecord {
  return {
    poolId,
    usernameKey,
    purpose: "signup",
    codeHash: "hash-1",
    expiresAt: T1,
    attempts: 0,
    createdAt: T0,
    ...overrides,
  };
}

/** Sorts as both databases must: by the UTF-8 bytes of the text. */
export function byteOrder(values: string[]): string[] {
  return [...values].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

export function authSession(id: string, overrides: Partial<AuthSessionRecord> = {}): AuthSessionRecord {
  return {
    id,
    poolId: "us-east-1_pool1",
    clientId: "client1",
    usernameKey: "alice",
    challengeName: "PASSWORD_VERIFIER",
    state: { step: 2, srp: { b: "ab12" } },
    createdAt: T0,
    expiresAt: T1,
    usedAt: null,
    ...overrides,
  };
}

export function signingKey(kid: string, overrides: Partial<SigningKeyRecord> = {}): SigningKeyRecord {
  return {
    poolId: "us-east-1_pool1",
    kid,
    use: "id",
    status: "current",
    privateKey: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
    publicJwk: { kty: "RSA", n: `n-${kid}`, e: "AQAB" },
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function refreshToken(
  tokenHash: string,
  overrides: Partial<RefreshTokenRecord> = {},
): RefreshTokenRecord {
  return {
    tokenHash,
    poolId: "us-east-1_pool1",
    clientId: "client1",
    usernameKey: "alice",
    username: "Alice",
    sub: "sub-alice",
    deviceKey: null,
    originJti: `origin-${tokenHash}`,
    eventId: `event-${tokenHash}`,
    scopes: null,
    resource: null,
    authTime: T0,
    issuedAt: T0,
    expiresAt: T1,
    revokedAt: null,
    rotatedAt: null,
    ...overrides,
  };
}

export function device(deviceKey: string, overrides: Partial<DeviceRecord> = {}): DeviceRecord {
  return {
    poolId: "us-east-1_pool1",
    deviceKey,
    usernameKey: "alice",
    sub: "sub-alice",
    groupKey: "-group1",
    name: "Alice's phone",
    salt: null,
    verifier: null,
    confirmedAt: null,
    remembered: false,
    lastIp: null,
    createdAt: T0,
    updatedAt: T0,
    lastAuthenticatedAt: null,
    ...overrides,
  };
}

export function authEvent(eventId: string, overrides: Partial<AuthEventRecord> = {}): AuthEventRecord {
  return {
    poolId: "us-east-1_pool1",
    eventId,
    usernameKey: "alice",
    sub: "sub-alice",
    username: "Alice",
    clientId: "client1",
    eventType: "SignIn",
    createdAt: T0,
    response: "Pass",
    compromised: false,
    riskDetail: { mode: "AUDIT", actions: ["NO_ACTION"], score: 0, reasons: [] },
    challenges: [{ ChallengeName: "Password", ChallengeResponse: "Success" }],
    ...overrides,
  };
}

/** An event with every optional field set. */
export function fullAuthEvent(eventId: string): AuthEventRecord {
  return authEvent(eventId, {
    riskDecision: "AccountTakeover",
    riskLevel: "High",
    compromised: true,
    riskDetail: {
      mode: "ENFORCED",
      actions: ["BLOCK", "NOTIFY"],
      score: 90,
      reasons: [{ code: "new-ip", points: 40, detail: "first sign-in from 192.0.2.1" }],
    },
    ip: "192.0.2.1",
    userAgent: "Mozilla/5.0",
    deviceName: "Chrome, Linux",
    deviceKey: "us-east-1_d1",
    fingerprint: "fp",
    timezone: "+01:00",
    analyticsEndpointId: "endpoint-1",
    analyticsConfiguration: { ApplicationId: "app", UserDataShared: true },
    feedbackTokenHash: "abcd",
    feedback: { value: "Valid", provider: "Admin", at: T1 },
  });
}
