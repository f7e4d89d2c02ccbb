/** Feedback on auth events changes later decisions; notification messages carry the feedback links. */
import {
  AdminUpdateAuthEventFeedbackCommand,
  UpdateAuthEventFeedbackCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectTokens, outbox } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { events, protectedPool, setActions, signIn, userWithHistory } from "./support.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const BLOCKED = ["NotAuthorizedException", "Unable to login because of security reasons."] as const;

async function feedback(poolId: string, eventId: string, value: "Valid" | "Invalid") {
  await server.client.send(
    new AdminUpdateAuthEventFeedbackCommand({
      UserPoolId: poolId,
      Username: "alice",
      EventId: eventId,
      FeedbackValue: value,
    }),
  );
}

describe("feedback feeds later decisions", () => {
  it("a blocked sign-in the user vouched for (Valid) is let through the next time", async () => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(server, pool.poolId, { Low: "BLOCK", Medium: "BLOCK", High: "BLOCK" });
    await userWithHistory(server, pool, "alice");
    const travel = { ip: "203.0.113.50", device: "home-laptop" };
    await expectError(signIn(server, pool, "alice", travel), ...BLOCKED);
    const [blocked] = await events(server, pool.poolId, "alice");
    await feedback(pool.poolId, blocked.EventId as string, "Valid");
    expectTokens(await signIn(server, pool, "alice", travel));
    expect((await events(server, pool.poolId, "alice"))[0].EventRisk).toEqual({
      RiskDecision: "NoRisk",
      CompromisedCredentialsDetected: false,
    });
  });

  it("a sign-in reported as not the user's (Invalid) makes the next one from there High", async () => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(server, pool.poolId, { Low: "NO_ACTION", Medium: "NO_ACTION", High: "BLOCK" });
    await userWithHistory(server, pool, "alice");
    const elsewhere = { ip: "203.0.113.60", device: "home-laptop" };
    expectTokens(await signIn(server, pool, "alice", elsewhere));
    const [passed] = await events(server, pool.poolId, "alice");
    expect(passed.EventRisk?.RiskLevel).toBe("Low");
    await feedback(pool.poolId, passed.EventId as string, "Invalid");
    await expectError(signIn(server, pool, "alice", elsewhere), ...BLOCKED);
    expect((await events(server, pool.poolId, "alice"))[0].EventRisk?.RiskLevel).toBe("High");
    // Home is still home.
    expectTokens(await signIn(server, pool, "alice", { device: "home-laptop" }));
  });
});

describe("notification messages", () => {
  it("tell the user by email, with one-click links whose token gives the user's own feedback", async () => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(server, pool.poolId, { Low: "NO_ACTION", Medium: "BLOCK", High: "BLOCK" }, {}, true);
    await userWithHistory(server, pool, "alice", [{ Name: "email", Value: "alice@example.com" }]);
    expectTokens(await signIn(server, pool, "alice", { ip: "203.0.113.70", device: "home-laptop" }));
    await expectError(signIn(server, pool, "alice", { ip: "203.0.113.71", device: "new-phone" }), ...BLOCKED);

    const messages = (await outbox(server, pool.poolId)).filter((m) => m.purpose === "risk-notification");
    expect(messages.map((m) => [m.destination, m.subject])).toEqual([
      ["alice@example.com", "Blocked sign-in attempt"],
      ["alice@example.com", "New sign-in attempt"],
    ]);
    const blockedMessage = messages[0].message;
    expect(blockedMessage).toContain("203.0.113.71");
    expect(blockedMessage).toContain("Chrome 120, MacOS");

    const link = new URL(/(http:\/\/\S+feedbackValue=Invalid)/.exec(blockedMessage)?.[1] as string);
    const [blocked] = await events(server, pool.poolId, "alice");
    expect(link.searchParams.get("eventId")).toBe(blocked.EventId);
    const answer = (token: string) =>
      server.client.send(
        new UpdateAuthEventFeedbackCommand({
          UserPoolId: pool.poolId,
          Username: "alice",
          EventId: blocked.EventId,
          FeedbackToken: token,
          FeedbackValue: "Invalid",
        }),
      );
    await expectError(answer("not-the-token"), "NotAuthorizedException", "Invalid feedback token.");
    await answer(link.searchParams.get("feedbackToken") as string);
    expect((await events(server, pool.poolId, "alice"))[0].EventFeedback).toEqual({
      FeedbackValue: "Invalid",
      Provider: "User",
      FeedbackDate: expect.any(Date),
    });
  });

  it("are not sent when the action does not ask for them", async () => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(server, pool.poolId, { Low: "BLOCK", Medium: "BLOCK", High: "BLOCK" });
    await userWithHistory(server, pool, "alice", [{ Name: "email", Value: "alice@example.com" }]);
    await expectError(signIn(server, pool, "alice", { ip: "203.0.113.80" }), ...BLOCKED);
    expect((await outbox(server, pool.poolId)).filter((m) => m.purpose === "risk-notification")).toEqual([]);
  });

  it("have one-click links that record the feedback when followed", async () => {
    const pool = await protectedPool(server, "ENFORCED");
    await setActions(
      server,
      pool.poolId,
      { Low: "NO_ACTION", Medium: "NO_ACTION", High: "NO_ACTION" },
      {},
      true,
    );
    await userWithHistory(server, pool, "alice", [{ Name: "email", Value: "alice@example.com" }]);
    expectTokens(await signIn(server, pool, "alice", { ip: "203.0.113.90", device: "home-laptop" }));
    const [message] = (await outbox(server, pool.poolId)).filter((m) => m.purpose === "risk-notification");
    const valid = /(http:\/\/\S+feedbackValue=Valid)/.exec(message.message)?.[1] as string;
    const res = await fetch(valid);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Feedback recorded");
    expect((await events(server, pool.poolId, "alice"))[0].EventFeedback).toMatchObject({
      FeedbackValue: "Valid",
      Provider: "User",
    });
    const forged = new URL(valid);
    forged.searchParams.set("feedbackToken", "forged");
    const refused = await fetch(forged);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Invalid feedback token.");
  });
});
