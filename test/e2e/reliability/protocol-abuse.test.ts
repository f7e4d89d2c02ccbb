/**
 * Protocol abuse over raw TCP: bad targets, bodies, encodings, sizes and headers (generated with
 * fast-check, seed printed), and slow, idle, half-open and abandoned connections. Every answer is
 * a Cognito error `{__type, message}` below 500, none hangs, and the server goes on serving.
 */
import { connect, type Socket } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HANG_MS } from "../../support/fuzz.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const SEED = Number(process.env.COGNATE_FUZZ_SEED) || Date.now() % 2 ** 31;
const RUNS = 150;
const TARGET = "AWSCognitoIdentityProviderService.ListUserPools";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  process.stdout.write(`protocol abuse: seed ${SEED} (replay: COGNATE_FUZZ_SEED=${SEED})\n`);
});
afterAll(async () => server.stop());

interface RawAnswer {
  status?: number;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection. */
  closed: boolean;
}

/** Reads one HTTP response (100 Continue skipped) from what arrived so far, if whole. */
function parseResponse(data: Buffer): RawAnswer | undefined {
  let text = data.toString("latin1");
  while (text.startsWith("HTTP/1.1 100")) text = text.slice(text.indexOf("\r\n\r\n") + 4);
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers["content-length"] ?? 0);
  const body = Buffer.from(text.slice(end + 4), "latin1");
  if (body.length < length) return undefined;
  return {
    status: Number(statusLine.split(" ")[1]),
    headers,
    body: body.subarray(0, length).toString("utf8"),
    closed: false,
  };
}

/** Sends bytes on a fresh connection and waits for a response or the server's close (at most HANG_MS). */
function exchange(
  chunks: (string | Buffer)[],
  options: { halfClose?: boolean; delayMs?: number } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1");
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${HANG_MS} ms`));
    }, HANG_MS);
    const finish = (answer: RawAnswer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.on("data", (chunk) => {
      received = Buffer.concat([received, chunk]);
      const answer = parseResponse(received);
      if (answer) finish(answer);
    });
    socket.on("close", () => finish(parseResponse(received) ?? { headers: {}, body: "", closed: true }));
    socket.on("error", () => {});
    void (async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      }
      if (options.halfClose) socket.end();
    })();
  });
}

/** A Cognito error below 500 whose body and header agree; a close without answer is allowed only where said. */
function expectCognitoError(answer: RawAnswer, options: { mayClose?: boolean } = {}): void {
  if (answer.closed && options.mayClose) return;
  expect(answer.closed, "the server closed the connection without an answer").toBe(false);
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
  const body = JSON.parse(answer.body) as { __type?: unknown; message?: unknown };
  expect(body.__type).toMatch(/^[A-Z][A-Za-z]+Exception$/);
  expect(typeof body.message).toBe("string");
  expect(answer.headers["x-amzn-errortype"]).toBe(`${body.__type}:`);
}

function request(head: string[], body: Buffer | string = "{}"): Buffer {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return Buffer.concat([Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1"), bytes]);
}

const apiHead = (extra: string[] = [], length?: number) => [
  "POST / HTTP/1.1",
  "host: localhost",
  "content-type: application/x-amz-json-1.1",
  ...extra,
  ...(length === undefined ? [] : [`content-length: ${length}`]),
];

/** The server still answers a good request. */
async function expectServing(): Promise<void> {
  const answer = await exchange([request(apiHead([`x-amz-target: ${TARGET}`], 17), '{"MaxResults":10}')]);
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toHaveProperty("UserPools");
}

const headerValue = fc.string({ unit: "binary-ascii", maxLength: 80 }).map((s) => s.replace(/[\r\n]/g, ""));

describe("generated garbage", () => {
  it("answers any target with a Cognito error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          headerValue,
          fc.string().map((s) => `AWSCognitoIdentityProviderService.${s.replace(/[\r\n]/g, "")}`),
        ),
        async (target) => {
          const answer = await exchange([request(apiHead([`x-amz-target: ${target}`], 2), "{}")]);
          if (answer.status === 200) return; // a real operation named by chance
          expectCognitoError(answer);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("answers any body with a Cognito error", async () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
      fc.string({ unit: "binary" }).map((s) => Buffer.from(s, "utf16le")),
      fc.constantFrom(
        Buffer.from("\ufeff{}"),
        Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
        Buffer.from('{"MaxResults": 1e999}'),
        Buffer.from('{"MaxResults": 10, "MaxResults": "x"}'),
        Buffer.from(`${"[".repeat(100_000)}${"]".repeat(100_000)}`),
        Buffer.from(`${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}`),
        Buffer.from('{"__proto__": {"MaxResults": 10}, "constructor": {"prototype": {}}}'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPERATIONS_TO_ABUSE), body, async (operation, bytes) => {
        const head = apiHead([`x-amz-target: AWSCognitoIdentityProviderService.${operation}`], bytes.length);
        const answer = await exchange([request(head, bytes)]);
        if (answer.status === 200) return;
        expectCognitoError(answer);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("answers any extra headers with a Cognito error or the operation's answer", async () => {
    const header = fc.tuple(fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,30}$/), headerValue);
    await fc.assert(
      fc.asyncProperty(fc.array(header, { maxLength: 8 }), async (headers) => {
        const extra = headers.map(([name, value]) => `${name}: ${value}`);
        const answer = await exchange([
          request(apiHead([`x-amz-target: ${TARGET}`, ...extra], 17), '{"MaxResults":10}'),
        ]);
        if (answer.status === 200) return;
        expectCognitoError(answer);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    await expectServing();
  });
});

/** A few operations of each kind: public, IAM, one without input members. */
const OPERATIONS_TO_ABUSE = [
  "ListUserPools",
  "InitiateAuth",
  "SignUp",
  "AdminGetUser",
  "GetCSVHeader",
  "RevokeToken",
];

describe("framing, encodings and sizes", () => {
  const target = `x-amz-target: ${TARGET}`;
  const cases: Record<string, Buffer> = {
    "a compressed body that is not": request(apiHead([target, "content-encoding: gzip"], 2)),
    "a UTF-16 charset": request(apiHead([target, "content-type: application/json; charset=utf-16"], 2)),
    "a malformed chunk size": request(
      apiHead([target, "transfer-encoding: chunked"]),
      "zz\r\n{}\r\n0\r\n\r\n",
    ),
    "both Content-Length and chunked": request(
      apiHead([target, "transfer-encoding: chunked"], 2),
      "2\r\n{}\r\n0\r\n\r\n",
    ),
    "two different Content-Lengths": request([...apiHead([target], 2), "content-length: 5"]),
    "a negative Content-Length": request(apiHead([target, "content-length: -1"])),
    "a Content-Length of 100 GB": request(apiHead([target], 100_000_000_000)),
    "a body over the limit": request(apiHead([target], 9 * 1024 * 1024), Buffer.alloc(9 * 1024 * 1024, 0x20)),
    "a 100 kB header": request(apiHead([target, `x-big: ${"a".repeat(100_000)}`], 2)),
    "3000 headers": request(apiHead([target, ...Array.from({ length: 3000 }, (_, i) => `x-h${i}: v`)], 2)),
    "a control character in a header": request(apiHead([target, "x-bad: a\u0001b"], 2)),
    "an 8-bit target": request(apiHead(["x-amz-target: AWSCognitoIdentityProviderService.L\u00efst"], 2)),
    "no request line": Buffer.from("\u0000\u0001\u0002 hello\r\n\r\n"),
    "an unknown HTTP version": request(["POST / HTTP/9.9", "host: x", target, "content-length: 2"]),
    "a GET of an operation": request(["GET / HTTP/1.1", "host: x", target]),
    "a PUT of an operation": request(["PUT / HTTP/1.1", "host: x", target, "content-length: 2"]),
    "an absolute URL and a bad host": request([
      "POST http://evil.example/ HTTP/1.1",
      "host: [::",
      target,
      "content-length: 2",
    ]),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    it(`answers ${name} with a Cognito error`, async () => {
      expectCognitoError(await exchange([bytes]));
    });
  }

  it("goes on serving after all of them", async () => {
    await expectServing();
  });
});

describe("slow, idle, half-open and abandoned connections", () => {
  it("answers a request sent a few bytes at a time, serving others meanwhile", async () => {
    const bytes = request(apiHead([`x-amz-target: ${TARGET}`], 17), '{"MaxResults":10}');
    const pieces = Array.from({ length: Math.ceil(bytes.length / 8) }, (_, i) =>
      bytes.subarray(i * 8, i * 8 + 8),
    );
    const slow = exchange(pieces, { delayMs: 20 });
    await expectServing();
    expect((await slow).status).toBe(200);
  });

  it("serves while many connections sit idle", async () => {
    const idle: Socket[] = [];
    try {
      for (let i = 0; i < 50; i++) {
        const socket = connect(server.port, "127.0.0.1");
        socket.on("error", () => {});
        idle.push(socket);
        if (i % 2) socket.write("POST / HTTP/1.1\r\nhost: x\r\n"); // half a head, then nothing
      }
      await expectServing();
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });

  it("answers or closes a request whose sender stops half-way and half-closes", async () => {
    const head = apiHead([`x-amz-target: ${TARGET}`], 100);
    expectCognitoError(await exchange([request(head, '{"MaxRes')], { halfClose: true }), { mayClose: true });
    expectCognitoError(await exchange(["POST / HTTP/1.1\r\nhost: x\r\ncontent-le"], { halfClose: true }), {
      mayClose: true,
    });
  });

  it("survives connections dropped mid-request and mid-response", async () => {
    for (let i = 0; i < 20; i++) {
      const socket = connect(server.port, "127.0.0.1");
      socket.on("error", () => {});
      await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
      const bytes = request(apiHead([`x-amz-target: ${TARGET}`], 17), '{"MaxResults":10}');
      socket.write(i % 2 ? bytes.subarray(0, 40) : bytes);
      if (i % 4 === 0) await new Promise((resolve) => setImmediate(resolve));
      socket.resetAndDestroy();
    }
    await expectServing();
  });
});
