/**
 * Secrets never logged: a representative set of flows (sign-up with its code, sign-ins right and
 * wrong, refresh, password change and reset, a temporary password and its challenge, TOTP setup,
 * admin calls signed with an IAM secret, a revoked token, a failing email, an internal error with a
 * password in its request) run with the server logging at trace, the most verbose level. The log
 * is then searched for every password, code, token, secret and key the test used or was given.
 * The server as a child process too: its output with a database password and an encryption key.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import SQLite from "better-sqlite3";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startChildServer } from "../../support/child-server.js";
import {
  createTestSchema,
  dropTestSchema,
  postgresReachable,
  schemaDatabaseUrl,
} from "../../support/postgres.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { SMS_CONFIGURATION } from "../mfa/support.js";

const IAM = { accessKeyId: "AKIDLOGSCAN", secretAccessKey: `iam-${randomBytes(12).toString("hex")}` };
const ENCRYPTION_KEY = randomBytes(32).toString("base64");
const WEBHOOK_TOKEN = `sms-${randomBytes(12).toString("hex")}`;
const SMTP_PASS = `smtp-${randomBytes(12).toString("hex")}`;

/** Everything secret the test used or was handed. */
const secrets = new Set<string>([IAM.secretAccessKey, ENCRYPTION_KEY, WEBHOOK_TOKEN, SMTP_PASS]);
function secret<T extends string | undefined>(value: T): T {
  if (value) secrets.add(value);
  return value;
}

let log = "";
const logStream = new Writable({
  write(chunk, _encoding, done) {
    log += chunk;
    done();
  },
});

/** SMS messages the webhook received, newest last. */
const sms: string[] = [];
const webhook = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => {
    sms.push((JSON.parse(body) as { message: string }).message);
    res.writeHead(200).end();
  });
});

let server: TestServer;

beforeAll(async () => {
  await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(webhook.address() as { port: number }).port}/sms`;
  server = await startTestServer(
    {
      iam: { credentials: [IAM] },
      secrets: { encryptionKey: ENCRYPTION_KEY },
      messages: {
        sms: { webhook: { url: webhookUrl, headers: { authorization: `Bearer ${WEBHOOK_TOKEN}` } } },
        // Nothing listens there: emails fail, through the sender's error path.
        email: {
          smtp: {
            host: "127.0.0.1",
            port: 9,
            auth: { user: "cognate", pass: SMTP_PASS },
            from: "a@example.com",
          },
        },
      },
      log: { level: "trace" },
    },
    { logger: pino({ level: "trace" }, logStream) },
  );
});

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => webhook.close(resolve));
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function send(operation: string, body: unknown, signed: boolean): Promise<Answer> {
  const url = new URL(server.url);
  const text = JSON.stringify(body);
  let headers: Record<string, string> = {
    host: url.host,
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
  };
  if (signed) {
    const signer = new SignatureV4({
      service: "cognito-idp",
      region: "us-east-1",
      credentials: IAM,
      sha256: Hash.bind(null, "sha256"),
    });
    const request = new HttpRequest({
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      path: "/",
      headers,
      body: text,
    });
    headers = (await signer.sign(request)).headers as Record<string, string>;
  }
  const { host: _host, ...rest } = headers;
  const res = await fetch(`${server.url}/`, { method: "POST", headers: rest, body: text });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function ok(operation: string, body: unknown, signed = false): Promise<Record<string, unknown>> {
  const answer = await send(operation, body, signed);
  if (answer.status !== 200) throw new Error(`${operation}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const admin = (operation: string, body: unknown) => ok(operation, body, true);

/** The code in the newest SMS. */
function lastCode(): string {
  const code = sms.at(-1)?.match(/(\d{6,8})/)?.[1];
  if (!code) throw new Error("no code arrived");
  return secret(code);
}

/** Where a secret appears in the log: as a whole token (a short numeric code may be part of a number). */
function leaks(text: string): string[] {
  return [...secrets].filter((s) =>
    /^\d+$/.test(s) ? new RegExp(`(?<!\\d)${s}(?!\\d)`).test(text) : text.includes(s),
  );
}

describe("with the server logging at trace", () => {
  it("logs no password, code, token, secret or key of the flows it served", async () => {
    const pool = await admin("CreateUserPool", {
      PoolName: "secrets",
      AutoVerifiedAttributes: ["phone_number"],
      SmsConfiguration: SMS_CONFIGURATION,
    });
    const poolId = (pool.UserPool as { Id: string }).Id;
    await admin("SetUserPoolMfaConfig", {
      UserPoolId: poolId,
      MfaConfiguration: "OPTIONAL",
      SoftwareTokenMfaConfiguration: { Enabled: true },
    });
    const created = await admin("CreateUserPoolClient", {
      UserPoolId: poolId,
      ClientName: "app",
      GenerateSecret: true,
      ExplicitAuthFlows: [
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      ],
    });
    const { ClientId: clientId, ClientSecret } = created.UserPoolClient as {
      ClientId: string;
      ClientSecret: string;
    };
    const clientSecret = secret(ClientSecret);
    const hash = (username: string) =>
      secret(createHmac("sha256", clientSecret).update(`${username}${clientId}`).digest("base64"));

    // Sign-up and its code.
    const password = secret(`Pw-${randomBytes(8).toString("hex")}!`);
    await ok("SignUp", {
      ClientId: clientId,
      SecretHash: hash("ada"),
      Username: "ada",
      Password: password,
      UserAttributes: [{ Name: "phone_number", Value: "+15555550111" }],
    });
    await ok("ConfirmSignUp", {
      ClientId: clientId,
      SecretHash: hash("ada"),
      Username: "ada",
      ConfirmationCode: lastCode(),
    });

    // Sign-ins, right and wrong, and a refresh.
    const wrong = secret(`Wrong-${randomBytes(8).toString("hex")}!`);
    const refused = await send(
      "InitiateAuth",
      {
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "ada", PASSWORD: wrong, SECRET_HASH: hash("ada") },
      },
      false,
    );
    expect(refused.body.__type).toBe("NotAuthorizedException");
    const auth = await ok("InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "ada", PASSWORD: password, SECRET_HASH: hash("ada") },
    });
    const tokens = auth.AuthenticationResult as {
      AccessToken: string;
      IdToken: string;
      RefreshToken: string;
    };
    secret(tokens.AccessToken);
    secret(tokens.IdToken);
    secret(tokens.RefreshToken);
    const refreshed = await ok("InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "REFRESH_TOKEN_AUTH",
      AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken, SECRET_HASH: hash("ada") },
    });
    secret((refreshed.AuthenticationResult as { AccessToken: string }).AccessToken);
    await ok("GetUser", { AccessToken: tokens.AccessToken });

    // Password change, TOTP setup, password reset by code.
    const changed = secret(`Changed-${randomBytes(8).toString("hex")}!`);
    await ok("ChangePassword", {
      AccessToken: tokens.AccessToken,
      PreviousPassword: password,
      ProposedPassword: changed,
    });
    const totp = await ok("AssociateSoftwareToken", { AccessToken: tokens.AccessToken });
    secret(totp.SecretCode as string);
    await ok("ForgotPassword", { ClientId: clientId, SecretHash: hash("ada"), Username: "ada" });
    const reset = secret(`Reset-${randomBytes(8).toString("hex")}!`);
    await ok("ConfirmForgotPassword", {
      ClientId: clientId,
      SecretHash: hash("ada"),
      Username: "ada",
      ConfirmationCode: lastCode(),
      Password: reset,
    });

    // A temporary password and the challenge's session; an admin-set password.
    const temporary = secret(`Temp-${randomBytes(8).toString("hex")}!`);
    await admin("AdminCreateUser", {
      UserPoolId: poolId,
      Username: "bob",
      TemporaryPassword: temporary,
      MessageAction: "SUPPRESS",
    });
    const challenge = await ok("InitiateAuth", {
      ClientId: clientId,
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "bob", PASSWORD: temporary, SECRET_HASH: hash("bob") },
    });
    const chosen = secret(`Chosen-${randomBytes(8).toString("hex")}!`);
    const answered = await ok("RespondToAuthChallenge", {
      ClientId: clientId,
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      Session: secret(challenge.Session as string),
      ChallengeResponses: { USERNAME: "bob", NEW_PASSWORD: chosen, SECRET_HASH: hash("bob") },
    });
    const bobTokens = answered.AuthenticationResult as {
      AccessToken: string;
      IdToken: string;
      RefreshToken: string;
    };
    for (const token of [bobTokens.AccessToken, bobTokens.IdToken, bobTokens.RefreshToken]) secret(token);
    const adminSet = secret(`Admin-${randomBytes(8).toString("hex")}!`);
    await admin("AdminSetUserPassword", {
      UserPoolId: poolId,
      Username: "bob",
      Password: adminSet,
      Permanent: true,
    });

    // An email that cannot be sent, a revoked token, a global sign-out.
    const mail = await send(
      "AdminCreateUser",
      {
        UserPoolId: poolId,
        Username: "cy",
        DesiredDeliveryMediums: ["EMAIL"],
        UserAttributes: [{ Name: "email", Value: "cy@example.com" }],
      },
      true,
    );
    expect(mail.body.__type).toBe("InvalidEmailRoleAccessPolicyException");
    await ok("RevokeToken", { Token: tokens.RefreshToken, ClientId: clientId, ClientSecret: clientSecret });
    await ok("GlobalSignOut", { AccessToken: bobTokens.AccessToken });

    // An internal error (the database locked past busy_timeout) with a password in its request.
    const lockedOut = secret(`Locked-${randomBytes(8).toString("hex")}!`);
    const other = new SQLite(join(server.dataDir, "cognate.db"));
    other.exec("begin immediate");
    try {
      const failed = await send(
        "AdminSetUserPassword",
        { UserPoolId: poolId, Username: "bob", Password: lockedOut, Permanent: true },
        true,
      );
      expect(failed.body.__type).toBe("InternalErrorException");
    } finally {
      other.exec("rollback");
      other.close();
    }

    // The log has what trace logs (every request, the internal error), and none of the secrets.
    expect(log).toMatch(/"msg":"request"/);
    expect(log).toMatch(/"msg":"internal error"/);
    expect(secrets.size).toBeGreaterThan(20);
    expect(leaks(log)).toEqual([]);
    // The search finds what it looks for: a password, and a code among other numbers.
    const code = [...secrets].find((s) => /^\d+$/.test(s)) as string;
    expect(leaks(`${log} {"x":"${password}"}`)).toEqual([password]);
    expect(leaks(`${log} {"code":${code},"time":1${code}2}`)).toEqual([code]);
    // Nor as a digest that could be matched against a guess.
    expect([...secrets].some((s) => log.includes(createHash("sha256").update(s).digest("hex")))).toBe(false);
  }, 60_000);
});

describe("the server's own output", () => {
  it("shows neither the database password nor the encryption key", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cognate-secrets-"));
    const schema = (await postgresReachable()) ? await createTestSchema() : undefined;
    const dbPassword = `pg-${randomBytes(12).toString("hex")}`;
    let databaseUrl: string | undefined;
    if (schema) {
      // The test database trusts loopback: the password is sent to nobody, but is in the URL.
      const url = new URL(schemaDatabaseUrl(schema));
      url.password = dbPassword;
      databaseUrl = url.toString();
    }
    const child = await startChildServer({
      dataDir,
      databaseUrl,
      logLevel: "trace",
      env: { COGNATE_ENCRYPTION_KEY: ENCRYPTION_KEY },
    });
    try {
      const res = await fetch(`${child.url}/`, {
        method: "POST",
        headers: { "x-amz-target": "AWSCognitoIdentityProviderService.ListUserPools" },
        body: '{"MaxResults": 5}',
      });
      expect(res.status).toBe(200);
    } finally {
      await child.stop();
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) await dropTestSchema(schema);
    }
    expect(child.output()).toMatch(/Cognate is listening/);
    expect(child.output()).not.toContain(ENCRYPTION_KEY);
    expect(child.output()).not.toContain(dbPassword);
  });
});
