/**
 * Password reset on a pool's domain through the real server: `/forgotPassword`, then
 * `/confirmForgotPassword`, then back to `/login`; `POST /login` for a user whose password must be
 * reset; what a client that prevents user existence errors shows; the triggers with their sources.
 */
import { AdminResetUserPasswordCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, outbox, PASSWORD } from "../../support/fixtures.js";
import { Agent, authorizeQuery, createOAuthApp, type OAuthApp } from "../../support/oauth.js";
import type { TestServer } from "../../support/server.js";
import { RETURN_EVENT, TriggerHarness } from "../triggers/support.js";
import {
  errorOn,
  latestCode,
  namedForm,
  noticeOn,
  openPage,
  otherCode,
  pageUrl,
  redirectTarget,
  submit,
} from "./account-support.js";

const NEW_PASSWORD = "Brand-new-pass9";

let h: TriggerHarness;
let server: TestServer;
let app: OAuthApp;
/** The same pool through a client that prevents user existence errors. */
let hiding: OAuthApp;

beforeAll(async () => {
  h = await TriggerHarness.start();
  server = h.server;
  app = await createOAuthApp(server);
  hiding = await createOAuthApp(server, {
    poolId: app.poolId,
    client: { PreventUserExistenceErrors: "ENABLED" },
  });
  hiding.domain = app.domain;
  hiding.base = app.base;
});
afterAll(async () => h.stop());

let userCounter = 0;

/** A confirmed user of the app's pool with a verified email; its name. */
async function verifiedUser(target: OAuthApp = app): Promise<string> {
  userCounter += 1;
  const username = `reset-${userCounter}`;
  await createUser(server, target.poolId, username, {
    attributes: [
      { Name: "email", Value: `${username}@example.com` },
      { Name: "email_verified", Value: "true" },
    ],
  });
  return username;
}

/** Asks for a code on `/forgotPassword`; returns the answer. */
async function askForCode(agent: Agent, target: OAuthApp, username: string) {
  const page = await openPage(agent, pageUrl(target, "/forgotPassword"));
  return submit(agent, page, { username, reset_my_password: "Send code" });
}

/** Asks for a code and opens the page that takes it. */
async function atResetPage(agent: Agent, target: OAuthApp, username: string) {
  const answer = await askForCode(agent, target, username);
  expect(redirectTarget(answer).path).toBe(`/_domain/${target.domain}/confirmForgotPassword`);
  return openPage(agent, answer.location ?? "");
}

async function signsIn(agent: Agent, target: OAuthApp, username: string, password: string) {
  const login = await openPage(agent, pageUrl(target, "/login"));
  return submit(agent, login, { username, password });
}

describe("/forgotPassword", () => {
  it("shows the form, sends the code (CustomMessage_ForgotPassword) and goes on to /confirmForgotPassword", async () => {
    const message = h.define("recovery-message", RETURN_EVENT);
    const target = await createOAuthApp(server, { pool: { LambdaConfig: { CustomMessage: message } } });
    const username = await verifiedUser(target);
    const agent = new Agent(server.url);
    const page = await openPage(agent, pageUrl(target, "/forgotPassword"));
    expect(namedForm(page.body, "forgotPasswordForm").action).toBe(
      `/_domain/${target.domain}/forgotPassword?${authorizeQuery(target)}`,
    );
    expect(page.body).toContain('id="forgotPasswordUsername" name="username"');
    expect(page.body).toContain(`href="/_domain/${target.domain}/login?`);

    const answer = await submit(agent, page, { username });
    const { path, query } = redirectTarget(answer);
    expect(path).toBe(`/_domain/${target.domain}/confirmForgotPassword`);
    for (const [name, value] of authorizeQuery(target)) expect(query.get(name)).toBe(value);
    expect(query.get("username")).toBe(username);
    expect(query.get("destination")).toBe("r***@e***");
    expect(query.get("deliveryMedium")).toBe("EMAIL");
    expect(h.onlyEvent("recovery-message")).toMatchObject({
      triggerSource: "CustomMessage_ForgotPassword",
      callerContext: { clientId: target.clientId },
    });
    expect((await outbox(server, { poolId: target.poolId }))[0].purpose).toBe("forgot-password");
  });

  it("shows Cognito's refusals", async () => {
    const agent = new Agent(server.url);
    expect(errorOn((await askForCode(agent, app, "ghost")).body)).toBe(
      "Username/client id combination not found.",
    );
    await createUser(server, app.poolId, "no-email");
    expect(errorOn((await askForCode(agent, app, "no-email")).body)).toBe(
      "Cannot reset password for the user as there is no registered/verified email or phone_number",
    );
    const page = await askForCode(agent, app, "");
    expect(errorOn(page.body)).toBe(
      "2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1; Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
  });

  it("creates a user the UserMigration function vouches for (UserMigration_ForgotPassword)", async () => {
    const migrate = h.define(
      "recovery-migrate",
      "event.response.userAttributes = { email: 'legacy@example.com', email_verified: 'true' };\n" +
        "event.response.messageAction = 'SUPPRESS';\nreturn event;",
    );
    const target = await createOAuthApp(server, { pool: { LambdaConfig: { UserMigration: migrate } } });
    const agent = new Agent(server.url);
    const page = await atResetPage(agent, target, "legacy");
    expect(h.onlyEvent("recovery-migrate")).toMatchObject({
      triggerSource: "UserMigration_ForgotPassword",
      userName: "legacy",
    });
    const code = await latestCode(server, target.poolId, "legacy@example.com");
    const done = await submit(agent, page, {
      ...namedForm(page.body, "confirmForgotPasswordForm").hidden,
      code,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(redirectTarget(done).path).toBe(`/_domain/${target.domain}/login`);
    const signedIn = await signsIn(agent, target, "legacy", NEW_PASSWORD);
    expect(signedIn.location?.startsWith(`${target.redirectUri}?code=`)).toBe(true);
  });
});

describe("/confirmForgotPassword", () => {
  it("takes the code and the new password, then sends the browser to sign in with a notice", async () => {
    const post = h.define("recovery-post-confirmation", RETURN_EVENT);
    const target = await createOAuthApp(server, { pool: { LambdaConfig: { PostConfirmation: post } } });
    const username = await verifiedUser(target);
    const agent = new Agent(server.url);
    const page = await atResetPage(agent, target, username);
    const form = namedForm(page.body, "confirmForgotPasswordForm");
    expect(form.action).toBe(`/_domain/${target.domain}/confirmForgotPassword?${authorizeQuery(target)}`);
    expect(form.hidden).toMatchObject({ username, destination: "r***@e***", deliveryMedium: "EMAIL" });
    expect(page.body).toContain("We sent a code by email to r***@e***.");
    expect(page.body).toContain('id="forgot_password_code" name="code"');
    expect(page.body).toContain('id="new_password" name="password"');
    expect(page.body).toContain('id="confirm_password" name="confirmPassword"');
    expect(page.body).toContain("<li>At least 8 characters</li>");

    const code = await latestCode(server, target.poolId, `${username}@example.com`);
    const cases: [Record<string, string>, string][] = [
      [
        { code, password: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}x` },
        "The passwords you entered do not match.",
      ],
      [
        { code, password: "short", confirmPassword: "short" },
        "Password does not conform to policy: Password not long enough",
      ],
      [
        { code: otherCode(code), password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
        "Invalid verification code provided, please try again.",
      ],
    ];
    let current = page;
    for (const [fields, message] of cases) {
      current = await submit(agent, current, { ...form.hidden, ...fields });
      expect(current.status).toBe(200);
      expect(errorOn(current.body)).toBe(message);
    }
    const done = await submit(agent, current, {
      ...form.hidden,
      code,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    const { path, query } = redirectTarget(done);
    expect(path).toBe(`/_domain/${target.domain}/login`);
    expect(query.toString()).toBe(authorizeQuery(target).toString());
    expect(h.onlyEvent("recovery-post-confirmation")).toMatchObject({
      triggerSource: "PostConfirmation_ConfirmForgotPassword",
    });

    const login = await openPage(agent, done.location ?? "");
    expect(noticeOn(login.body)).toBe("Your password has been changed. Sign in with your new password.");
    const signedIn = await submit(agent, login, { username, password: NEW_PASSWORD });
    expect(signedIn.location?.startsWith(`${target.redirectUri}?code=`)).toBe(true);
    expect(errorOn((await signsIn(new Agent(server.url), target, username, PASSWORD)).body)).toBe(
      "Incorrect username or password.",
    );
  });

  it("sends a new code from the page", async () => {
    const username = await verifiedUser();
    const agent = new Agent(server.url);
    const page = await atResetPage(agent, app, username);
    const before = await outbox(server, { poolId: app.poolId, destination: `${username}@example.com` });
    const resend = namedForm(page.body, "resendResetCodeForm");
    expect(resend.action).toBe(`/_domain/${app.domain}/forgotPassword?${authorizeQuery(app)}`);
    const answer = await agent.post(resend.action, resend.hidden);
    expect(redirectTarget(answer).path).toBe(`/_domain/${app.domain}/confirmForgotPassword`);
    const after = await outbox(server, { poolId: app.poolId, destination: `${username}@example.com` });
    expect(after.length).toBe(before.length + 1);
  });
});

describe("a client that prevents user existence errors", () => {
  it("answers an unknown user as it answers a known one", async () => {
    const known = await verifiedUser();
    // One browser each: a page's GET rotates the CSRF token of its browser.
    const [ghostAgent, knownAgent] = [new Agent(server.url), new Agent(server.url)];
    const sentBefore = (await outbox(server, { poolId: app.poolId })).length;

    const ghostPage = await atResetPage(ghostAgent, hiding, "ghost");
    // Something plausible, and nothing sent.
    expect(ghostPage.body).toContain("We sent a code by email to g***@x***.");
    expect((await outbox(server, { poolId: app.poolId })).length).toBe(sentBefore);

    const knownPage = await atResetPage(knownAgent, hiding, known);
    expect(knownPage.body).toContain("We sent a code by email to r***@e***.");

    for (const [agent, page] of [
      [ghostAgent, ghostPage],
      [knownAgent, knownPage],
    ] as const) {
      const fields = namedForm(page.body, "confirmForgotPasswordForm").hidden;
      const weak = await submit(agent, page, {
        ...fields,
        code: "123456",
        password: "short",
        confirmPassword: "short",
      });
      expect(errorOn(weak.body)).toBe("Password does not conform to policy: Password not long enough");
      const wrong = await submit(agent, weak, {
        ...fields,
        code: "000000",
        password: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      });
      expect(errorOn(wrong.body)).toBe("Invalid verification code provided, please try again.");
    }
  });
});

describe("POST /login for a user whose password must be reset", () => {
  it("sends a reset code and goes to /confirmForgotPassword, after which the new password signs in", async () => {
    const username = await verifiedUser();
    await server.client.send(
      new AdminResetUserPasswordCommand({ UserPoolId: app.poolId, Username: username }),
    );
    const agent = new Agent(server.url);
    const answer = await signsIn(agent, app, username, PASSWORD);
    const { path, query } = redirectTarget(answer);
    expect(path).toBe(`/_domain/${app.domain}/confirmForgotPassword`);
    expect(query.get("username")).toBe(username);
    expect(query.get("destination")).toBe("r***@e***");

    const page = await openPage(agent, answer.location ?? "");
    const code = await latestCode(server, app.poolId, `${username}@example.com`);
    const done = await submit(agent, page, {
      ...namedForm(page.body, "confirmForgotPasswordForm").hidden,
      code,
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });
    expect(redirectTarget(done).path).toBe(`/_domain/${app.domain}/login`);
    const signedIn = await signsIn(agent, app, username, NEW_PASSWORD);
    expect(signedIn.location?.startsWith(`${app.redirectUri}?code=`)).toBe(true);
  });
});
