/**
 * Sign-up confirmation by link (`DefaultEmailOption: CONFIRM_WITH_LINK`) through the real server:
 * the e-mail SignUp, ResendConfirmationCode and the domain's sign-up page send, its link followed to
 * the domain's `/confirmUser`, the CustomMessage trigger's `linkParameter`, what stays a code
 * (code pools, SMS, attribute verification, a pool without a domain), and the domain's pages after
 * a link was sent (`/confirmLinkSent` rather than the code's `/confirm`).
 */
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  ConfirmSignUpCommand,
  type CreateUserPoolCommandInput,
  CreateUserPoolDomainCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, type OutboxEntry, outbox, PASSWORD } from "../../support/fixtures.js";
import { Agent, createOAuthApp, type OAuthApp } from "../../support/oauth.js";
import { send } from "../../support/raw-http.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { SMS_CONFIGURATION } from "../mfa/support.js";
import { namedForm, noticeOn, openPage, pageUrl, redirectTarget, submit } from "../oauth/account-support.js";
import { TriggerHarness } from "../triggers/support.js";

let h: TriggerHarness;
let server: TestServer;
beforeAll(async () => {
  h = await TriggerHarness.start();
  server = h.server;
});
afterAll(async () => h.stop());

/** A pool that verifies a required e-mail address and confirms sign-ups by link. */
const LINK_POOL: Partial<CreateUserPoolCommandInput> = {
  AutoVerifiedAttributes: ["email"],
  Schema: [{ Name: "email", AttributeDataType: "String", Required: true, Mutable: true }],
  VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_LINK" },
};

const CONFIRMED_PAGE = "Your registration has been confirmed.";

function linkApp(pool: Partial<CreateUserPoolCommandInput> = {}): Promise<OAuthApp> {
  return createOAuthApp(server, { pool: { ...LINK_POOL, ...pool } });
}

function signUp(clientId: string, username: string, email: string) {
  return server.client.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: email }],
    }),
  );
}

async function latestMessage(poolId: string, destination: string): Promise<OutboxEntry> {
  const [message] = await outbox(server, { poolId, destination });
  expect(message, `a message to ${destination}`).toBeDefined();
  return message;
}

/** The message's one link: the anchor as written, its address and its text. */
function linkIn(message: string): { anchor: string; url: URL; text: string } {
  const anchors = [...message.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)];
  expect(anchors, message).toHaveLength(1);
  const [anchor, href, text] = anchors[0];
  return { anchor, url: new URL(href), text };
}

/** What the link names: the page it opens (without the query) and its parameters. */
function linkTarget(url: URL) {
  return {
    page: `${url.origin}${url.pathname}`,
    client_id: url.searchParams.get("client_id"),
    user_name: url.searchParams.get("user_name"),
    confirmation_code: url.searchParams.get("confirmation_code"),
  };
}

async function userOf(poolId: string, username: string) {
  const out = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return {
    status: out.UserStatus,
    attributes: Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name, a.Value])),
  };
}

/** Follows a link on this server (the path form of the domain) as a mail reader's browser would. */
async function follow(url: URL): Promise<{ status: number; body: string }> {
  const answer = await new Agent(server.url).get(url.href);
  return { status: answer.status, body: answer.body };
}

describe("a pool with a domain and CONFIRM_WITH_LINK", () => {
  it("sends SignUp's code as the link message, and following the link confirms the user", async () => {
    const app = await linkApp();
    const out = await signUp(app.clientId, "lena", "lena@example.com");
    expect(out.CodeDeliveryDetails).toEqual({
      AttributeName: "email",
      DeliveryMedium: "EMAIL",
      Destination: "l***@e***",
    });

    const message = await latestMessage(app.poolId, "lena@example.com");
    expect(message.channel).toBe("EMAIL");
    expect(message.subject).toBe("Your verification link");
    const link = linkIn(message.message);
    expect(message.message).toBe(`Please click the link below to verify your email address. ${link.anchor} `);
    expect(link.text).toBe("Verify Email");
    expect(linkTarget(link.url)).toEqual({
      page: `${app.base}/confirmUser`,
      client_id: app.clientId,
      user_name: "lena",
      confirmation_code: expect.stringMatching(/^\d{6}$/),
    });
    expect(await userOf(app.poolId, "lena")).toMatchObject({ status: "UNCONFIRMED" });

    const page = await follow(link.url);
    expect(page.status).toBe(200);
    expect(page.body).toContain(CONFIRMED_PAGE);
    expect(await userOf(app.poolId, "lena")).toMatchObject({
      status: "CONFIRMED",
      attributes: { email_verified: "true" },
    });
  });

  it("sends ResendConfirmationCode's code as a link too, and that link confirms", async () => {
    const app = await linkApp();
    await signUp(app.clientId, "rui", "rui@example.com");
    const first = linkIn((await latestMessage(app.poolId, "rui@example.com")).message);

    const resent = await server.client.send(
      new ResendConfirmationCodeCommand({ ClientId: app.clientId, Username: "rui" }),
    );
    expect(resent.CodeDeliveryDetails?.DeliveryMedium).toBe("EMAIL");
    const messages = await outbox(server, { poolId: app.poolId, destination: "rui@example.com" });
    expect(messages).toHaveLength(2);
    expect(messages[0].subject).toBe("Your verification link");
    const second = linkIn(messages[0].message);
    expect(second.text).toBe("Verify Email");
    expect(linkTarget(second.url)).toMatchObject({ page: linkTarget(first.url).page, user_name: "rui" });

    expect((await follow(second.url)).body).toContain(CONFIRMED_PAGE);
    expect((await userOf(app.poolId, "rui")).status).toBe("CONFIRMED");
  });

  it("uses the pool's own EmailSubjectByLink and EmailMessageByLink, and URL-encodes the username", async () => {
    const app = await linkApp({
      VerificationMessageTemplate: {
        DefaultEmailOption: "CONFIRM_WITH_LINK",
        EmailSubjectByLink: "Welcome to Acme",
        EmailMessageByLink: "Hello! {##Click here##} to finish signing up. (Not you? Ignore this.)",
      },
    });
    const username = "zoë+1&x=y";
    await signUp(app.clientId, username, "zoe@example.com");

    const message = await latestMessage(app.poolId, "zoe@example.com");
    expect(message.subject).toBe("Welcome to Acme");
    const link = linkIn(message.message);
    expect(message.message).toBe(`Hello! ${link.anchor} to finish signing up. (Not you? Ignore this.)`);
    expect(link.text).toBe("Click here");
    expect(link.anchor).toContain("user_name=zo%C3%AB%2B1%26x%3Dy&");
    expect(linkTarget(link.url).user_name).toBe(username);

    expect((await follow(link.url)).body).toContain(CONFIRMED_PAGE);
    expect((await userOf(app.poolId, username)).status).toBe("CONFIRMED");
  });

  it("sends the link for a sign-up on the domain's own page", async () => {
    const app = await linkApp();
    const agent = new Agent(server.url);
    const page = await openPage(agent, pageUrl(app, "/signup"));
    const answer = await submit(agent, page, {
      username: "paula",
      password: PASSWORD,
      "requiredAttributes[email]": "paula@example.com",
      signUpButton: "Sign up",
    });
    expect(redirectTarget(answer).path).toBe(`/_domain/${app.domain}/confirmLinkSent`);

    const message = await latestMessage(app.poolId, "paula@example.com");
    expect(message.subject).toBe("Your verification link");
    const link = linkIn(message.message);
    expect(linkTarget(link.url)).toMatchObject({ client_id: app.clientId, user_name: "paula" });
    expect((await follow(link.url)).body).toContain(CONFIRMED_PAGE);
    expect((await userOf(app.poolId, "paula")).status).toBe("CONFIRMED");
  });

  it("keeps attribute verification a code message", async () => {
    const app = await linkApp();
    await signUp(app.clientId, "omar", "omar@example.com");
    await follow(linkIn((await latestMessage(app.poolId, "omar@example.com")).message).url);

    await server.client.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: app.poolId,
        Username: "omar",
        UserAttributes: [{ Name: "email", Value: "omar@new.example" }],
      }),
    );
    const message = await latestMessage(app.poolId, "omar@new.example");
    expect(message.subject).toBe("Your verification code");
    expect(message.message).toMatch(/^Your verification code is \d{6}\. $/);
  });

  it("sends SMS sign-up codes as codes", async () => {
    const app = await linkApp({
      AutoVerifiedAttributes: ["phone_number"],
      SmsConfiguration: SMS_CONFIGURATION,
    });
    await server.client.send(
      new SignUpCommand({
        ClientId: app.clientId,
        Username: "sam",
        Password: PASSWORD,
        UserAttributes: [
          { Name: "phone_number", Value: "+15555550100" },
          { Name: "email", Value: "sam@example.com" },
        ],
      }),
    );
    const message = await latestMessage(app.poolId, "+15555550100");
    expect(message.channel).toBe("SMS");
    expect(message.message).toMatch(/^Your verification code is \d{6}\. $/);
  });
});

describe("what stays a code message", () => {
  it("a CONFIRM_WITH_CODE pool with a domain sends the code message", async () => {
    const app = await linkApp({ VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_CODE" } });
    await signUp(app.clientId, "carl", "carl@example.com");
    const message = await latestMessage(app.poolId, "carl@example.com");
    expect(message.subject).toBe("Your verification code");
    expect(message.message).toMatch(/^Your verification code is \d{6}\. $/);
  });

  it("a CONFIRM_WITH_LINK pool without a domain sends the code message, and the code confirms", async () => {
    const poolId = await createPool(server, LINK_POOL);
    const { clientId } = await createClient(server, poolId);
    await signUp(clientId, "nadia", "nadia@example.com");

    const message = await latestMessage(poolId, "nadia@example.com");
    expect(message.subject).toBe("Your verification code");
    const code = /^Your verification code is (\d{6})\. $/.exec(message.message)?.[1];
    expect(code, message.message).toBeDefined();
    await server.client.send(
      new ConfirmSignUpCommand({ ClientId: clientId, Username: "nadia", ConfirmationCode: code }),
    );
    expect((await userOf(poolId, "nadia")).status).toBe("CONFIRMED");
  });
});

describe("CustomMessage in a link pool", () => {
  const FUNCTION =
    "if (event.triggerSource === 'CustomMessage_SignUp') {\n" +
    "  event.response.emailSubject = 'Welcome to Acme';\n" +
    "  event.response.emailMessage = 'Thanks for joining. ' + event.request.linkParameter;\n" +
    "}\n" +
    "if (event.triggerSource === 'CustomMessage_ResendCode') {\n" +
    "  event.response.emailMessage = 'Your code is ' + event.request.codeParameter;\n" +
    "}\n" +
    "return event;";

  it("gets linkParameter, and the link placeholder of its text becomes the link; a code-only text stays one", async () => {
    const arn = h.define("link-custom-message", FUNCTION);
    const app = await linkApp({ LambdaConfig: { CustomMessage: arn } });
    await signUp(app.clientId, "ines", "ines@example.com");

    const event = h.onlyEvent("link-custom-message");
    expect(event.triggerSource).toBe("CustomMessage_SignUp");
    expect(event.request).toMatchObject({ codeParameter: "{####}", linkParameter: "{##Click Here##}" });
    const message = await latestMessage(app.poolId, "ines@example.com");
    expect(message.subject).toBe("Welcome to Acme");
    const link = linkIn(message.message);
    expect(message.message).toBe(`Thanks for joining. ${link.anchor}`);
    expect(link.text).toBe("Click Here");
    expect(linkTarget(link.url)).toMatchObject({ page: `${app.base}/confirmUser`, user_name: "ines" });

    await server.client.send(new ResendConfirmationCodeCommand({ ClientId: app.clientId, Username: "ines" }));
    expect(h.events("link-custom-message").at(-1)?.triggerSource).toBe("CustomMessage_ResendCode");
    const resent = await latestMessage(app.poolId, "ines@example.com");
    expect(resent.subject).toBe("Your verification link");
    const code = /^Your code is (\d{6})$/.exec(resent.message)?.[1];
    expect(code, resent.message).toBeDefined();
    await server.client.send(
      new ConfirmSignUpCommand({ ClientId: app.clientId, Username: "ines", ConfirmationCode: code }),
    );
    expect((await userOf(app.poolId, "ines")).status).toBe("CONFIRMED");
  });
});

describe("with domains.publicUrl naming the domain's host", () => {
  let hosted: TestServer;
  beforeAll(async () => {
    hosted = await startTestServer({ domains: { publicUrl: "http://{host}" } });
  });
  afterAll(async () => hosted.stop());

  it("links to the pool's custom domain, which confirms the user on that host", async () => {
    const app = await createOAuthApp(hosted, { pool: LINK_POOL });
    const custom = `auth.${app.domain}.example.com`;
    await hosted.client.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: app.poolId,
        Domain: custom,
        CustomDomainConfig: { CertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
      }),
    );
    await hosted.client.send(
      new SignUpCommand({
        ClientId: app.clientId,
        Username: "hana",
        Password: PASSWORD,
        UserAttributes: [{ Name: "email", Value: "hana@example.com" }],
      }),
    );
    const [message] = await outbox(hosted, { poolId: app.poolId, destination: "hana@example.com" });
    const link = linkIn(message.message);
    expect(linkTarget(link.url)).toMatchObject({ page: `http://${custom}/confirmUser`, user_name: "hana" });

    const page = await send(hosted.url, `${link.url.pathname}${link.url.search}`, {
      headers: { host: link.url.host },
      agent: false,
    });
    expect(page.status).toBe(200);
    expect(page.text).toContain(CONFIRMED_PAGE);
    const user = await hosted.client.send(
      new AdminGetUserCommand({ UserPoolId: app.poolId, Username: "hana" }),
    );
    expect(user.UserStatus).toBe("CONFIRMED");
  });
});

describe("the domain's pages in a link pool", () => {
  const LINK_SENT_PATH = "/confirmLinkSent";

  /** Signs up on the domain's `/signup` page; returns the redirect that follows. */
  async function signUpOnPage(agent: Agent, app: OAuthApp, fields: Record<string, string>) {
    const page = await openPage(agent, pageUrl(app, "/signup"));
    return submit(agent, page, { password: PASSWORD, ...fields, signUpButton: "Sign up" });
  }

  it("after /signup, says a link was sent to the masked address; the link confirms, and a new one is sent from the page", async () => {
    const app = await linkApp();
    const agent = new Agent(server.url);
    const answer = await signUpOnPage(agent, app, {
      username: "lucas",
      "requiredAttributes[email]": "lucas@example.com",
    });
    const { path, query } = redirectTarget(answer);
    expect(path).toBe(`/_domain/${app.domain}${LINK_SENT_PATH}`);
    expect(query.get("username")).toBe("lucas");
    expect(query.get("destination")).toBe("l***@e***");

    const page = await openPage(agent, answer.location ?? "");
    expect(page.body).toContain("<title>Check your email");
    expect(page.body).toContain(
      "We sent a confirmation link by email to l***@e***. Follow the link to confirm your account.",
    );
    // Nothing to type: no code form, no code wording.
    expect(page.body).not.toContain("confirmForm");
    expect(page.body).not.toContain("verification_code");
    expect(page.body).not.toMatch(/a code/i);
    expect(page.body).toContain(`href="/_domain/${app.domain}/login?`);
    expect(page.body).toContain(">Back to sign in</a>");

    // "Send a new link" posts to /resendcode, which sends a new link e-mail and comes back here.
    const resend = namedForm(page.body, "resendCodeForm");
    expect(resend.action).toBe(`/_domain/${app.domain}/resendcode?${pageUrl(app, "").split("?")[1]}`);
    expect(resend.hidden.username).toBe("lucas");
    expect(page.body).toContain(">Send a new link</button>");
    const resent = await agent.post(resend.action, resend.hidden);
    expect(redirectTarget(resent).path).toBe(`/_domain/${app.domain}${LINK_SENT_PATH}`);
    const messages = await outbox(server, { poolId: app.poolId, destination: "lucas@example.com" });
    expect(messages.map((m) => m.subject)).toEqual(["Your verification link", "Your verification link"]);
    const after = await openPage(agent, resent.location ?? "");
    expect(noticeOn(after.body)).toBe("We sent you a new link.");
    expect(after.body).toContain("We sent a confirmation link by email to l***@e***.");

    expect(await userOf(app.poolId, "lucas")).toMatchObject({ status: "UNCONFIRMED" });
    const page2 = await follow(linkIn(messages[0].message).url);
    expect(page2.body).toContain(CONFIRMED_PAGE);
    expect(await userOf(app.poolId, "lucas")).toMatchObject({
      status: "CONFIRMED",
      attributes: { email_verified: "true" },
    });
  });

  it("after POST /login for a user not yet confirmed, sends a new link and shows the link's page", async () => {
    const app = await linkApp();
    await signUp(app.clientId, "mila", "mila@example.com");
    const agent = new Agent(server.url);
    const login = await openPage(agent, pageUrl(app, "/login"));
    const answer = await submit(agent, login, { username: "mila", password: PASSWORD });
    expect(redirectTarget(answer).path).toBe(`/_domain/${app.domain}${LINK_SENT_PATH}`);
    const page = await openPage(agent, answer.location ?? "");
    expect(page.body).toContain("We sent a confirmation link by email to m***@e***.");

    const messages = await outbox(server, { poolId: app.poolId, destination: "mila@example.com" });
    expect(messages).toHaveLength(2);
    expect((await follow(linkIn(messages[0].message).url)).body).toContain(CONFIRMED_PAGE);
    expect((await userOf(app.poolId, "mila")).status).toBe("CONFIRMED");
  });

  it("is the same page, one card, on a managed login (version 2) domain", async () => {
    const app = await createOAuthApp(server, { pool: LINK_POOL, managedLoginVersion: 2, styled: true });
    const agent = new Agent(server.url);
    const answer = await signUpOnPage(agent, app, {
      username: "vivi",
      "requiredAttributes[email]": "vivi@example.com",
    });
    expect(redirectTarget(answer).path).toBe(`/_domain/${app.domain}${LINK_SENT_PATH}`);
    const page = await openPage(agent, answer.location ?? "");
    expect(page.body).not.toContain("modal-content-mobile");
    expect(page.body.match(/name="resendCodeForm"/g)).toHaveLength(1);
    expect(page.body).toContain("We sent a confirmation link by email to v***@e***.");
  });

  it("keeps /confirm in a code pool", async () => {
    const app = await linkApp({ VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_CODE" } });
    const agent = new Agent(server.url);
    const answer = await signUpOnPage(agent, app, {
      username: "cora",
      "requiredAttributes[email]": "cora@example.com",
    });
    expect(redirectTarget(answer).path).toBe(`/_domain/${app.domain}/confirm`);
    // Its "Send a new code" comes back to /confirm too.
    const page = await openPage(agent, answer.location ?? "");
    const resend = namedForm(page.body, "resendCodeForm");
    expect(redirectTarget(await agent.post(resend.action, resend.hidden)).path).toBe(
      `/_domain/${app.domain}/confirm`,
    );
  });

  it("keeps /confirm for a code sent by SMS in a link pool", async () => {
    const app = await linkApp({
      AutoVerifiedAttributes: ["phone_number"],
      SmsConfiguration: SMS_CONFIGURATION,
      Schema: [
        { Name: "email", AttributeDataType: "String", Required: true, Mutable: true },
        { Name: "phone_number", AttributeDataType: "String", Required: true, Mutable: true },
      ],
    });
    const agent = new Agent(server.url);
    const answer = await signUpOnPage(agent, app, {
      username: "theo",
      "requiredAttributes[email]": "theo@example.com",
      "requiredAttributes[phone_number]": "+15555550101",
    });
    const { path, query } = redirectTarget(answer);
    expect(path).toBe(`/_domain/${app.domain}/confirm`);
    expect(query.get("deliveryMedium")).toBe("SMS");
    const page = await openPage(agent, answer.location ?? "");
    expect(page.body).toContain("We sent a code by text message to");
    expect((await latestMessage(app.poolId, "+15555550101")).channel).toBe("SMS");
  });
});
