/**
 * Every one of the model's operations, fed an empty body, a wrong-typed body and oversize strings,
 * answers 400 with a Cognito error in body and headers — never a 500, never a hang. Also the
 * request-level failures: a body that is not UTF-8, too large, or not readable as HTTP at all.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATION_NAMES, OPERATIONS, SHAPES } from "../../../src/protocol/model.generated.js";
import { startTestServer, type TestServer } from "../../support/server.js";

/** A hang detector, not a performance bound: any answer at all is far faster. */
const HANG_MS = 20_000;
/** Longer than every modelled string max, and long enough to expose a backtracking pattern. */
const OVERSIZE = 200_000;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

interface Answer {
  status: number;
  headers: Headers;
  body: { __type?: string; message?: string };
}

async function send(operation: string, body: string | Buffer): Promise<Answer> {
  const res = await fetch(`${server.url}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body,
    signal: AbortSignal.timeout(HANG_MS),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer["body"] };
}

/** A 400 whose body and headers agree on a Cognito error type, with a message. */
function expectCognitoError(answer: Answer, type?: string): void {
  expect(answer.status).toBe(400);
  expect(answer.body.__type).toMatch(/^[A-Z][A-Za-z]+Exception$/);
  if (type) expect(answer.body.__type).toBe(type);
  expect(typeof answer.body.message).toBe("string");
  expect(answer.headers.get("x-amzn-errortype")).toBe(`${answer.body.__type}:`);
  expect(answer.headers.get("x-amzn-errormessage")).toBeTruthy();
  expect(answer.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
}

function inputMembers(operation: (typeof OPERATION_NAMES)[number]): [string, string][] {
  const input = OPERATIONS[operation].input;
  return input ? Object.entries(SHAPES[input].members ?? {}) : [];
}

/** A JSON value of the wrong type for the shape, or undefined for a document (which takes anything). */
function wrongTyped(shapeName: string): unknown {
  const shape = SHAPES[shapeName];
  if (shape.document) return undefined;
  switch (shape.type) {
    case "string":
    case "blob":
      return 5;
    case "boolean":
    case "integer":
    case "long":
    case "timestamp":
      return "5";
    default:
      return "not a structure, list or map";
  }
}

describe.each(OPERATION_NAMES)("%s", (operation) => {
  it("answers an empty body with a Cognito error", async () => {
    expectCognitoError(await send(operation, ""));
  });

  it("answers a body that is a JSON array with SerializationException", async () => {
    expectCognitoError(await send(operation, "[]"), "SerializationException");
  });

  it("answers a member of the wrong JSON type with SerializationException", async () => {
    const member = inputMembers(operation).find(([, shape]) => wrongTyped(shape) !== undefined);
    const body = member ? { [member[0]]: wrongTyped(member[1]) } : { UserPoolId: 5 };
    expectCognitoError(await send(operation, JSON.stringify(body)), "SerializationException");
  });

  it("answers oversize strings in every string member with a Cognito error", async () => {
    const strings = inputMembers(operation).filter(([, shape]) => SHAPES[shape].type === "string");
    const body = Object.fromEntries(strings.map(([name]) => [name, "@".repeat(OVERSIZE)]));
    expectCognitoError(await send(operation, JSON.stringify(body)));
  });
});

describe("patterns that backtrack", () => {
  it("answers hostile values for backtracking patterns promptly", async () => {
    const answer = await send(
      "CreateUserPool",
      JSON.stringify({
        PoolName: "hostile",
        EmailConfiguration: { ReplyToEmailAddress: `${"@".repeat(OVERSIZE)} ` },
        VerificationMessageTemplate: { EmailMessageByLink: `${"{##".repeat(OVERSIZE / 3)}\u0000` },
      }),
    );
    expectCognitoError(answer, "InvalidParameterException");
    expect(answer.body.message).toMatch(/^2 validation errors detected: /);
    expect(answer.body.message).toContain(
      "at 'emailConfiguration.replyToEmailAddress' failed to satisfy constraint: Member must satisfy regular expression pattern: ",
    );
    expect(answer.body.message).toContain(
      "at 'verificationMessageTemplate.emailMessageByLink' failed to satisfy constraint: Member must have length less than or equal to 20000",
    );
  });
});

describe("request bodies", () => {
  it("refuses a body that is not UTF-8", async () => {
    const body = Buffer.concat([
      Buffer.from('{"MaxResults": 1, "NextToken": "'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const answer = await send("ListUserPools", body);
    expectCognitoError(answer, "SerializationException");
    expect(answer.body.message).toBe("The request body is not valid UTF-8.");
  });

  it("refuses a body that is not JSON", async () => {
    const answer = await send("ListUserPools", "{MaxResults: 1");
    expectCognitoError(answer, "SerializationException");
    expect(answer.body.message).toBe("Unable to parse the request body as JSON.");
  });

  it("refuses a body over the size limit", async () => {
    const answer = await send(
      "ListUserPools",
      JSON.stringify({ MaxResults: 1, NextToken: "a".repeat(9 * 1024 * 1024) }),
    );
    expectCognitoError(answer, "SerializationException");
    expect(answer.body.message).toBe(
      "The request body is larger than the 8388608 bytes this server accepts.",
    );
  });

  it("keeps a long error message whole in the body and short in the header", async () => {
    const answer = await send(
      "ListUsers",
      JSON.stringify({ UserPoolId: "us-east-1_abc", Filter: "x".repeat(10_000) }),
    );
    expectCognitoError(answer, "InvalidParameterException");
    expect(answer.body.message).toContain("x".repeat(10_000));
    expect(answer.headers.get("x-amzn-errormessage")?.length).toBeLessThanOrEqual(2048);
  });

  it("answers an unknown or missing target with UnknownOperationException", async () => {
    expectCognitoError(await send("NoSuchOperation", "{}"), "UnknownOperationException");
    const res = await fetch(`${server.url}/`, { method: "POST", body: "{}" });
    const answer: Answer = {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as Answer["body"],
    };
    expectCognitoError(answer, "UnknownOperationException");
    expect(answer.body.message).toBe("Missing X-Amz-Target header");
  });

  it("answers a request HTTP cannot read with a Cognito error, and closes the connection", async () => {
    const { port } = new URL(server.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1");
      let text = "";
      socket.setTimeout(HANG_MS, () => reject(new Error("no answer")));
      socket.on("data", (chunk) => {
        text += chunk.toString();
      });
      socket.on("close", () => resolve(text));
      socket.on("error", reject);
      socket.write(
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n" +
          "X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\nContent-Length: abc\r\n\r\n{}",
      );
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain("x-amzn-errortype: SerializationException:");
    expect(raw).toMatch(/x-amzn-requestid: [0-9a-f-]{36}/);
    expect(raw.slice(raw.indexOf("\r\n\r\n") + 4)).toBe(
      JSON.stringify({ __type: "SerializationException", message: "The HTTP request could not be read." }),
    );
  });
});
