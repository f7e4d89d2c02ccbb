/** UserPoolAddOns and the risk configuration operations, through the official SDK. */
import {
  AdminListUserAuthEventsCommand,
  CreateUserPoolCommand,
  DescribeRiskConfigurationCommand,
  DescribeUserPoolCommand,
  SetRiskConfigurationCommand,
  UpdateAuthEventFeedbackCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, expectError } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { protectedPool } from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const FULL = {
  AccountTakeoverRiskConfiguration: {
    NotifyConfiguration: {
      SourceArn: "arn:aws:ses:us-east-1:000000000000:identity/example.com",
      From: "security@example.com",
      BlockEmail: { Subject: "Blocked", TextBody: "Blocked {username}", HtmlBody: "<p>Blocked</p>" },
    },
    Actions: {
      LowAction: { EventAction: "NO_ACTION" as const, Notify: false },
      MediumAction: { EventAction: "MFA_IF_CONFIGURED" as const, Notify: true },
      HighAction: { EventAction: "BLOCK" as const, Notify: true },
    },
  },
  CompromisedCredentialsRiskConfiguration: {
    EventFilter: ["SIGN_IN" as const, "SIGN_UP" as const],
    Actions: { EventAction: "BLOCK" as const },
  },
  RiskExceptionConfiguration: {
    BlockedIPRangeList: ["203.0.113.0/24"],
    SkippedIPRangeList: ["192.0.2.0/24", "2001:db8::/32"],
  },
};

describe("UserPoolAddOns", () => {
  it("needs the PLUS feature plan, as Cognito words it", async () => {
    for (const tier of ["ESSENTIALS", "LITE"] as const) {
      await expectError(
        server.client.send(
          new CreateUserPoolCommand({
            PoolName: "p",
            UserPoolTier: tier,
            UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
          }),
        ),
        "FeatureUnavailableInTierException",
        `The following features need to be disabled for the ${tier} pricing tier configured: Threat Protection`,
      );
    }
    await expectError(
      server.client.send(
        new CreateUserPoolCommand({ PoolName: "p", UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" } }),
      ),
      "FeatureUnavailableInTierException",
      "The following features need to be disabled for the ESSENTIALS pricing tier configured: Threat Protection",
    );
  });

  it("is kept and shown on a PLUS pool, custom-auth mode included; OFF is allowed on any plan", async () => {
    const poolId = await createPool(server, {
      UserPoolTier: "PLUS",
      UserPoolAddOns: {
        AdvancedSecurityMode: "AUDIT",
        AdvancedSecurityAdditionalFlows: { CustomAuthMode: "ENFORCED" },
      },
    });
    const out = await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(out.UserPool?.UserPoolAddOns).toEqual({
      AdvancedSecurityMode: "AUDIT",
      AdvancedSecurityAdditionalFlows: { CustomAuthMode: "ENFORCED" },
    });
    await createPool(server, { UserPoolAddOns: { AdvancedSecurityMode: "OFF" } });
  });

  it("is refused by UpdateUserPool below PLUS", async () => {
    const poolId = await createPool(server);
    await expectError(
      server.client.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
        }),
      ),
      "FeatureUnavailableInTierException",
      "The following features need to be disabled for the ESSENTIALS pricing tier configured: Threat Protection",
    );
    await server.client.send(
      new UpdateUserPoolCommand({
        UserPoolId: poolId,
        UserPoolTier: "PLUS",
        UserPoolAddOns: { AdvancedSecurityMode: "ENFORCED" },
      }),
    );
  });

  it("must be on for the risk and event operations", async () => {
    const poolId = await createPool(server, { UserPoolTier: "PLUS" });
    await createUser(server, poolId, "alice");
    const message = `Threat protection is not enabled for user pool ${poolId}.`;
    // Each call is sent when it is checked, so none is left unhandled.
    for (const call of [
      () => server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId })),
      () => server.client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId })),
      () => server.client.send(new AdminListUserAuthEventsCommand({ UserPoolId: poolId, Username: "alice" })),
      () =>
        server.client.send(
          new UpdateAuthEventFeedbackCommand({
            UserPoolId: poolId,
            Username: "alice",
            EventId: "e",
            FeedbackToken: "t",
            FeedbackValue: "Valid",
          }),
        ),
    ]) {
      await expectError(call(), "UserPoolAddOnNotEnabledException", message);
    }
  });
});

describe("SetRiskConfiguration and DescribeRiskConfiguration", () => {
  it("describe a pool without a configuration as its id alone", async () => {
    const { poolId } = await protectedPool(server, "AUDIT");
    const out = await server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }));
    expect(out.RiskConfiguration).toEqual({ UserPoolId: poolId });
  });

  it("keep every member of the pool's configuration and the time it was set", async () => {
    const { poolId } = await protectedPool(server, "ENFORCED");
    const before = Date.now();
    const set = await server.client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ...FULL }));
    const described = await server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }));
    for (const out of [set, described]) {
      const { LastModifiedDate, ...rest } = out.RiskConfiguration ?? {};
      expect(rest).toEqual({ UserPoolId: poolId, ...FULL });
      expect(LastModifiedDate).toBeInstanceOf(Date);
      expect(LastModifiedDate?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    }
  });

  it("replace the whole configuration: members left out are gone", async () => {
    const { poolId } = await protectedPool(server, "ENFORCED");
    await server.client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ...FULL }));
    await server.client.send(
      new SetRiskConfigurationCommand({
        UserPoolId: poolId,
        RiskExceptionConfiguration: { BlockedIPRangeList: ["10.0.0.0/8"] },
      }),
    );
    const out = await server.client.send(new DescribeRiskConfigurationCommand({ UserPoolId: poolId }));
    const { LastModifiedDate: _date, ...rest } = out.RiskConfiguration ?? {};
    expect(rest).toEqual({
      UserPoolId: poolId,
      RiskExceptionConfiguration: { BlockedIPRangeList: ["10.0.0.0/8"] },
    });
  });

  it("keep a client's own configuration beside the pool's; other clients get the pool's", async () => {
    const { poolId, client } = await protectedPool(server, "ENFORCED");
    const other = await createClient(server, poolId);
    await server.client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ...FULL }));
    await server.client.send(
      new SetRiskConfigurationCommand({
        UserPoolId: poolId,
        ClientId: client.clientId,
        CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "NO_ACTION" } },
      }),
    );
    const own = await server.client.send(
      new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: client.clientId }),
    );
    expect(own.RiskConfiguration).toMatchObject({
      UserPoolId: poolId,
      ClientId: client.clientId,
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "NO_ACTION" } },
    });
    expect(own.RiskConfiguration?.AccountTakeoverRiskConfiguration).toBeUndefined();
    const inherited = await server.client.send(
      new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: other.clientId }),
    );
    expect(inherited.RiskConfiguration?.ClientId).toBeUndefined();
    expect(inherited.RiskConfiguration?.RiskExceptionConfiguration).toEqual(FULL.RiskExceptionConfiguration);
  });

  it("refuse an unknown client, and IP ranges that are not CIDR ranges", async () => {
    const { poolId } = await protectedPool(server, "ENFORCED");
    await expectError(
      server.client.send(new SetRiskConfigurationCommand({ UserPoolId: poolId, ClientId: "nosuchclient" })),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
    await expectError(
      server.client.send(
        new DescribeRiskConfigurationCommand({ UserPoolId: poolId, ClientId: "nosuchclient" }),
      ),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
    await expectError(
      server.client.send(
        new SetRiskConfigurationCommand({
          UserPoolId: poolId,
          RiskExceptionConfiguration: { SkippedIPRangeList: ["10.0.0.0/8", "10.0.0.300/8"] },
        }),
      ),
      "InvalidParameterException",
      "SkippedIPRangeList contains an invalid CIDR range: 10.0.0.300/8",
    );
  });
});
