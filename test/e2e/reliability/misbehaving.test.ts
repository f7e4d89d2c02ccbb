/**
 * Functions and senders that misbehave: Lambda Invoke endpoints that refuse connections, hang,
 * answer 500, invalid JSON or the wrong shape, or close mid-response; module functions that throw,
 * never resolve, exit their worker or allocate without end; SMTP servers and SMS webhooks that
 * refuse, hang, drop the connection or answer garbage. Each gives its caller Cognito's error for it
 * (no hang: the configured timeouts are short here), and the server serves others meanwhile.
 * (test/e2e/triggers and test/e2e/messaging cover the well-behaved cases and plain refusals.)
 */
import { createServer as createHttpServer } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import { SMS_CONFIGURATION } from "../mfa/support.js";
import { FunctionDir, functionArn } from "../triggers/support.js";
import { type Answer, api, call, PASSWORD } from "./support.js";

/** The senders' timeout here (short, to keep the test quick). */
const TIMEOUT_MS = 2000;
/** The functions' timeout: longer, as a module's first invocation starts its worker and loads it. */
const LAMBDA_TIMEOUT_MS = 3000;

/** A TCP server whose every connection is handled by `onConnection`, that can stop and resume listening. */
class RawServer {
  private server: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly onConnection: (socket: Socket) => void) {
    this.server = this.create();
  }

  private create(): Server {
    return createServer((socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
      socket.on("error", () => {});
      this.onConnection(socket);
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  /** Stops listening: connections are refused until `listen` again. */
  async refuse(): Promise<void> {
    await this.close();
    this.server = this.create();
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Reads lines from a socket, calling `onLine` for each. */
function lines(socket: Socket, onLine: (line: string) => void): void {
  let buffer = "";
  socket.on("data", (chunk) => {
    buffer += chunk.toString("latin1");
    for (let at = buffer.indexOf("\r\n"); at >= 0; at = buffer.indexOf("\r\n")) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      onLine(line);
    }
  });
}

type SmtpMode = "silent" | "stalls" | "drops" | "garbage";
let smtpMode: SmtpMode = "silent";

/** An SMTP server that fails as `smtpMode` says: never greets, stops answering at MAIL, closes after EHLO, or speaks nonsense. */
const smtp = new RawServer((socket) => {
  const mode = smtpMode;
  if (mode === "silent") return;
  if (mode === "garbage") {
    socket.write("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
    return;
  }
  socket.write("220 fake ESMTP\r\n");
  lines(socket, (line) => {
    const verb = line.slice(0, 4).toUpperCase();
    if (verb === "EHLO" || verb === "HELO") {
      if (mode === "drops") socket.destroy();
      else socket.write("250 fake\r\n");
    }
    // "stalls": MAIL FROM and everything after go unanswered.
  });
});

type WebhookMode = "hangs" | "fails" | "drops" | "garbage";
let webhookMode: WebhookMode = "hangs";

/** An SMS webhook that fails as `webhookMode` says. */
const webhook = new RawServer((socket) => {
  socket.once("data", () => {
    const mode = webhookMode;
    if (mode === "fails") socket.end("HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n");
    if (mode === "drops") socket.resetAndDestroy();
    if (mode === "garbage") socket.end("220 not http at all\r\n");
  });
});

/** The Lambda Invoke API, each function failing in its own way. */
const lambdaBehaviours: Record<string, (res: import("node:http").ServerResponse) => void> = {
  hangs: () => {},
  fails500: (res) => res.writeHead(500).end(),
  invalidJson: (res) => res.writeHead(200, { "content-type": "application/json" }).end('{"response": '),
  wrongShape: (res) => res.writeHead(200, { "content-type": "application/json" }).end("[1, 2, 3]"),
  dropsMidResponse: (res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
    res.write('{"version": "1", "response"');
    setTimeout(() => res.socket?.destroy(), 50);
  },
};
const lambda = createHttpServer((req, res) => {
  const name = decodeURIComponent(req.url?.match(/functions\/([^/]+)\/invocations/)?.[1] ?? "");
  req.resume();
  req.on("end", () => (lambdaBehaviours[name] ?? ((r) => r.writeHead(404).end()))(res));
});

const dir = new FunctionDir();
const modules: Record<string, string> = {
  throws: "throw new Error('the function broke');",
  neverResolves: "await new Promise(() => {});",
  exits: "process.exit(7);",
  allocates: "const hoard = [];\nfor (;;) hoard.push(new Array(1_000_000).fill(hoard.length));",
};

let server: TestServer;
let lambdaUrl: string;

beforeAll(async () => {
  await smtp.listen();
  await webhook.listen();
  await new Promise<void>((resolve) => lambda.listen(0, "127.0.0.1", resolve));
  lambdaUrl = `http://127.0.0.1:${(lambda.address() as { port: number }).port}`;
  const refused = new RawServer(() => {});
  await refused.listen();
  await refused.close();
  const functions: Record<string, { module: string } | { endpoint: string }> = {
    refused: { endpoint: `http://127.0.0.1:${refused.port}` },
  };
  for (const [name, body] of Object.entries(modules)) functions[name] = { module: dir.module(name, body) };
  server = await startTestServer({
    lambda: { endpoint: lambdaUrl, timeoutMs: LAMBDA_TIMEOUT_MS, functions },
    messages: {
      email: {
        smtp: { host: "127.0.0.1", port: smtp.port, from: "cognate@example.com", timeoutMs: TIMEOUT_MS },
      },
      sms: { webhook: { url: `http://127.0.0.1:${webhook.port}/sms`, timeoutMs: TIMEOUT_MS } },
    },
  });
});

afterAll(async () => {
  await server?.stop();
  await smtp.close();
  await webhook.close();
  await new Promise((resolve) => lambda.close(resolve));
  dir.remove();
});

async function poolWithClient(
  input: Record<string, unknown> = {},
): Promise<{ poolId: string; clientId: string }> {
  const pool = await call(server.url, "CreateUserPool", { PoolName: "misbehaving", ...input });
  const poolId = (pool.UserPool as { Id: string }).Id;
  const client = await call(server.url, "CreateUserPoolClient", { UserPoolId: poolId, ClientName: "app" });
  return { poolId, clientId: (client.UserPoolClient as { ClientId: string }).ClientId };
}

function signUp(clientId: string, username: string): Promise<Answer> {
  return api(server.url, "SignUp", { ClientId: clientId, Username: username, Password: PASSWORD });
}

/**
 * Runs `faulty` while sign-ups in a pool without triggers go on; they must all succeed, and for a
 * fault that holds its caller until the timeout (`slow`), at least one must complete while it is
 * still pending: the fault holds up nobody else.
 */
async function whileOthersAreServed<T>(faulty: () => Promise<T>, slow: boolean): Promise<T> {
  const healthy = await poolWithClient();
  let settled = false;
  const pending = faulty().finally(() => {
    settled = true;
  });
  const servedMeanwhile: boolean[] = [];
  for (let i = 0; !settled || i === 0; i++) {
    const answer = await signUp(healthy.clientId, `bystander-${Date.now()}-${i}`);
    expect(answer.status).toBe(200);
    servedMeanwhile.push(!settled);
  }
  if (slow) expect(servedMeanwhile).toContain(true);
  return pending;
}

describe("Lambda functions", () => {
  /** The title, the function, Cognito's error, its message, and whether it waits for the timeout. */
  const cases: [title: string, name: string, type: string, message: RegExp, slow?: "slow"][] = [
    [
      "an endpoint that refuses connections",
      "refused",
      "UnexpectedLambdaException",
      /^PreSignUp invocation failed due to error ECONNREFUSED\.$/,
    ],
    [
      "an endpoint that never answers",
      "hangs",
      "UnexpectedLambdaException",
      /^PreSignUp invocation failed due to error Socket timeout while invoking Lambda function\.$/,
      "slow",
    ],
    [
      "an endpoint that answers 500",
      "fails500",
      "UnexpectedLambdaException",
      /^PreSignUp invocation failed due to error /,
    ],
    [
      "an endpoint that answers invalid JSON",
      "invalidJson",
      "InvalidLambdaResponseException",
      /^Invalid lambda function output : Invalid JSON$/,
    ],
    ["an endpoint that answers the wrong shape", "wrongShape", "InvalidLambdaResponseException", /./],
    [
      "an endpoint that closes mid-response",
      "dropsMidResponse",
      "UnexpectedLambdaException",
      /^PreSignUp invocation failed due to error /,
    ],
    [
      "a module that throws",
      "throws",
      "UserLambdaValidationException",
      /^PreSignUp failed with error the function broke\.$/,
    ],
    [
      "a module that never resolves",
      "neverResolves",
      "UnexpectedLambdaException",
      /^PreSignUp invocation failed due to error Socket timeout while invoking Lambda function\.$/,
      "slow",
    ],
    [
      "a module that exits its worker",
      "exits",
      "UserLambdaValidationException",
      /^PreSignUp failed with error Runtime exited with error: exit status 7\.$/,
    ],
  ];
  for (const [title, name, type, message, slow] of cases) {
    it(`answers ${title} with ${type}, and no user is created`, async () => {
      const pool = await poolWithClient({ LambdaConfig: { PreSignUp: functionArn(name) } });
      const answer = await whileOthersAreServed(() => signUp(pool.clientId, "victim"), slow === "slow");
      expect(answer).toMatchObject({ status: 400, error: type });
      expect(answer.body.message).toMatch(message);
      const user = await api(server.url, "AdminGetUser", { UserPoolId: pool.poolId, Username: "victim" });
      expect(user.error).toBe("UserNotFoundException");
    });
  }

  it("answers a module that allocates without end with its worker's death or the timeout, and serves others", async () => {
    // Which comes first depends on the machine's speed: the heap limit (the worker killed, as
    // Lambda kills a function beyond its memory) or the deadline (the worker terminated).
    const pool = await poolWithClient({ LambdaConfig: { PreSignUp: functionArn("allocates") } });
    const answer = await whileOthersAreServed(() => signUp(pool.clientId, "victim"), false);
    expect(answer.status).toBe(400);
    expect(["UserLambdaValidationException", "UnexpectedLambdaException"]).toContain(answer.error);
    expect(answer.body.message).toMatch(
      /^PreSignUp (failed with error Runtime exited with error: signal: killed|invocation failed due to error Socket timeout while invoking Lambda function)\.$/,
    );
  });

  it("runs a module again after its worker died", async () => {
    for (let i = 0; i < 2; i++) {
      const pool = await poolWithClient({ LambdaConfig: { PreSignUp: functionArn("exits") } });
      expect((await signUp(pool.clientId, "again")).error).toBe("UserLambdaValidationException");
    }
  });
});

describe("senders", () => {
  async function invite(medium: "EMAIL" | "SMS", slow: boolean): Promise<{ answer: Answer; poolId: string }> {
    const { poolId } = await poolWithClient({ SmsConfiguration: SMS_CONFIGURATION });
    const attribute =
      medium === "EMAIL"
        ? { Name: "email", Value: "ned@example.com" }
        : { Name: "phone_number", Value: "+15555550100" };
    const answer = await whileOthersAreServed(
      () =>
        api(server.url, "AdminCreateUser", {
          UserPoolId: poolId,
          Username: "ned",
          DesiredDeliveryMediums: [medium],
          UserAttributes: [attribute],
        }),
      slow,
    );
    return { answer, poolId };
  }

  const smtpCases: [SmtpMode | "refused", string][] = [
    ["refused", "a server that refuses connections"],
    ["silent", "a server that never greets"],
    ["stalls", "a server that stops answering mid-conversation"],
    ["drops", "a server that closes the connection mid-conversation"],
    ["garbage", "a server that is not SMTP"],
  ];
  for (const [mode, title] of smtpCases) {
    it(`fails an email to ${title} with InvalidEmailRoleAccessPolicyException`, async () => {
      if (mode === "refused") await smtp.refuse();
      else smtpMode = mode;
      try {
        const { answer } = await invite("EMAIL", mode === "silent" || mode === "stalls");
        expect(answer).toMatchObject({ status: 400, error: "InvalidEmailRoleAccessPolicyException" });
        expect(answer.body.message).toMatch(/^The email message could not be delivered: the SMTP server /);
      } finally {
        if (mode === "refused") await smtp.listen();
      }
    });
  }

  const webhookCases: [WebhookMode | "refused", string, RegExp][] = [
    ["refused", "a webhook that refuses connections", /could not be reached\.$/],
    ["hangs", "a webhook that never answers", /could not be reached\.$/],
    ["fails", "a webhook that answers 500", /answered HTTP 500\.$/],
    ["drops", "a webhook that resets the connection", /could not be reached\.$/],
    ["garbage", "a webhook that is not HTTP", /could not be reached\.$/],
  ];
  for (const [mode, title, message] of webhookCases) {
    it(`fails an SMS to ${title} with InvalidSmsRoleAccessPolicyException`, async () => {
      if (mode === "refused") await webhook.refuse();
      else webhookMode = mode;
      try {
        const { answer } = await invite("SMS", mode === "hangs");
        expect(answer).toMatchObject({ status: 400, error: "InvalidSmsRoleAccessPolicyException" });
        expect(answer.body.message).toMatch(message);
      } finally {
        if (mode === "refused") await webhook.listen();
      }
    });
  }
});
