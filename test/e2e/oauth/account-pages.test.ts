/**
 * The sign-up pages of a pool's domain through the real server, as a browser without JavaScript
 * walks them: `/signup`, `/confirm`, `/resendcode`, `/confirmUser`, and `POST /login` for a user
 * who has not confirmed yet. Each page's success, its errors in Cognito's words, CSRF, the
 * authorization request's checks, and the triggers with their trigger sources.
 */
import {
  AdminGetUserCommand,
  CreateTermsCommand,
  SignUpCommand,
  type SignUpCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, PASSWORD } from "../../support/fixtures.js";
import {
  Agent,
  authorizeQuery,
  callbackParameters,
  createOAuthApp,
  hiddenField,
  jwtPayload,
  type OAuthApp,
  tokenRequest,
} from "../../support/oauth.js";
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

let h: TriggerHarness;
let server: TestServer;
/** A pool that requires an email and verifies it, with a password policy of its own. */
let app: OAuthApp;

beforeAll(async () => {
  h = await TriggerHarness.start();
  server = h.server;
  app = await createOAuthApp(server, {
    pool: {
      AutoVerifiedAttributes: ["email"],
      Schema: [{ Name: "email", AttributeDataType: "String", Required: true, Mutable: true }],
      Policies: {
        PasswordPolicy: {
          MinimumLength: 10,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: false,
        },
      },
    },
  });
});
afterAll(async () => h.stop());

async function userOf(poolId: string, username: string) {
  const out = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return {
    status: out.UserStatus,
    attributes: Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name, a.Value])),
  };
}

/** Fills in the sign-up form; returns the answer to it. */
async function signUpOnPage(
  agent: Agent,
  target: OAuthApp,
  fields: { username: string; password?: string; email?: string; [name: string]: string | undefined },
) {
  const page = await openPage(agent, pageUrl(target, "/signup"));
  const { username, password, email, ...rest } = fields;
  const form: Record<string, string> = { username, password: password ?? PASSWORD };
  if (email !== undefined) form["requiredAttributes[email]"] = email;
  for (const [name, value] of Object.entries(rest)) if (value !== undefined) form[name] = value;
  return submit(agent, page, { ...form, signUpButton: "Sign up" });
}

/** Signs up on the page and follows the redirect to `/confirm`; returns that page. */
async function signedUpAndAtConfirm(agent: Agent, target: OAuthApp, username: string, email: string) {
  const answer = await signUpOnPage(agent, target, { username, email });
  const { path } = redirectTarget(answer);
  expect(path).toMatch(/\/confirm$/);
  return openPage(agent, answer.location ?? "");
}

function signUpViaApi(input: Partial<SignUpCommandInput> & { ClientId: string; Username: string }) {
  return server.client.send(new SignUpCommand({ Password: PASSWORD, ...input }));
}

describe("/signup", () => {
  it("shows the classic form with the pool's required attributes and password rules", async () => {
    const agent = new Agent(server.url);
    const page = await openPage(agent, pageUrl(app, "/signup"));
    const query = authorizeQuery(app).toString();
    expect(namedForm(page.body, "signupform").action).toBe(`/_domain/${app.domain}/signup?${query}`);
    expect(page.body).toContain('method="post" class="cognito-asf"');
    expect(hiddenField(page.body, "_csrf")).toBe(agent.cookies.get("XSRF-TOKEN"));
    expect(page.body).toContain('name="username"');
    expect(page.body).toContain('name="requiredAttributes[email]" type="email"');
    expect(page.body).toContain('name="password" type="password"');
    expect(page.body).toContain('<button type="submit" name="signUpButton"');
    for (const rule of ["At least 10 characters", "A lowercase letter", "An uppercase letter", "A number"]) {
      expect(page.body).toContain(`<li>${rule}</li>`);
    }
    expect(page.body).not.toContain("A special character");
    expect(page.body).toContain(`href="/_domain/${app.domain}/login?${query.replaceAll("&", "&amp;")}"`);
  });

  it("shows one card on a managed login (version 2) domain, with the same field names", async () => {
    const target = await createOAuthApp(server, { managedLoginVersion: 2, styled: true });
    const page = await openPage(new Agent(server.url), pageUrl(target, "/signup"));
    expect(page.body.match(/<form action="[^"]*" name="signupform"/g)).toHaveLength(1);
    expect(page.body).not.toContain("modal-content-mobile");
    expect(page.body).toContain('name="username"');
    expect(page.body).toContain('name="password"');
  });

  it("links the client's terms on managed login once both documents exist, in the page's language", async () => {
    const target = await createOAuthApp(server, { managedLoginVersion: 2, styled: true });
    const terms = (name: "terms-of-use" | "privacy-policy") =>
      server.client.send(
        new CreateTermsCommand({
          UserPoolId: target.poolId,
          ClientId: target.clientId,
          TermsName: name,
          TermsSource: "LINK",
          Enforcement: "NONE",
          Links: {
            "cognito:default": `https://app.example.com/${name}`,
            "cognito:french": `https://app.example.com/fr/${name}`,
          },
        }),
      );
    await terms("terms-of-use");
    const oneDocument = await openPage(new Agent(server.url), pageUrl(target, "/signup"));
    expect(oneDocument.body).not.toContain('class="legalText-customizable"');
    await terms("privacy-policy");
    const page = await openPage(new Agent(server.url), pageUrl(target, "/signup"));
    expect(page.body).toContain('href="https://app.example.com/terms-of-use"');
    expect(page.body).toContain('href="https://app.example.com/privacy-policy"');
    const french = await openPage(new Agent(server.url), pageUrl(target, "/signup", { lang: "fr" }));
    expect(french.body).toContain('href="https://app.example.com/fr/privacy-policy"');
  });

  it("creates the user, sends the code (CustomMessage_SignUp) and goes on to /confirm", async () => {
    const message = h.define("account-signup-message", RETURN_EVENT);
    const pre = h.define("account-signup-pre", RETURN_EVENT);
    const target = await createOAuthApp(server, {
      pool: { AutoVerifiedAttributes: ["email"], LambdaConfig: { PreSignUp: pre, CustomMessage: message } },
    });
    const agent = new Agent(server.url);
    const answer = await signUpOnPage(agent, target, {
      username: "nina",
      "requiredAttributes[email]": "nina@example.com",
    });
    const { path, query } = redirectTarget(answer);
    expect(path).toBe(`/_domain/${target.domain}/confirm`);
    for (const [name, value] of authorizeQuery(target)) expect(query.get(name)).toBe(value);
    expect(query.get("username")).toBe("nina");
    expect(query.get("destination")).toBe("n***@e***");
    expect(query.get("deliveryMedium")).toBe("EMAIL");

    expect(await userOf(target.poolId, "nina")).toMatchObject({
      status: "UNCONFIRMED",
      attributes: { email: "nina@example.com" },
    });
    expect(h.onlyEvent("account-signup-pre")).toMatchObject({
      triggerSource: "PreSignUp_SignUp",
      userName: "nina",
      callerContext: { clientId: target.clientId },
      request: { userAttributes: { email: "nina@example.com" } },
    });
    expect(h.onlyEvent("account-signup-message")).toMatchObject({ triggerSource: "CustomMessage_SignUp" });
    expect((await outbox(server, { poolId: target.poolId }))[0]).toMatchObject({
      purpose: "signup",
      destination: "nina@example.com",
    });
  });

  it("shows Cognito's messages for what SignUp refuses, keeping what was typed", async () => {
    const agent = new Agent(server.url);
    await signUpViaApi({
      ClientId: app.clientId,
      Username: "taken",
      UserAttributes: [{ Name: "email", Value: "taken@example.com" }],
    });
    const cases: [Record<string, string>, string][] = [
      [{ username: "taken", email: "t2@example.com" }, "User already exists"],
      [
        { username: "shorty", email: "s@example.com", password: "Short1" },
        "Password did not conform with policy: Password not long enough",
      ],
      [
        { username: "lower", email: "l@example.com", password: "alllowercase1" },
        "Password did not conform with policy: Password must have uppercase characters",
      ],
      [
        { username: "noemail" },
        "Attributes did not conform to the schema: email: The attribute is required\n",
      ],
      [{ username: "bademail", email: "not-an-email" }, "Invalid email address format."],
    ];
    for (const [fields, message] of cases) {
      const page = await signUpOnPage(agent, app, { username: fields.username, ...fields });
      expect(page.status).toBe(200);
      expect(errorOn(page.body)).toBe(message);
      // What was typed is kept, the password is not.
      expect(page.body).toContain(`value="${fields.username}"`);
      expect(page.body).not.toContain(`value="${fields.password ?? PASSWORD}"`);
    }
  });

  it("checks the username and password as the model constrains SignUp's", async () => {
    const agent = new Agent(server.url);
    const page = await signUpOnPage(agent, app, { username: "two words", email: "tw@example.com" });
    expect(errorOn(page.body)).toBe(
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
  });

  it("writes only what the app client may write", async () => {
    const target = await createOAuthApp(server, {
      pool: {
        Schema: [
          { Name: "given_name", AttributeDataType: "String", Required: true, Mutable: true },
          { Name: "team", AttributeDataType: "String", Mutable: true },
        ],
      },
      client: { WriteAttributes: ["given_name"] },
    });
    const agent = new Agent(server.url);
    const form = await openPage(agent, pageUrl(target, "/signup"));
    expect(form.body).toContain('name="requiredAttributes[given_name]" type="text"');
    expect(form.body).not.toContain("custom:team");
    // A script may post more than the form asks for; the client's permissions decide.
    const page = await signUpOnPage(agent, target, {
      username: "ana",
      "requiredAttributes[given_name]": "Ana",
      "requiredAttributes[custom:team]": "blue",
    });
    expect(errorOn(page.body)).toBe("A client attempted to write unauthorized attribute");
    const allowed = await signUpOnPage(agent, target, {
      username: "ana",
      "requiredAttributes[given_name]": "Ana",
    });
    expect(allowed.status).toBe(302);
    expect((await userOf(target.poolId, "ana")).attributes.given_name).toBe("Ana");
  });

  it("asks for the email as username in pools that sign in with it", async () => {
    const target = await createOAuthApp(server, {
      pool: { UsernameAttributes: ["email"], AutoVerifiedAttributes: ["email"] },
    });
    const agent = new Agent(server.url);
    const form = await openPage(agent, pageUrl(target, "/signup"));
    expect(form.body).toContain(
      '<span class="label-customizable">Email</span><input id="signUpFormUsername" name="username" type="email"',
    );
    expect(form.body).not.toContain("requiredAttributes[email]");
    expect(errorOn((await signUpOnPage(agent, target, { username: "not-an-email" })).body)).toBe(
      "Username should be an email.",
    );
    const answer = await signUpOnPage(agent, target, { username: "eve@example.com" });
    expect(redirectTarget(answer).query.get("username")).toBe("eve@example.com");
    expect((await userOf(target.poolId, "eve@example.com")).attributes.email).toBe("eve@example.com");
  });

  it("is refused where only administrators create users, and the sign-in page does not offer it", async () => {
    const target = await createOAuthApp(server, {
      pool: { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } },
    });
    const agent = new Agent(server.url);
    const page = await openPage(agent, pageUrl(target, "/signup"));
    expect(errorOn(page.body)).toBe("SignUp is not permitted for this user pool");
    expect(page.body).not.toContain("signupform");
    const answer = await agent.post(pageUrl(target, "/signup"), {
      _csrf: agent.cookies.get("XSRF-TOKEN") ?? "",
      username: "walk-in",
      password: PASSWORD,
    });
    expect(errorOn(answer.body)).toBe("SignUp is not permitted for this user pool");
    const login = await openPage(agent, pageUrl(target, "/login"));
    expect(login.body).not.toContain("/signup?");
  });

  it("sends a PreSignUp refusal to the app", async () => {
    const pre = h.define("account-signup-refuse", 'throw new Error("Invitations only");');
    const target = await createOAuthApp(server, {
      pool: { AutoVerifiedAttributes: ["email"], LambdaConfig: { PreSignUp: pre } },
    });
    const answer = await signUpOnPage(new Agent(server.url), target, {
      username: "gate",
      "requiredAttributes[email]": "gate@example.com",
    });
    expect(answer.status).toBe(302);
    expect(answer.location).toBe(
      `${target.redirectUri}?error_description=PreSignUp+failed+with+error+Invitations+only.+&state=state-123&error=invalid_request`,
    );
  });

  it("signs a user PreSignUp confirmed straight in, and the app gets a grant", async () => {
    const pre = h.define(
      "account-signup-auto",
      "event.response.autoConfirmUser = true; event.response.autoVerifyEmail = true; return event;",
    );
    const post = h.define("account-signup-auto-post", RETURN_EVENT);
    const target = await createOAuthApp(server, {
      pool: {
        AutoVerifiedAttributes: ["email"],
        LambdaConfig: { PreSignUp: pre, PostConfirmation: post, PostAuthentication: post },
      },
    });
    const agent = new Agent(server.url);
    const answer = await signUpOnPage(agent, target, {
      username: "auto",
      "requiredAttributes[email]": "auto@example.com",
    });
    expect(answer.location?.startsWith(`${target.redirectUri}?code=`)).toBe(true);
    expect(agent.cookies.has("cognito")).toBe(true);
    expect(h.events("account-signup-auto-post").map((e) => e.triggerSource)).toEqual([
      "PostConfirmation_ConfirmSignUp",
      "PostAuthentication_Authentication",
    ]);
    const tokens = await tokenRequest(target, {
      grant_type: "authorization_code",
      client_id: target.clientId,
      code: callbackParameters(answer.location).get("code") ?? "",
      redirect_uri: target.redirectUri,
    });
    expect(tokens.status).toBe(200);
    expect(jwtPayload(tokens.body.id_token)).toMatchObject({
      "cognito:username": "auto",
      email_verified: true,
    });
    expect(await outbox(server, { poolId: target.poolId })).toEqual([]);
  });
});

describe("/confirm", () => {
  it("shows the code form with the fields Cognito's has", async () => {
    const agent = new Agent(server.url);
    const page = await signedUpAndAtConfirm(agent, app, "cora", "cora@example.com");
    const form = namedForm(page.body, "confirmForm");
    expect(form.action).toBe(`/_domain/${app.domain}/confirm?${authorizeQuery(app)}`);
    expect(form.hidden).toMatchObject({
      username: "cora",
      destination: "c***@e***",
      deliveryMedium: "EMAIL",
    });
    expect(page.body).toContain('id="verification_code" name="code"');
    expect(page.body).toContain('<button type="submit" name="confirm"');
    expect(page.body).toContain("We sent a code by email to c***@e***.");
    expect(namedForm(page.body, "resendCodeForm")).toEqual({
      action: `/_domain/${app.domain}/resendcode?${authorizeQuery(app)}`,
      hidden: { _csrf: hiddenField(page.body, "_csrf"), username: "cora" },
    });
  });

  it("confirms with the code, signs the user in and gives the app a grant", async () => {
    const agent = new Agent(server.url);
    const page = await signedUpAndAtConfirm(agent, app, "dora", "dora@example.com");
    const code = await latestCode(server, app.poolId, "dora@example.com");
    const fields = namedForm(page.body, "confirmForm").hidden;

    const wrong = await submit(agent, page, { ...fields, code: otherCode(code), confirm: "Confirm account" });
    expect(wrong.status).toBe(200);
    expect(errorOn(wrong.body)).toBe("Invalid verification code provided, please try again.");
    expect(namedForm(wrong.body, "confirmForm").hidden).toMatchObject({ username: "dora" });

    const right = await submit(agent, wrong, { ...fields, code });
    expect(right.status).toBe(302);
    const callback = callbackParameters(right.location);
    expect(right.location?.startsWith(`${app.redirectUri}?code=`)).toBe(true);
    expect(callback.get("state")).toBe("state-123");
    expect(await userOf(app.poolId, "dora")).toMatchObject({
      status: "CONFIRMED",
      attributes: { email_verified: "true" },
    });
    const tokens = await tokenRequest(app, {
      grant_type: "authorization_code",
      client_id: app.clientId,
      code: callback.get("code") ?? "",
      redirect_uri: app.redirectUri,
    });
    expect(tokens.status).toBe(200);
    expect(jwtPayload(tokens.body.access_token)).toMatchObject({ username: "dora", scope: "openid email" });

    // The browser session: the next authorization request is granted without a page.
    const again = await agent.get(`${app.base}/oauth2/authorize?${authorizeQuery(app)}`);
    expect(again.location?.startsWith(`${app.redirectUri}?code=`)).toBe(true);

    const twice = await submit(agent, page, { ...fields, code });
    expect(errorOn(twice.body)).toBe("User cannot be confirmed. Current status is CONFIRMED");
  });

  it("runs PostConfirmation, PostAuthentication and PreTokenGeneration with the hosted sources", async () => {
    const recorder = h.define("account-confirm-triggers", RETURN_EVENT);
    const target = await createOAuthApp(server, {
      pool: {
        AutoVerifiedAttributes: ["email"],
        LambdaConfig: {
          PostConfirmation: recorder,
          PostAuthentication: recorder,
          PreTokenGeneration: recorder,
          PreAuthentication: recorder,
        },
      },
    });
    const agent = new Agent(server.url);
    const page = await signedUpAndAtConfirm(agent, target, "tess", "tess@example.com");
    const code = await latestCode(server, target.poolId, "tess@example.com");
    const answer = await submit(agent, page, { ...namedForm(page.body, "confirmForm").hidden, code });
    expect(answer.location?.startsWith(`${target.redirectUri}?code=`)).toBe(true);
    expect(h.events("account-confirm-triggers").map((e) => e.triggerSource)).toEqual([
      "PostConfirmation_ConfirmSignUp",
      "PostAuthentication_Authentication",
      "TokenGeneration_HostedAuth",
    ]);
  });

  it("sends a PostConfirmation failure to the app", async () => {
    const failing = h.define("account-confirm-fail", 'throw new Error("CRM is down");');
    const target = await createOAuthApp(server, {
      pool: { AutoVerifiedAttributes: ["email"], LambdaConfig: { PostConfirmation: failing } },
    });
    const agent = new Agent(server.url);
    const page = await signedUpAndAtConfirm(agent, target, "fay", "fay@example.com");
    const code = await latestCode(server, target.poolId, "fay@example.com");
    const answer = await submit(agent, page, { ...namedForm(page.body, "confirmForm").hidden, code });
    expect(answer.location).toBe(
      `${target.redirectUri}?error_description=PostConfirmation+failed+with+error+CRM+is+down.+&state=state-123&error=invalid_request`,
    );
  });

  it("asks for the username when the page is opened without one", async () => {
    const page = await openPage(new Agent(server.url), pageUrl(app, "/confirm"));
    expect(page.body).toContain('id="confirmFormUsername" name="username"');
    expect(page.body).toContain("We sent you a code.");
    expect(page.body).not.toContain("resendCodeForm");
  });
});

describe("/resendcode", () => {
  it("sends a new code (CustomMessage_ResendCode) and goes back to /confirm with a notice", async () => {
    const message = h.define("account-resend-message", RETURN_EVENT);
    const target = await createOAuthApp(server, {
      pool: { AutoVerifiedAttributes: ["email"], LambdaConfig: { CustomMessage: message } },
    });
    const agent = new Agent(server.url);
    const page = await signedUpAndAtConfirm(agent, target, "rita", "rita@example.com");
    const first = await latestCode(server, target.poolId, "rita@example.com");
    const resend = namedForm(page.body, "resendCodeForm");
    const answer = await agent.post(resend.action, resend.hidden);
    const { path, query } = redirectTarget(answer);
    expect(path).toBe(`/_domain/${target.domain}/confirm`);
    expect(query.get("username")).toBe("rita");
    expect(query.get("destination")).toBe("r***@e***");
    expect(h.events("account-resend-message").map((e) => e.triggerSource)).toEqual([
      "CustomMessage_SignUp",
      "CustomMessage_ResendCode",
    ]);

    const confirm = await openPage(agent, answer.location ?? "");
    expect(noticeOn(confirm.body)).toBe("We sent you a new code.");
    // Once: a reload does not repeat it.
    const reloaded = await openPage(agent, answer.location ?? "");
    expect(noticeOn(reloaded.body)).toBeUndefined();

    // The new code replaces the first one.
    const second = await latestCode(server, target.poolId, "rita@example.com");
    const fields = namedForm(reloaded.body, "confirmForm").hidden;
    if (first !== second) {
      const stale = await submit(agent, reloaded, { ...fields, code: first });
      expect(errorOn(stale.body)).toBe("Invalid verification code provided, please try again.");
    }
    const done = await submit(agent, reloaded, { ...fields, code: second });
    expect(done.location?.startsWith(`${target.redirectUri}?code=`)).toBe(true);
  });

  it("opened as a link, asks for the username and shows Cognito's refusals", async () => {
    const agent = new Agent(server.url);
    const page = await openPage(agent, pageUrl(app, "/resendcode", { username: "ghost" }));
    expect(page.body).toContain('name="username" type="text"');
    expect(page.body).toContain('value="ghost"');
    const unknown = await submit(agent, page, { username: "ghost" });
    expect(errorOn(unknown.body)).toBe("Username/client id combination not found.");

    await signedUpAndAtConfirm(agent, app, "vera", "vera@example.com");
    const code = await latestCode(server, app.poolId, "vera@example.com");
    await submit(agent, await openPage(agent, pageUrl(app, "/confirm", { username: "vera" })), {
      username: "vera",
      code,
    });
    const confirmed = await submit(agent, await openPage(agent, pageUrl(app, "/resendcode")), {
      username: "vera",
    });
    expect(errorOn(confirmed.body)).toBe("User is already confirmed.");
  });
});

describe("/confirmUser", () => {
  function linkUrl(target: OAuthApp, query: Record<string, string>): string {
    return `${target.base}/confirmUser?${new URLSearchParams(query)}`;
  }

  it("confirms the user the e-mail's link names", async () => {
    await signUpViaApi({
      ClientId: app.clientId,
      Username: "lina",
      UserAttributes: [{ Name: "email", Value: "lina@example.com" }],
    });
    const code = await latestCode(server, app.poolId, "lina@example.com");
    const agent = new Agent(server.url);
    const wrong = await agent.get(
      linkUrl(app, { client_id: app.clientId, user_name: "lina", confirmation_code: otherCode(code) }),
    );
    expect(wrong.status).toBe(400);
    expect(errorOn(wrong.body)).toBe("Invalid verification code provided, please try again.");

    const page = await agent.get(
      linkUrl(app, { client_id: app.clientId, user_name: "lina", confirmation_code: code }),
    );
    expect(page.status).toBe(200);
    expect(page.body).toContain("Your registration has been confirmed.");
    expect(await userOf(app.poolId, "lina")).toMatchObject({
      status: "CONFIRMED",
      attributes: { email_verified: "true" },
    });
  });

  it("sends an unknown app client to the error page", async () => {
    const answer = await new Agent(server.url).get(
      linkUrl(app, { client_id: "nosuchclient", user_name: "x", confirmation_code: "123456" }),
    );
    expect(redirectTarget(answer)).toMatchObject({ path: `/_domain/${app.domain}/error` });
    expect(redirectTarget(answer).query.get("error")).toBe("invalid_request");
  });
});

describe("POST /login for a user who has not confirmed", () => {
  it("sends a fresh code and goes to /confirm, where the code signs the user in", async () => {
    await signUpViaApi({
      ClientId: app.clientId,
      Username: "uma",
      UserAttributes: [{ Name: "email", Value: "uma@example.com" }],
    });
    const before = await outbox(server, { poolId: app.poolId, destination: "uma@example.com" });
    const agent = new Agent(server.url);
    const login = await openPage(agent, pageUrl(app, "/login"));
    const answer = await submit(agent, login, { username: "uma", password: PASSWORD });
    const { path, query } = redirectTarget(answer);
    expect(path).toBe(`/_domain/${app.domain}/confirm`);
    expect(query.get("username")).toBe("uma");
    expect(query.get("deliveryMedium")).toBe("EMAIL");
    const after = await outbox(server, { poolId: app.poolId, destination: "uma@example.com" });
    expect(after.length).toBe(before.length + 1);

    const page = await openPage(agent, answer.location ?? "");
    const code = await latestCode(server, app.poolId, "uma@example.com");
    const done = await submit(agent, page, { ...namedForm(page.body, "confirmForm").hidden, code });
    expect(done.location?.startsWith(`${app.redirectUri}?code=`)).toBe(true);
  });
});

describe("every account page", () => {
  const pages = ["/signup", "/confirm", "/resendcode", "/forgotPassword", "/confirmForgotPassword"];

  it("re-checks the authorization request: unknown client, unregistered redirect URI, then the app's errors", async () => {
    const agent = new Agent(server.url);
    // `/confirmLinkSent` only shows (GET): it has no form of its own to post.
    for (const path of [...pages, "/confirmLinkSent"]) {
      const unknown = await agent.get(pageUrl(app, path, { client_id: "nosuchclient" }));
      expect(unknown.location).toBe(
        `/_domain/${app.domain}/error?error=invalid_request&client_id=nosuchclient`,
      );
      const mismatch = await agent.get(pageUrl(app, path, { redirect_uri: "https://evil.example.com/cb" }));
      expect(mismatch.location).toBe(
        `/_domain/${app.domain}/error?error=redirect_mismatch&client_id=${app.clientId}`,
      );
      const badScope = await agent.get(pageUrl(app, path, { scope: "email" }));
      expect(badScope.location).toBe(
        `${app.redirectUri}?error_description=invalid_scope&state=state-123&error=invalid_request`,
      );
    }
  });

  it("refuses a POST whose CSRF token is not the cookie's, and works in any letter case", async () => {
    const agent = new Agent(server.url);
    for (const path of pages) {
      const page = await openPage(agent, pageUrl(app, path.toUpperCase()));
      expect(page.body).toContain(hiddenField(page.body, "_csrf"));
      const answer = await agent.post(pageUrl(app, path), {
        _csrf: "not-the-token",
        username: "someone",
        password: PASSWORD,
        code: "123456",
      });
      expect(answer.location).toBe(`/_domain/${app.domain}/error?error=csrf&client_id=${app.clientId}`);
      // Nothing was created.
      await expect(userOf(app.poolId, "someone")).rejects.toThrow("User does not exist.");
    }
  });
});
