/**
 * SMS by HTTP webhook: with `messages.sms.webhook` configured, every SMS is POSTed as JSON to the
 * URL (with the configured headers) — here an SMS MFA code with the pool's SmsAuthenticationMessage
 * — and a webhook that fails or cannot be reached fails the operation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/config.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  adminAnswer,
  adminSignIn,
  expectError,
  expectTokens,
  mfaPool,
  outbox,
  SMS_CONFIGURATION,
  user,
} from "../mfa/support.js";
import { startWebhook, type TestWebhook } from "./support.js";

let webhook: TestWebhook;
let server: TestServer;

beforeAll(async () => {
  webhook = await startWebhook();
  server = await startTestServer({
    messages: {
      sms: { webhook: { url: webhook.url, headers: { authorization: "Bearer sms-gateway-key" } } },
    },
  });
});
afterAll(async () => {
  await server.stop();
  await webhook.close();
});

const SMS_MFA = {
  MfaConfiguration: "ON",
  SmsMfaConfiguration: {
    SmsAuthenticationMessage: "Your Acme code is {####}",
    SmsConfiguration: SMS_CONFIGURATION,
  },
} as const;

describe("SMS webhook delivery", () => {
  it("posts the SMS MFA code as JSON with the configured headers; the code signs in", async () => {
    const pool = await mfaPool(server, SMS_MFA);
    await user(server, pool, "pia", [{ Name: "phone_number", Value: "+15555550123" }]);
    const challenge = await adminSignIn(server, pool, "pia");
    expect(challenge.ChallengeName).toBe("SMS_MFA");
    const request = webhook.requests.at(-1);
    expect(request?.method).toBe("POST");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers.authorization).toBe("Bearer sms-gateway-key");
    const body = request?.body as Record<string, string>;
    expect(body).toEqual({
      poolId: pool.poolId,
      username: "pia",
      phoneNumber: "+15555550123",
      purpose: "sign-in-code",
      message: expect.stringMatching(/^Your Acme code is \d{6}$/),
    });
    const code = body.message.slice(-6);
    expectTokens(await adminAnswer(server, pool, challenge, { USERNAME: "pia", SMS_MFA_CODE: code }));
    expect(await outbox(server, pool.poolId)).toEqual([]);
  });

  it("fails the sign-in when the webhook does not take the message", async () => {
    const pool = await mfaPool(server, SMS_MFA);
    await user(server, pool, "quin", [{ Name: "phone_number", Value: "+15555550124" }]);
    webhook.answerWith(503);
    try {
      await expectError(
        adminSignIn(server, pool, "quin"),
        "InvalidSmsRoleAccessPolicyException",
        "The SMS message could not be delivered: the SMS webhook answered HTTP 503.",
      );
    } finally {
      webhook.answerWith(200);
    }
  });

  it("fails the sign-in when the webhook cannot be reached", async () => {
    const gone = await startWebhook();
    await gone.close();
    const unreachable = await startTestServer({ messages: { sms: { webhook: { url: gone.url } } } });
    try {
      const pool = await mfaPool(unreachable, SMS_MFA);
      await user(unreachable, pool, "rio", [{ Name: "phone_number", Value: "+15555550125" }]);
      await expectError(
        adminSignIn(unreachable, pool, "rio"),
        "InvalidSmsRoleAccessPolicyException",
        "The SMS message could not be delivered: the SMS webhook could not be reached.",
      );
    } finally {
      await unreachable.stop();
    }
  });
});

describe("configuration", () => {
  it("refuses a webhook URL that is not http(s), naming the key", () => {
    expect(() => parseConfig({ messages: { sms: { webhook: { url: "ftp://gateway" } } } }, "test")).toThrow(
      "invalid configuration in test: messages.sms.webhook.url: must be an http:// or https:// URL",
    );
  });

  it("sends to the outbox by default", () => {
    expect(parseConfig({}, "test").messages).toEqual({
      email: { smtp: null },
      sms: { webhook: null },
      keepOutboxCopy: false,
    });
  });
});
