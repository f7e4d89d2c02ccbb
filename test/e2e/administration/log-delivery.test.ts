/**
 * Log delivery (ADMINISTRATION.md §3): SetLogDeliveryConfiguration / GetLogDeliveryConfiguration
 * and their rules, and the records delivered to the local sinks the configuration maps the
 * destination ARNs to: a JSON-lines file, an HTTP endpoint, memory.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  GetLogDeliveryConfigurationCommand,
  type LogConfigurationType,
  SetLogDeliveryConfigurationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, expectError, PASSWORD } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { protectedPool } from "../risk/support.js";

const LOG_GROUP = "arn:aws:logs:us-east-1:000000000000:log-group:/cognito/notifications";
const BUCKET = "arn:aws:s3:::auth-events";
const STREAM = "arn:aws:firehose:us-east-1:000000000000:deliverystream/auth";

let server: TestServer;
let dir: string;
let collector: Server;
const posted: unknown[] = [];
let postedOne: () => void = () => {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cognate-logs-"));
  collector = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      posted.push(JSON.parse(body));
      res.end();
      postedOne();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const port = (collector.address() as AddressInfo).port;
  server = await startTestServer({
    // SMS cannot be sent: every SMS is a user-notification error.
    messages: { sms: { webhook: { url: "http://127.0.0.1:9/unreachable" } } },
    logDelivery: {
      sinks: {
        "arn:aws:logs:us-east-1:000000000000:log-group:/cognito/*": `file://${join(dir, "notifications.ndjson")}`,
        [BUCKET]: `http://127.0.0.1:${port}/logs`,
      },
    },
  });
});
afterAll(async () => {
  await server.stop();
  collector.close();
  rmSync(dir, { recursive: true, force: true });
});

function setLogs(poolId: string, LogConfigurations: LogConfigurationType[]) {
  return server.client.send(
    new SetLogDeliveryConfigurationCommand({ UserPoolId: poolId, LogConfigurations }),
  );
}

const notifications: LogConfigurationType = {
  EventSource: "userNotification",
  LogLevel: "ERROR",
  CloudWatchLogsConfiguration: { LogGroupArn: LOG_GROUP },
};

describe("SetLogDeliveryConfiguration and GetLogDeliveryConfiguration", () => {
  it("keep the pool's configurations, none at first, and an empty list removes them", async () => {
    const poolId = await createPool(server, { UserPoolTier: "PLUS" });
    const get = () => server.client.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: poolId }));
    expect((await get()).LogDeliveryConfiguration).toEqual({ UserPoolId: poolId, LogConfigurations: [] });
    const both: LogConfigurationType[] = [
      notifications,
      { EventSource: "userAuthEvents", LogLevel: "INFO", FirehoseConfiguration: { StreamArn: STREAM } },
    ];
    const set = await setLogs(poolId, both);
    expect(set.LogDeliveryConfiguration).toEqual({ UserPoolId: poolId, LogConfigurations: both });
    expect((await get()).LogDeliveryConfiguration).toEqual({ UserPoolId: poolId, LogConfigurations: both });
    await setLogs(poolId, []);
    expect((await get()).LogDeliveryConfiguration?.LogConfigurations).toEqual([]);
    await expectError(
      server.client.send(new GetLogDeliveryConfigurationCommand({ UserPoolId: "us-east-1_nothere00" })),
      "ResourceNotFoundException",
      "User pool us-east-1_nothere00 does not exist.",
    );
  });

  it("refuse what Cognito does not deliver", async () => {
    const poolId = await createPool(server, { UserPoolTier: "PLUS" });
    const refused = async (configurations: LogConfigurationType[], message: string) =>
      expectError(setLogs(poolId, configurations), "InvalidParameterException", message);
    await refused(
      [notifications, notifications],
      "LogConfigurations has more than one entry for userNotification.",
    );
    const destinations =
      "Each log configuration must have exactly one of CloudWatchLogsConfiguration, S3Configuration and FirehoseConfiguration.";
    await refused([{ EventSource: "userNotification", LogLevel: "ERROR" }], destinations);
    await refused([{ ...notifications, S3Configuration: { BucketArn: BUCKET } }], destinations);
    await refused(
      [{ ...notifications, LogLevel: "INFO" }],
      "The LogLevel of userNotification must be ERROR.",
    );
    await refused(
      [{ EventSource: "userNotification", LogLevel: "ERROR", S3Configuration: { BucketArn: BUCKET } }],
      "userNotification logs can only be delivered to CloudWatch Logs.",
    );
    await refused(
      [{ EventSource: "userAuthEvents", LogLevel: "ERROR", S3Configuration: { BucketArn: BUCKET } }],
      "The LogLevel of userAuthEvents must be INFO.",
    );
    await refused(
      [{ ...notifications, CloudWatchLogsConfiguration: { LogGroupArn: STREAM } }],
      `${STREAM} is not the ARN of a CloudWatch Logs log group.`,
    );
    const essentials = await createPool(server);
    await expectError(
      setLogs(essentials, [
        { EventSource: "userAuthEvents", LogLevel: "INFO", S3Configuration: { BucketArn: BUCKET } },
      ]),
      "FeatureUnavailableInTierException",
      "The following features need to be disabled for the ESSENTIALS pricing tier configured: User Auth Events Log Delivery",
    );
    const badLevel = await server.call("SetLogDeliveryConfiguration", {
      UserPoolId: poolId,
      LogConfigurations: [{ EventSource: "userNotification", LogLevel: "DEBUG" }],
    });
    expect(badLevel.body.message).toBe(
      "1 validation error detected: Value 'DEBUG' at 'logConfigurations.1.member.logLevel' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, INFO]",
    );
  });
});

describe("delivered records", () => {
  it("a message that could not be sent is a userNotification record in the JSON-lines file of the log group", async () => {
    const poolId = await createPool(server);
    await setLogs(poolId, [notifications]);
    await expectError(
      server.client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "sam",
          UserAttributes: [{ Name: "phone_number", Value: "+15555550123" }],
          DesiredDeliveryMediums: ["SMS"],
        }),
      ),
      "InvalidSmsRoleAccessPolicyException",
      "The SMS message could not be delivered: the SMS webhook could not be reached.",
    );
    const lines = readFileSync(join(dir, "notifications.ndjson"), "utf8").trim().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      {
        eventTimestamp: expect.stringMatching(/^\d{13}$/),
        eventSource: "USER_NOTIFICATION",
        logLevel: "ERROR",
        message: { details: "The SMS message could not be delivered: the SMS webhook could not be reached." },
        logSourceId: { userPoolId: poolId },
      },
    ]);
  });

  it("a sign-in under threat protection is a userAuthEvents record, POSTed to the bucket's HTTP sink", async () => {
    const { poolId, client } = await protectedPool(server, "AUDIT");
    await setLogs(poolId, [
      { EventSource: "userAuthEvents", LogLevel: "INFO", S3Configuration: { BucketArn: BUCKET } },
    ]);
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "tia",
        MessageAction: "SUPPRESS",
        TemporaryPassword: PASSWORD,
      }),
    );
    const arrived = new Promise<void>((resolve) => {
      postedOne = resolve;
    });
    await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: client.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "tia", PASSWORD },
      }),
    );
    await arrived;
    expect(posted).toEqual([
      {
        eventTimestamp: expect.stringMatching(/^\d{13}$/),
        eventSource: "USER_AUTH_EVENTS",
        logLevel: "INFO",
        logSourceId: { userPoolId: poolId },
        message: expect.objectContaining({
          eventId: expect.any(String),
          eventType: "SignIn",
          userName: "tia",
          userSub: expect.any(String),
          clientId: client.clientId,
          eventResponse: "InProgress",
          challenges: [{ challengeName: "Password", challengeResponse: "Success" }],
          compromisedCredentialsDetected: false,
        }),
      },
    ]);
  });

  it("an ARN no sink is configured for goes to memory, readable at /_cognate/logs", async () => {
    const { poolId, client } = await protectedPool(server, "AUDIT");
    await setLogs(poolId, [
      { EventSource: "userAuthEvents", LogLevel: "INFO", FirehoseConfiguration: { StreamArn: STREAM } },
    ]);
    await expectError(
      server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: client.clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "nobody", PASSWORD },
        }),
      ),
      "UserNotFoundException",
      "User does not exist.",
    );
    const res = await fetch(`${server.url}/_cognate/logs/${poolId}?source=userAuthEvents`);
    const { records } = (await res.json()) as { records: { message: Record<string, unknown> }[] };
    expect(records).toHaveLength(1);
    expect(records[0].message).toMatchObject({
      eventType: "SignIn",
      userName: "nobody",
      eventResponse: "Fail",
    });
  });
});
