/**
 * The account pages in a real browser on the domain's loopback host name: sign-up and its code
 * from the outbox ending at the app's callback with a code the token endpoint exchanges, the same
 * with the keyboard alone and without JavaScript, a sign-up confirmed by an e-mailed link (classic and
 * managed login), and a password reset from end to end. Every page is photographed, as it first
 * shows and with an error (COGNATE_SCREENSHOTS=<dir>).
 */
import { SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BROWSER_SKIP_MESSAGE,
  browserAvailable,
  launchBrowser,
  newContext,
  screenshot,
  startTestApp,
  type TestApp,
} from "../../support/browser.js";
import { createUser, outbox, PASSWORD } from "../../support/fixtures.js";
import { createOAuthApp, type OAuthApp, pkcePair, tokenRequest } from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { latestCode } from "./account-support.js";

const NEW_PASSWORD = "Brand-new-pass9";

let server: TestServer;
let browser: Browser;
let web: TestApp;
let app: OAuthApp;
let host: string;

beforeAll(async () => {
  if (!browserAvailable) return;
  [server, browser, web] = await Promise.all([startTestServer(), launchBrowser(), startTestApp()]);
  app = await createOAuthApp(server, {
    pool: {
      PoolName: "Acme",
      AutoVerifiedAttributes: ["email"],
      Schema: [
        { Name: "email", AttributeDataType: "String", Required: true, Mutable: true },
        { Name: "given_name", AttributeDataType: "String", Required: true, Mutable: true },
      ],
    },
    client: { ClientName: "Acme Notes", CallbackURLs: [web.callbackUrl], LogoutURLs: [web.logoutUrl] },
  });
  app.redirectUri = web.callbackUrl;
  host = `http://${app.domain}.auth.us-east-1.localhost:${server.port}`;
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await server?.stop();
});

/** The visible copy of the classic page's card. */
function card(page: Page) {
  return page.locator(".modal-content-desktop");
}

function authorizeQuery(challenge: string): string {
  return new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: "code",
    scope: "openid email profile",
    state: "s-1",
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
}

async function backAtApp(page: Page): Promise<string> {
  await page.waitForURL((url) => url.href.startsWith(web.callbackUrl));
  return page.url();
}

async function exchange(callback: string, verifier: string) {
  return tokenRequest(app, {
    grant_type: "authorization_code",
    client_id: app.clientId,
    code: new URL(callback).searchParams.get("code") ?? "",
    redirect_uri: app.redirectUri,
    code_verifier: verifier,
  });
}

/** The visible copy of an element (classic pages have two cards, managed login one). */
function shown(page: Page, selector: string) {
  return page.locator(selector).locator("visible=true").first();
}

function errorText(page: Page) {
  return card(page).locator(".errorMessage-customizable").textContent();
}

async function withContext(options: { javaScript?: boolean }, run: (page: Page) => Promise<void>) {
  const context: BrowserContext = await newContext(browser, options);
  // A step that cannot happen fails with what it waited for, well within the test's time.
  context.setDefaultTimeout(5000);
  try {
    await run(await context.newPage());
  } finally {
    await context.close();
  }
}

describe.skipIf(!browserAvailable)("the account pages in a browser", () => {
  it("signs up from the sign-in page, confirms with the e-mailed code and lands in the app with a code", async () => {
    await withContext({}, async (page) => {
      const { verifier, challenge } = pkcePair();
      await page.goto(`${host}/oauth2/authorize?${authorizeQuery(challenge)}`);
      await card(page).getByRole("link", { name: "Sign up" }).click();
      expect(new URL(page.url()).pathname).toBe("/signup");
      await expect(page.title()).resolves.toBe("Sign up · Acme Notes");
      await screenshot(page, "signup");

      const form = card(page).locator("form[name=signupform]");
      await form.getByLabel("Username").fill("newbie");
      await form.getByLabel("Email").fill("newbie@example.com");
      await form.getByLabel("Given name").fill("Nora");
      await form.getByLabel("Password").fill("short");
      // The browser's own check would stop a too-short password only with minlength; the server's message shows.
      await form.locator("button[name=signUpButton]").click();
      await expect(errorText(page)).resolves.toBe(
        "Password did not conform with policy: Password not long enough",
      );
      await expect(form.getByLabel("Given name").inputValue()).resolves.toBe("Nora");
      await screenshot(page, "signup-error");

      await form.getByLabel("Password").fill(PASSWORD);
      await form.locator("button[name=signUpButton]").click();
      await page.waitForURL((url) => url.pathname === "/confirm");
      await expect(card(page).locator(".textDescription-customizable").textContent()).resolves.toContain(
        "We sent a code by email to n***@e***.",
      );
      await screenshot(page, "confirm");

      const code = await latestCode(server, app.poolId, "newbie@example.com");
      const confirm = card(page).locator("form[name=confirmForm]");
      await confirm.locator("#verification_code").fill(code === "000000" ? "111111" : "000000");
      await confirm.locator("button[name=confirm]").click();
      await expect(errorText(page)).resolves.toBe("Invalid verification code provided, please try again.");
      await screenshot(page, "confirm-error");

      // A new code, and the page says so.
      await card(page).getByRole("button", { name: "Send a new code" }).click();
      await expect(card(page).locator(".infoMessage").textContent()).resolves.toBe("We sent you a new code.");
      await screenshot(page, "confirm-code-resent");

      const fresh = await latestCode(server, app.poolId, "newbie@example.com");
      await card(page).locator("#verification_code").fill(fresh);
      await card(page).locator("button[name=confirm]").click();
      const callback = await backAtApp(page);
      expect(new URL(callback).searchParams.get("state")).toBe("s-1");
      const tokens = await exchange(callback, verifier);
      expect(tokens.status).toBe(200);
      expect(typeof tokens.body.id_token).toBe("string");
    });
  });

  it("signs up and confirms with the keyboard alone", async () => {
    await withContext({}, async (page) => {
      const { verifier, challenge } = pkcePair();
      await page.goto(`${host}/signup?${authorizeQuery(challenge)}`);
      // The username has the focus; Tab walks the fields in order (the pool's attributes in schema order).
      await page.keyboard.type("keys");
      await page.keyboard.press("Tab");
      await page.keyboard.type("Kay");
      await page.keyboard.press("Tab");
      await page.keyboard.type("keys@example.com");
      await page.keyboard.press("Tab");
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press("Enter");
      await page.waitForURL((url) => url.pathname === "/confirm");
      // The code field has the focus.
      await page.keyboard.type(await latestCode(server, app.poolId, "keys@example.com"));
      await page.keyboard.press("Enter");
      expect((await exchange(await backAtApp(page), verifier)).status).toBe(200);
    });
  });

  it("signs up and confirms without JavaScript", async () => {
    await withContext({ javaScript: false }, async (page) => {
      const { verifier, challenge } = pkcePair();
      await page.goto(`${host}/signup?${authorizeQuery(challenge)}`);
      const form = card(page).locator("form[name=signupform]");
      await form.locator("input[name=username]").fill("nojs");
      await form.locator("input[name='requiredAttributes[email]']").fill("nojs@example.com");
      await form.locator("input[name='requiredAttributes[given_name]']").fill("Noa");
      await form.locator("input[name=password]").fill(PASSWORD);
      await form.locator("button[name=signUpButton]").click();
      await page.waitForURL((url) => url.pathname === "/confirm");
      await card(page)
        .locator("#verification_code")
        .fill(await latestCode(server, app.poolId, "nojs@example.com"));
      await card(page).locator("button[name=confirm]").click();
      expect((await exchange(await backAtApp(page), verifier)).status).toBe(200);
    });
  });

  for (const version of [1, 2] as const) {
    it(`in a link pool (version ${version}), says the link was sent, sends a new one with the keyboard and no JavaScript, and the link confirms`, async () => {
      const linked = await createOAuthApp(server, {
        managedLoginVersion: version,
        styled: version === 2,
        pool: {
          PoolName: "Acme",
          AutoVerifiedAttributes: ["email"],
          Schema: [{ Name: "email", AttributeDataType: "String", Required: true, Mutable: true }],
          VerificationMessageTemplate: { DefaultEmailOption: "CONFIRM_WITH_LINK" },
        },
        client: { ClientName: "Acme Notes", CallbackURLs: [web.callbackUrl] },
      });
      const linkedHost = `http://${linked.domain}.auth.us-east-1.localhost:${server.port}`;
      const query = new URLSearchParams({
        client_id: linked.clientId,
        redirect_uri: web.callbackUrl,
        response_type: "code",
        state: "s-1",
      });
      await withContext({ javaScript: false }, async (page) => {
        await page.goto(`${linkedHost}/signup?${query}`);
        const form = shown(page, "form[name=signupform]");
        await form.locator("input[name=username]").fill("linda");
        await form.locator("input[name='requiredAttributes[email]']").fill("linda@example.com");
        await form.locator("input[name=password]").fill(PASSWORD);
        await form.locator("button[name=signUpButton]").click();
        await page.waitForURL((url) => url.pathname === "/confirmLinkSent");
        await expect(page.title()).resolves.toBe("Check your email · Acme Notes");
        await expect(shown(page, ".textDescription-customizable").textContent()).resolves.toBe(
          "We sent a confirmation link by email to l***@e***. Follow the link to confirm your account.",
        );
        await screenshot(page, `v${version}-confirm-link-sent`);

        // The keyboard alone: the first Tab reaches "Send a new link", and Enter sends it.
        await page.keyboard.press("Tab");
        await expect(page.locator(":focus").textContent()).resolves.toBe("Send a new link");
        await page.keyboard.press("Enter");
        await expect(shown(page, ".infoMessage").textContent()).resolves.toBe("We sent you a new link.");
        expect(new URL(page.url()).pathname).toBe("/confirmLinkSent");
        await screenshot(page, `v${version}-confirm-link-resent`);
        const messages = await outbox(server, { poolId: linked.poolId, destination: "linda@example.com" });
        expect(messages.map((m) => m.subject)).toEqual(["Your verification link", "Your verification link"]);

        await shown(page, "a.redirect-customizable").click();
        await page.waitForURL((url) => url.pathname === "/login");
        const signIn = page.url();
        const href = /<a href="([^"]*)">/.exec(messages[0].message)?.[1] ?? "";
        await page.goto(href);
        await expect(shown(page, "h1").textContent()).resolves.toBe("Account confirmed");

        await page.goto(signIn);
        await shown(page, "input[name=username]").fill("linda");
        await shown(page, "input[name=password]").fill(PASSWORD);
        await shown(page, "input[name=signInSubmitButton]").click();
        expect(new URL(await backAtApp(page)).searchParams.get("code")).toBeTruthy();
      });
    });
  }

  it("resets a forgotten password and signs in with the new one", async () => {
    await createUser(server, app.poolId, "forgetful", {
      attributes: [
        { Name: "email", Value: "forgetful@example.com" },
        { Name: "email_verified", Value: "true" },
        { Name: "given_name", Value: "Fern" },
      ],
    });
    await withContext({}, async (page) => {
      const { verifier, challenge } = pkcePair();
      await page.goto(`${host}/oauth2/authorize?${authorizeQuery(challenge)}`);
      await card(page).getByRole("link", { name: "Forgot your password?" }).click();
      expect(new URL(page.url()).pathname).toBe("/forgotPassword");
      await screenshot(page, "forgot-password");

      const form = card(page).locator("form[name=forgotPasswordForm]");
      await form.getByLabel("Username").fill("nobody");
      await form.locator("button[name=reset_my_password]").click();
      await expect(errorText(page)).resolves.toBe("Username/client id combination not found.");
      await screenshot(page, "forgot-password-error");

      await form.getByLabel("Username").fill("forgetful");
      await form.locator("button[name=reset_my_password]").click();
      await page.waitForURL((url) => url.pathname === "/confirmForgotPassword");
      await screenshot(page, "confirm-forgot-password");

      const code = await latestCode(server, app.poolId, "forgetful@example.com");
      const reset = card(page).locator("form[name=confirmForgotPasswordForm]");
      await reset.getByLabel("Code").fill(code);
      await reset.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
      await reset.getByLabel("Enter the new password again").fill(`${NEW_PASSWORD}!`);
      await reset.locator("button[name=change_password]").click();
      await expect(errorText(page)).resolves.toBe("The passwords you entered do not match.");
      await screenshot(page, "confirm-forgot-password-error");

      await reset.getByLabel("Code").fill(code);
      await reset.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
      await reset.getByLabel("Enter the new password again").fill(NEW_PASSWORD);
      await reset.locator("button[name=change_password]").click();
      await page.waitForURL((url) => url.pathname === "/login");
      await expect(card(page).locator(".infoMessage").textContent()).resolves.toBe(
        "Your password has been changed. Sign in with your new password.",
      );
      await screenshot(page, "sign-in-after-reset");

      const signIn = card(page).locator("form[name=cognitoSignInForm]");
      await signIn.locator("input[name=username]").fill("forgetful");
      await signIn.locator("input[name=password]").fill(NEW_PASSWORD);
      await signIn.locator("input[name=signInSubmitButton]").click();
      expect((await exchange(await backAtApp(page), verifier)).status).toBe(200);
    });
  });

  it("shows the other account pages as a product would", async () => {
    await server.client.send(
      new SignUpCommand({
        ClientId: app.clientId,
        Username: "linked",
        Password: PASSWORD,
        UserAttributes: [
          { Name: "email", Value: "linked@example.com" },
          { Name: "given_name", Value: "Lin" },
        ],
      }),
    );
    await withContext({}, async (page) => {
      const query = authorizeQuery(pkcePair().challenge);
      await page.goto(`${host}/resendcode?${query}&username=newbie`);
      await screenshot(page, "resend-code");
      await card(page).locator("button[name=resendCode]").click();
      await expect(errorText(page)).resolves.toBe("User is already confirmed.");
      await screenshot(page, "resend-code-error");

      const link = (user: string, code: string) =>
        `${host}/confirmUser?${new URLSearchParams({ client_id: app.clientId, user_name: user, confirmation_code: code })}`;
      await page.goto(link("newbie", "123456"));
      await expect(errorText(page)).resolves.toBe("User cannot be confirmed. Current status is CONFIRMED");
      await screenshot(page, "confirm-user-error");
      await page.goto(link("linked", await latestCode(server, app.poolId, "linked@example.com")));
      await expect(card(page).locator("h1").textContent()).resolves.toBe("Account confirmed");
      await expect(card(page).locator(".infoMessage").textContent()).resolves.toBe(
        "Your registration has been confirmed.",
      );
      await screenshot(page, "confirm-user");

      const closed = await createOAuthApp(server, {
        pool: { AdminCreateUserConfig: { AllowAdminCreateUserOnly: true } },
        client: { CallbackURLs: [web.callbackUrl] },
      });
      const closedQuery = new URLSearchParams({
        client_id: closed.clientId,
        redirect_uri: web.callbackUrl,
        response_type: "code",
      });
      await page.goto(
        `http://${closed.domain}.auth.us-east-1.localhost:${server.port}/signup?${closedQuery}`,
      );
      await expect(errorText(page)).resolves.toBe("SignUp is not permitted for this user pool");
      await screenshot(page, "signup-closed");
    });
    // A phone-sized screen shows the mobile copy of the card.
    const context = await newContext(browser, { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${host}/signup?${authorizeQuery(pkcePair().challenge)}`);
    await expect(page.locator(".modal-content-mobile form[name=signupform]").isVisible()).resolves.toBe(true);
    await screenshot(page, "signup-mobile");
    await context.close();
  });
});

it.skipIf(browserAvailable)("account pages in a browser", () => {
  console.warn(BROWSER_SKIP_MESSAGE);
});
