import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

describe("AWS JSON 1.1 wire protocol", () => {
  it("answers an unknown target with UnknownOperationException, header and body agreeing", async () => {
    const res = await server.call("NoSuchOperation", {});
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("UnknownOperationException");
    expect(res.headers.get("x-amzn-errortype")).toBe("UnknownOperationException:");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers an unparseable body with SerializationException", async () => {
    const res = await server.call("ListUserPools", "{not json");
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("SerializationException");
  });

  it("reports every violated constraint in Cognito's format, in lowerCamelCase", async () => {
    const res = await server.call("AdminInitiateAuth", { UserPoolId: "", ClientId: "a", AuthFlow: "NOPE" });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("InvalidParameterException");
    expect(res.body.message).toBe(
      "3 validation errors detected: " +
        "Value 'NOPE' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]; " +
        "Value '' at 'userPoolId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
    );
  });

  it("names a missing required member as null", async () => {
    const res = await server.call("CreateUserPool", {});
    expect(res.body.message).toBe(
      "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null",
    );
  });

  it("never shows the value of a sensitive member", async () => {
    const res = await server.call("InitiateAuth", {
      ClientId: "x".repeat(129),
      AuthFlow: "USER_PASSWORD_AUTH",
    });
    expect(res.body.message).toBe(
      "1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
  });

  it("answers with unset members omitted and timestamps as epoch seconds", async () => {
    const res = await server.call("CreateUserPool", { PoolName: "wire-output" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.1");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    const pool = res.body.UserPool as Record<string, unknown>;
    expect(typeof pool.CreationDate).toBe("number");
    expect(typeof pool.LastModifiedDate).toBe("number");
    expect(Math.abs((pool.CreationDate as number) - Date.now() / 1000)).toBeLessThan(24 * 3600);
    const nulls: string[] = [];
    const walk = (value: unknown, path: string) => {
      if (value === null) nulls.push(path);
      else if (typeof value === "object") {
        for (const [k, v] of Object.entries(value as object)) walk(v, `${path}.${k}`);
      }
    };
    walk(res.body, "");
    expect(nulls).toEqual([]);
    // Members the pool does not have are absent, not null or empty.
    expect(Object.hasOwn(pool, "SmsConfiguration")).toBe(false);
  });

  it("answers a CORS preflight", async () => {
    const res = await fetch(`${server.url}/`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:3000", "access-control-request-method": "POST" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-headers")).toContain("x-amz-target");
    expect(res.headers.get("access-control-expose-headers")).toContain("x-amzn-ErrorType");
  });
});
