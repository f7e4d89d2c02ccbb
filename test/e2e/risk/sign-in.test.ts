/**
 * Threat protection on sign-in: each account-takeover action at each risk level in ENFORCED and
 * AUDIT mode, the IP exception lists, and the events every attempt leaves, field by field.
 */
import {
  AdminListUserAuthEventsCommand,
  AdminUpdateAuthEventFeedbackCommand,
  InitiateAuthCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claims,
  createClient,
  createPool,
  createUser,
  expectError,
  expectTokens,
  PASSWORD,
  secretHash,
} from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  type Actions,
  events,
  type From,
  HOME_IP,
  protectedPool,
  setActions,
  signIn,
  userWithHistory,
} from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const BLOCKED = ["NotAuthorizedException", "Unable to login because of security reasons."] as const;

/** From a user's home (see userWithHistory), each change adds risk: a new IP is Low, + a new device Medium, + a scripted agent High. */
const AT_LEVEL = {
  Low: (ip: string): From => ({ ip, device: "home-laptop" }),
  Medium: (ip: string): From => ({ ip, device: "unknown-phone" }),
  High: (ip: string): From => ({ ip, device: "unknown-phone", userAgent: "curl/8.5.0" }),
};
const LEVELS = ["Low", "Medium", "High"] as const;

let ipCounter = 0;
/** A fresh address for each attempt, so no IP address collects failures across tests. */
function newIp(): string {
  ipCounter += 1;
  return `203.0.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

const all = (action: Actions["Low"]): Actions => ({ Low: action, Medium: action, High: action });

describe("ENFORCED: the action of each risk level", () => {
  it.each(LEVELS)("NO_ACTION at %s lets the sign-in through and records its risk", async (level) => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(server, pool.poolId, all("NO_ACTION"));
    await userWithHistory(server, pool, "alice");
    expectTokens(await signIn(server, pool, "alice", AT_LEVEL[level](newIp())));
    const [latest] = await events(server, pool.poolId, "alice");
    expect(latest.EventResponse).toBe("Pass");
    expect(latest.EventRisk).toEqual({
      RiskDecision: "AccountTakeover",
      RiskLevel: level,
      CompromisedCredentialsDetected: false,
    });
  });

  it.each(LEVELS)(
    "BLOCK at %s refuses the sign-in with Cognito's message and records a failure",
    async (level) => {
      const pool = await protectedPool(server, "ENFORCED");
      await setActions(server, pool.poolId, { ...all("NO_ACTION"), [level]: "BLOCK" });
      await userWithHistory(server, pool, "alice");
      await expectError(signIn(server, pool, "alice", AT_LEVEL[level](newIp())), ...BLOCKED);
      const [latest] = await events(server, pool.poolId, "alice");
      expect(latest.EventResponse).toBe("Fail");
      expect(latest.EventRisk).toMatchObject({ RiskDecision: "AccountTakeover", RiskLevel: level });
      // The levels below are still let through.
      for (const lower of LEVELS.slice(0, LEVELS.indexOf(level))) {
        expectTokens(await signIn(server, pool, "alice", AT_LEVEL[lower](newIp())));
      }
    },
  );

  it.each(LEVELS)("MFA_IF_CONFIGURED at %s lets a user without a second factor through", async (level) => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(server, pool.poolId, all("MFA_IF_CONFIGURED"));
    await userWithHistory(server, pool, "alice");
    expectTokens(await signIn(server, pool, "alice", AT_LEVEL[level](newIp())));
  });

  it.each(LEVELS)("MFA_REQUIRED at %s blocks a user without a second factor", async (level) => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(server, pool.poolId, { ...all("NO_ACTION"), [level]: "MFA_REQUIRED" });
    await userWithHistory(server, pool, "alice");
    await expectError(signIn(server, pool, "alice", AT_LEVEL[level](newIp())), ...BLOCKED);
    expectTokens(await signIn(server, pool, "alice", { device: "home-laptop" }));
  });

  it("acts on nothing without a risk configuration: ENFORCED alone only records", async () => {
    const pool = await protectedPool(server, "ENFORCED");
    await userWithHistory(server, pool, "alice");
    expectTokens(await signIn(server, pool, "alice", AT_LEVEL.High(newIp())));
    expect((await events(server, pool.poolId, "alice"))[0].EventRisk?.RiskLevel).toBe("High");
  });

  it("follows a client's own configuration over the pool's", async () => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(server, pool.poolId, all("NO_ACTION"));
    await setActions(server, pool.poolId, all("BLOCK"), { ClientId: pool.client.clientId });
    await userWithHistory(server, pool, "alice");
    await expectError(signIn(server, pool, "alice", AT_LEVEL.Low(newIp())), ...BLOCKED);
  });
});

describe("AUDIT: every level is recorded, nothing is acted on", () => {
  it.each(LEVELS)("a %s-risk sign-in configured to BLOCK gets its tokens", async (level) => {
    const pool = await protectedPool(server, "AUDIT");
    await setActions(server, pool.poolId, all("BLOCK"));
    await userWithHistory(server, pool, "alice");
    expectTokens(await signIn(server, pool, "alice", AT_LEVEL[level](newIp())));
    const [latest] = await events(server, pool.poolId, "alice");
    expect(latest).toMatchObject({
      EventResponse: "Pass",
      EventRisk: { RiskDecision: "AccountTakeover", RiskLevel: level },
    });
  });

  it("MFA_REQUIRED does not block either", async () => {
    const pool = await protectedPool(server, "AUDIT");
    await setActions(server, pool.poolId, all("MFA_REQUIRED"));
    await userWithHistory(server, pool, "alice");
    expectTokens(await signIn(server, pool, "alice", AT_LEVEL.High(newIp())));
  });

  it("an always-blocked address is recorded as Block and let through", async () => {
    const pool = await protectedPool(server, "AUDIT");
    await setActions(server, pool.poolId, all("NO_ACTION"), {
      RiskExceptionConfiguration: { BlockedIPRangeList: ["192.0.2.0/24"] },
    });
    await createUser(server, pool.poolId, "alice");
    expectTokens(await signIn(server, pool, "alice", { ip: "192.0.2.77" }));
    expect((await events(server, pool.poolId, "alice"))[0].EventRisk?.RiskDecision).toBe("Block");
  });
});

describe("the IP exception lists (ENFORCED)", () => {
  it("refuse every request from an always-blocked range, with the request message, even at no risk", async () => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(server, pool.poolId, all("NO_ACTION"), {
      RiskExceptionConfiguration: { BlockedIPRangeList: ["192.0.2.0/24", "2001:db8::/32"] },
    });
    await createUser(server, pool.poolId, "alice");
    for (const ip of ["192.0.2.77", "2001:db8::7"]) {
      await expectError(
        signIn(server, pool, "alice", { ip }),
        "NotAuthorizedException",
        "Request not allowed due to security reasons.",
      );
    }
    const [latest] = await events(server, pool.poolId, "alice");
    expect(latest).toMatchObject({
      EventResponse: "Fail",
      EventRisk: { RiskDecision: "Block", RiskLevel: "High" },
      EventContextData: { IpAddress: "2001:db8::7" },
    });
    expectTokens(await signIn(server, pool, "alice", { ip: "192.0.3.1" }));
  });

  it("skip the risk of an always-allowed range: a High-risk sign-in from there goes through", async () => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(server, pool.poolId, all("BLOCK"), {
      RiskExceptionConfiguration: { SkippedIPRangeList: ["10.20.0.0/16"] },
    });
    await userWithHistory(server, pool, "alice");
    expectTokens(await signIn(server, pool, "alice", AT_LEVEL.High("10.20.3.4")));
    expect((await events(server, pool.poolId, "alice"))[0].EventRisk).toEqual({
      RiskDecision: "NoRisk",
      CompromisedCredentialsDetected: false,
    });
    await expectError(signIn(server, pool, "alice", AT_LEVEL.High(newIp())), ...BLOCKED);
  });
});

describe("auth events", () => {
  it("describe each attempt field by field, and the event id is the tokens' event_id", async () => {
    const pool = await protectedPool(server, "ENFORCED");
    await createUser(server, pool.poolId, "alice");
    const before = Math.floor(Date.now() / 1000) * 1000;
    const out = await signIn(server, pool, "alice", { device: "home-laptop" });
    const [event] = await events(server, pool.poolId, "alice");
    expect(event).toEqual({
      EventId: claims(out.AuthenticationResult?.AccessToken).event_id,
      EventType: "SignIn",
      CreationDate: expect.any(Date),
      EventResponse: "Pass",
      EventRisk: { RiskDecision: "NoRisk", CompromisedCredentialsDetected: false },
      ChallengeResponses: [{ ChallengeName: "Password", ChallengeResponse: "Success" }],
      EventContextData: { IpAddress: HOME_IP, DeviceName: "Chrome 120, MacOS", Timezone: "+01:00" },
    });
    expect(claims(out.AuthenticationResult?.IdToken).event_id).toBe(event.EventId);
    expect(event.CreationDate?.getTime()).toBeGreaterThanOrEqual(before);
  });

  it("record a wrong password as a failed Password challenge", async () => {
    const pool = await protectedPool(server, "AUDIT");
    await createUser(server, pool.poolId, "alice");
    await expectError(
      signIn(server, pool, "alice", { password: "Wr0ng-password!" }),
      "NotAuthorizedException",
      "Incorrect username or password.",
    );
    const [event] = await events(server, pool.poolId, "alice");
    expect(event).toMatchObject({
      EventType: "SignIn",
      EventResponse: "Fail",
      ChallengeResponses: [{ ChallengeName: "Password", ChallengeResponse: "Failure" }],
      EventContextData: { IpAddress: HOME_IP },
    });
  });

  it("record the connection's address on the public operations, or the propagated one", async () => {
    const pool = await protectedPool(server, "AUDIT");
    await createUser(server, pool.poolId, "alice");
    const propagating = await createClient(server, pool.poolId, {
      GenerateSecret: true,
      EnablePropagateAdditionalUserContextData: true,
    });
    for (const client of [pool.client, propagating]) {
      await server.client.send(
        new InitiateAuthCommand({
          ClientId: client.clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: {
            USERNAME: "alice",
            PASSWORD: PASSWORD,
            ...(client.secret && { SECRET_HASH: secretHash(client, "alice") }),
          },
          UserContextData: { IpAddress: "198.51.100.99" },
        }),
      );
    }
    const [propagated, direct] = await events(server, pool.poolId, "alice");
    // Only a client that propagates UserContextData (it has a secret) is believed about the address.
    expect(direct.EventContextData?.IpAddress).toBe("127.0.0.1");
    expect(direct.EventContextData?.DeviceName).toMatch(/^aws-sdk-js\//);
    expect(propagated.EventContextData?.IpAddress).toBe("198.51.100.99");
  });

  it("come newest first, page by page, and show feedback once given", async () => {
    const pool = await protectedPool(server, "AUDIT");
    await createUser(server, pool.poolId, "alice");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const out = await signIn(server, pool, "alice", { device: "home-laptop" });
      ids.unshift(claims(out.AuthenticationResult?.AccessToken).event_id as string);
    }
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await server.client.send(
        new AdminListUserAuthEventsCommand({
          UserPoolId: pool.poolId,
          Username: "alice",
          MaxResults: 2,
          NextToken: token,
        }),
      );
      expect((page.AuthEvents ?? []).length).toBeLessThanOrEqual(2);
      seen.push(...(page.AuthEvents ?? []).map((e) => e.EventId as string));
      token = page.NextToken;
    } while (token);
    expect(seen).toEqual(ids);

    await server.client.send(
      new AdminUpdateAuthEventFeedbackCommand({
        UserPoolId: pool.poolId,
        Username: "alice",
        EventId: ids[2],
        FeedbackValue: "Invalid",
      }),
    );
    const listed = await events(server, pool.poolId, "alice");
    expect(listed[2].EventFeedback).toEqual({
      FeedbackValue: "Invalid",
      Provider: "Admin",
      FeedbackDate: expect.any(Date),
    });
    await expectError(
      server.client.send(
        new AdminUpdateAuthEventFeedbackCommand({
          UserPoolId: pool.poolId,
          Username: "alice",
          EventId: "no-such-event",
          FeedbackValue: "Valid",
        }),
      ),
      "ResourceNotFoundException",
      "Auth event not found.",
    );
    await expectError(
      server.client.send(
        new AdminListUserAuthEventsCommand({
          UserPoolId: pool.poolId,
          Username: "alice",
          NextToken: "bm9wZQ",
        }),
      ),
      "InvalidParameterException",
      "Invalid pagination token.",
    );
  });

  it("are not recorded while threat protection is off", async () => {
    const poolId = await createPool(server, { UserPoolTier: "PLUS" });
    const client = await createClient(server, poolId);
    await createUser(server, poolId, "alice");
    await signIn(server, { poolId, client }, "alice");
    await server.client.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        UserPoolTier: "PLUS",
        UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
      }),
    );
    expect(await events(server, poolId, "alice")).toEqual([]);
    await signIn(server, { poolId, client }, "alice");
    expect(await events(server, poolId, "alice")).toHaveLength(1);
  });
});
