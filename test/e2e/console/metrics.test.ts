/**
 * /metrics: scraped and parsed after sign-ins through the SDK (good and bad), an unknown
 * operation and a trigger; the request log line carries the response's request id.
 */
import { Writable } from "node:stream";
import { InitiateAuthCommand, NotAuthorizedException } from "@aws-sdk/client-cognito-identity-provider";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, createUser, PASSWORD } from "../../support/fixtures.js";
import { serversUsePostgres } from "../../support/postgres.js";
import { parseExposition, type Sample, sampleValue } from "../../support/prometheus.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { FunctionDir, functionArn } from "../triggers/support.js";

describe("/metrics", () => {
  let server: TestServer;
  const lines: Record<string, unknown>[] = [];
  const functions = new FunctionDir();

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    server = await startTestServer({}, { logger: pino({ level: "debug" }, sink) });
  });
  afterAll(async () => {
    await server.stop();
    functions.remove();
  });

  async function scrape(): Promise<{ contentType: string; samples: Sample[] }> {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    return { contentType: res.headers.get("content-type") ?? "", samples: parseExposition(await res.text()) };
  }

  it("counts requests, sign-ins and trigger invocations by outcome", async () => {
    const path = functions.module("pre-auth-metrics", "return event;");
    server.services.config.lambda.functions["pre-auth-metrics"] = { module: path };
    const poolId = await createPool(server, {
      LambdaConfig: { PreAuthentication: functionArn("pre-auth-metrics") },
    });
    const { clientId } = await createClient(server, poolId);
    await createUser(server, poolId, "alice");
    const signIn = (username: string, password: string) =>
      server.client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: username, PASSWORD: password },
        }),
      );
    await signIn("alice", PASSWORD);
    await signIn("alice", PASSWORD);
    await expect(signIn("alice", "Wrong-passw0rd!")).rejects.toBeInstanceOf(NotAuthorizedException);
    await server.call("NoSuchOperation", {});

    const { contentType, samples } = await scrape();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const requests = (outcome: string) =>
      sampleValue(samples, "cognate_requests_total", { operation: "InitiateAuth", outcome });
    expect(requests("success")).toBe(2);
    expect(requests("NotAuthorizedException")).toBe(1);
    expect(
      sampleValue(samples, "cognate_requests_total", {
        operation: "unknown",
        outcome: "UnknownOperationException",
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, "cognate_requests_total", { operation: "CreateUserPool", outcome: "success" }),
    ).toBe(1);

    const signIns = (result: string) =>
      sampleValue(samples, "cognate_sign_ins_total", { flow: "USER_PASSWORD_AUTH", result });
    expect(signIns("success")).toBe(2);
    expect(signIns("NotAuthorizedException")).toBe(1);

    expect(
      sampleValue(samples, "cognate_request_duration_seconds_count", { operation: "InitiateAuth" }),
    ).toBe(3);
    expect(
      sampleValue(samples, "cognate_request_duration_seconds_bucket", {
        operation: "InitiateAuth",
        le: "+Inf",
      }),
    ).toBe(3);
    // The pre-authentication trigger runs before the password is checked: three sign-ins, three calls.
    expect(
      sampleValue(samples, "cognate_trigger_invocations_total", {
        trigger: "PreAuthentication",
        outcome: "success",
      }),
    ).toBe(3);
    expect(samples.some((s) => s.name === "process_resident_memory_bytes")).toBe(true);

    const recent = server.services.recentInvocations.list(poolId);
    expect(recent.map((r) => [r.trigger, r.outcome, r.userName])).toEqual([
      ["PreAuthentication", "success", "alice"],
      ["PreAuthentication", "success", "alice"],
      ["PreAuthentication", "success", "alice"],
    ]);
  });

  it("counts a failing trigger by the error the operation answered", async () => {
    const poolId = await createPool(server, {
      LambdaConfig: { PreAuthentication: functionArn("not-configured-anywhere") },
    });
    const { clientId } = await createClient(server, poolId);
    await createUser(server, poolId, "bob");
    await expect(
      server.client.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "bob", PASSWORD },
        }),
      ),
    ).rejects.toThrow();
    const { samples } = await scrape();
    const failed = sampleValue(samples, "cognate_trigger_invocations_total", {
      trigger: "PreAuthentication",
      outcome: "UnexpectedLambdaException",
    });
    expect(failed).toBe(1);
    expect(server.services.recentInvocations.list(poolId)[0]).toMatchObject({
      outcome: "UnexpectedLambdaException",
      userName: "bob",
    });
  });

  it("shows the store's connection pool on PostgreSQL, nothing on SQLite", async () => {
    const { samples } = await scrape();
    const total = sampleValue(samples, "cognate_store_connections", { state: "total" });
    if (serversUsePostgres()) {
      expect(total).toBeGreaterThan(0);
      expect(sampleValue(samples, "cognate_store_connections", { state: "waiting" })).toBe(0);
    } else {
      expect(total).toBeUndefined();
    }
  });

  it("logs each request with the request id of its response", async () => {
    const res = await server.call("ListUserPools", { MaxResults: 1 });
    const requestId = res.headers.get("x-amzn-requestid");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = lines.find((l) => l.msg === "request" && l.requestId === requestId);
    expect(line).toMatchObject({ op: "ListUserPools", status: 200 });
  });
});
