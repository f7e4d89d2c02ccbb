/**
 * Email by SMTP: with `messages.email.smtp` configured, the server sends real messages to a local
 * SMTP server this test starts — invitations, verification codes and email MFA codes, with the
 * pool's templates and sender address — and keeps no outbox copy unless configured to.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  ConfirmSignUpCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool } from "../../support/fixtures.js";
import { createOAuthApp } from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  adminAnswer,
  adminSignIn,
  DEVELOPER_EMAIL,
  expectError,
  expectTokens,
  mfaPool,
  outbox,
  PASSWORD,
  user,
} from "../mfa/support.js";
import { mailParts, startSmtpServer, type TestSmtpServer } from "./support.js";

const CREDENTIALS = { user: "cognate", pass: "smtp-s3cret" };

let smtp: TestSmtpServer;
let server: TestServer;

beforeAll(async () => {
  smtp = await startSmtpServer(CREDENTIALS);
  server = await startTestServer({
    messages: {
      email: {
        smtp: {
          host: "127.0.0.1",
          port: smtp.port,
          auth: CREDENTIALS,
          from: "Cognate <cognate@example.com>",
        },
      },
    },
  });
});
afterAll(async () => {
  await server.stop();
  await smtp.close();
});

function lastMail() {
  const mail = smtp.mails.at(-1);
  if (!mail) throw new Error("no mail arrived");
  return mail;
}

describe("SMTP delivery", () => {
  it("sends an invitation with the pool's template from the pool's address, signed in to the server", async () => {
    const poolId = await createPool(server, {
      EmailConfiguration: {
        ...DEVELOPER_EMAIL,
        From: "Acme <no-reply@acme.example>",
        ReplyToEmailAddress: "help@acme.example",
      },
      AdminCreateUserConfig: {
        InviteMessageTemplate: {
          EmailSubject: "Welcome to Acme",
          EmailMessage: "Hello {username}, your temporary password is {####}.",
        },
      },
    });
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: "kim",
        TemporaryPassword: "Temp0rary-pass!",
        DesiredDeliveryMediums: ["EMAIL"],
        UserAttributes: [{ Name: "email", Value: "kim@example.com" }],
      }),
    );
    const mail = lastMail();
    expect(mail.from).toBe("no-reply@acme.example");
    expect(mail.to).toEqual(["kim@example.com"]);
    expect(mail.authUser).toBe("cognate");
    expect(mail.headers.from).toBe("Acme <no-reply@acme.example>");
    expect(mail.headers["reply-to"]).toBe("help@acme.example");
    expect(mail.headers.subject).toBe("Welcome to Acme");
    expect(mail.body).toBe("Hello kim, your temporary password is Temp0rary-pass!.");
    expect(await outbox(server, poolId)).toEqual([]);
  });

  it("sends a sign-up code from the configured address when the pool names none, and the code confirms", async () => {
    const poolId = await createPool(server, {
      AutoVerifiedAttributes: ["email"],
      VerificationMessageTemplate: {
        EmailSubject: "Confirm your account",
        EmailMessage: "Your code: {####}",
      },
    });
    const app = await createClient(server, poolId);
    await server.client.send(
      new SignUpCommand({
        ClientId: app.clientId,
        Username: "lee",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "lee@example.com" }],
      }),
    );
    const mail = lastMail();
    expect(mail.from).toBe("cognate@example.com");
    expect(mail.to).toEqual(["lee@example.com"]);
    expect(mail.headers.subject).toBe("Confirm your account");
    const code = mail.body.match(/^Your code: (\d{6})$/)?.[1];
    expect(code).toBeDefined();
    await server.client.send(
      new ConfirmSignUpCommand({ ClientId: app.clientId, Username: "lee", ConfirmationCode: code as string }),
    );
  });

  it("sends a confirmation link as HTML with a plain-text alternative", async () => {
    const app = await createOAuthApp(server, {
      pool: {
        AutoVerifiedAttributes: ["email"],
        VerificationMessageTemplate: {
          DefaultEmailOption: "CONFIRM_WITH_LINK",
          EmailSubjectByLink: "Confirm your Acme account",
          EmailMessageByLink: "Welcome!<br>Please {##confirm here##} to start.",
        },
      },
    });
    await server.client.send(
      new SignUpCommand({
        ClientId: app.clientId,
        Username: "ana+1",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "ana@example.com" }],
      }),
    );
    const mail = lastMail();
    expect(mail.headers.subject).toBe("Confirm your Acme account");
    expect(mail.headers["content-type"]).toMatch(/^multipart\/alternative;/);
    const parts = mailParts(mail);
    const html = parts["text/html"].match(
      /^Welcome!<br>Please <a href="([^"]+)">confirm here<\/a> to start\.$/,
    );
    expect(html, parts["text/html"]).not.toBeNull();
    const link = new URL((html as RegExpMatchArray)[1]);
    expect(link.pathname).toMatch(/\/confirmUser$/);
    expect(link.searchParams.get("user_name")).toBe("ana+1");
    expect(parts["text/plain"]).toBe(`Welcome!\nPlease confirm here: ${link.href} to start.`);
    // The link confirms the user, as the plain text's address does.
    const confirmed = await fetch(link, { headers: { host: link.host } });
    expect(confirmed.status).toBe(200);
    const user = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: app.poolId, Username: "ana+1" }),
    );
    expect(user.UserStatus).toBe("CONFIRMED");
  });

  it("sends email MFA codes with the pool's EmailMfaConfiguration", async () => {
    const pool = await mfaPool(server, {
      MfaConfiguration: "OPTIONAL",
      EmailMfaConfiguration: { Subject: "Acme sign-in", Message: "Your Acme sign-in code is {####}" },
    });
    await user(server, pool, "max", [{ Name: "email", Value: "max@example.com" }]);
    await server.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: pool.poolId,
        Username: "max",
        EmailMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const challenge = await adminSignIn(server, pool, "max");
    expect(challenge.ChallengeName).toBe("EMAIL_OTP");
    const mail = lastMail();
    expect(mail.to).toEqual(["max@example.com"]);
    expect(mail.headers.subject).toBe("Acme sign-in");
    const code = mail.body.match(/^Your Acme sign-in code is (\d{8})$/)?.[1] as string;
    expect(code).toBeDefined();
    expectTokens(await adminAnswer(server, pool, challenge, { USERNAME: "max", EMAIL_OTP_CODE: code }));
  });

  it("fails the operation when the SMTP server refuses the message", async () => {
    const poolId = await createPool(server);
    smtp.refuseWith(550);
    try {
      await expectError(
        server.client.send(
          new AdminCreateUserCommand({
            UserPoolId: poolId,
            Username: "ned",
            DesiredDeliveryMediums: ["EMAIL"],
            UserAttributes: [{ Name: "email", Value: "ned@example.com" }],
          }),
        ),
        "InvalidEmailRoleAccessPolicyException",
        "The email message could not be delivered: the SMTP server answered 550 (EMESSAGE).",
      );
    } finally {
      smtp.refuseWith(undefined);
    }
  });
});

describe("SMTP delivery with keepOutboxCopy", () => {
  it("also keeps the message in the outbox", async () => {
    const copying = await startTestServer({
      messages: {
        email: {
          smtp: { host: "127.0.0.1", port: smtp.port, auth: CREDENTIALS, from: "cognate@example.com" },
        },
        keepOutboxCopy: true,
      },
    });
    try {
      const poolId = await createPool(copying);
      await copying.client.send(
        new AdminCreateUserCommand({
          UserPoolId: poolId,
          Username: "oda",
          TemporaryPassword: "Temp0rary-pass!",
          DesiredDeliveryMediums: ["EMAIL"],
          UserAttributes: [{ Name: "email", Value: "oda@example.com" }],
        }),
      );
      expect(lastMail().to).toEqual(["oda@example.com"]);
      const [copy] = await outbox(copying, poolId);
      expect(copy).toMatchObject({ channel: "EMAIL", destination: "oda@example.com", purpose: "invitation" });
      expect(copy.message).toBe(lastMail().body);
    } finally {
      await copying.stop();
    }
  });
});
