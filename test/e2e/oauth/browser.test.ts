/**
 * The code flow with PKCE in a real browser, on the domain's loopback host name
 * (`<prefix>.auth.<region>.localhost`, which chromium resolves without DNS): the sign-in page, a
 * wrong then a right password, the keyboard alone, no JavaScript, single sign-on and logout.
 */
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
import { createUser, PASSWORD } from "../../support/fixtures.js";
import { createOAuthApp, type OAuthApp, pkcePair, tokenRequest } from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let browser: Browser;
let web: TestApp;
let app: OAuthApp;
let host: string;

beforeAll(async () => {
  if (!browserAvailable) return;
  [server, browser, web] = await Promise.all([startTestServer(), launchBrowser(), startTestApp()]);
  app = await createOAuthApp(server, {
    client: { CallbackURLs: [web.callbackUrl], LogoutURLs: [web.logoutUrl] },
  });
  app.redirectUri = web.callbackUrl;
  await createUser(server, app.poolId, "alice", {
    attributes: [{ Name: "email", Value: "alice@example.com" }],
  });
  host = `http://${app.domain}.auth.us-east-1.localhost:${server.port}`;
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await server?.stop();
});

function appContext(options: { javaScript?: boolean } = {}): Promise<BrowserContext> {
  return newContext(browser, options);
}

/** Waits until the browser is back at the app's callback; returns that URL. */
async function backAtApp(page: Page): Promise<string> {
  await page.waitForURL((url) => url.href.startsWith(web.callbackUrl));
  return page.url();
}

function authorizeUrl(challenge: string): string {
  const query = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: "code",
    scope: "openid email profile",
    state: "s-1",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return `${host}/oauth2/authorize?${query}`;
}

/** The visible copy of the classic form. */
function form(page: Page) {
  return page.locator(".modal-content-desktop form[name=cognitoSignInForm]");
}

async function exchange(callback: string, verifier: string) {
  const code = new URL(callback).searchParams.get("code") ?? "";
  return tokenRequest(app, {
    grant_type: "authorization_code",
    client_id: app.clientId,
    code,
    redirect_uri: app.redirectUri,
    code_verifier: verifier,
  });
}

describe.skipIf(!browserAvailable)("the code flow in a browser", () => {
  it("signs in on the page after a wrong password, and the code gives tokens", async () => {
    const context = await appContext();
    const page = await context.newPage();
    const { verifier, challenge } = pkcePair();
    await page.goto(authorizeUrl(challenge));
    expect(new URL(page.url()).pathname).toBe("/login");
    await expect(page.title()).resolves.toContain("Sign in");
    await screenshot(page, "sign-in");
    // Each visible input has its label's name, although the classic card is repeated, ids and all.
    const desktop = page.locator(".modal-content-desktop");
    await expect(desktop.getByLabel("Username").isVisible()).resolves.toBe(true);
    await expect(desktop.getByLabel("Password").isVisible()).resolves.toBe(true);

    await form(page).locator("input[name=username]").fill("alice");
    await form(page).locator("input[name=password]").fill("not-the-password");
    await form(page).locator("input[name=signInSubmitButton]").click();
    await expect(page.locator(".modal-content-desktop #loginErrorMessage").textContent()).resolves.toBe(
      "Incorrect username or password.",
    );
    await screenshot(page, "sign-in-error");
    // The name typed is kept; the password is not.
    await expect(form(page).locator("input[name=username]").inputValue()).resolves.toBe("alice");

    await form(page).locator("input[name=password]").fill(PASSWORD);
    await form(page).locator("input[name=signInSubmitButton]").click();
    const callback = await backAtApp(page);
    expect(new URL(callback).searchParams.get("state")).toBe("s-1");

    const tokens = await exchange(callback, verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    expect(typeof tokens.body.id_token).toBe("string");
    await context.close();
  });

  it("works with the keyboard alone", async () => {
    const context = await appContext();
    const page = await context.newPage();
    const { verifier, challenge } = pkcePair();
    await page.goto(authorizeUrl(challenge));
    // Tab order from the top of the page: username, password, the reset link, the button.
    await page.keyboard.press("Tab");
    await page.keyboard.type("alice");
    await page.keyboard.press("Tab");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    expect((await exchange(await backAtApp(page), verifier)).status).toBe(200);
    await context.close();
  });

  it("works without JavaScript", async () => {
    const context = await appContext({ javaScript: false });
    const page = await context.newPage();
    const { verifier, challenge } = pkcePair();
    await page.goto(authorizeUrl(challenge));
    await form(page).locator("input[name=username]").fill("alice");
    await form(page).locator("input[name=password]").fill(PASSWORD);
    await form(page).locator("input[name=signInSubmitButton]").click();
    expect((await exchange(await backAtApp(page), verifier)).status).toBe(200);
    await context.close();
  });

  it("signs a second app in without the page, until logout", async () => {
    const context = await appContext();
    const page = await context.newPage();
    const first = pkcePair();
    await page.goto(authorizeUrl(first.challenge));
    await form(page).locator("input[name=username]").fill("alice");
    await form(page).locator("input[name=password]").fill(PASSWORD);
    await form(page).locator("input[name=signInSubmitButton]").click();
    await backAtApp(page);

    // Single sign-on: straight back to the app with a new code.
    const second = pkcePair();
    await page.goto(authorizeUrl(second.challenge));
    expect((await exchange(await backAtApp(page), second.verifier)).status).toBe(200);

    await page.goto(
      `${host}/logout?${new URLSearchParams({ client_id: app.clientId, logout_uri: web.logoutUrl })}`,
    );
    expect(page.url()).toBe(web.logoutUrl);

    await page.goto(authorizeUrl(pkcePair().challenge));
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });
});

it.skipIf(browserAvailable)("browser tests", () => {
  console.warn(BROWSER_SKIP_MESSAGE);
});
