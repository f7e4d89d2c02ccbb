/**
 * Passkeys on a managed-login domain in chromium with a virtual authenticator (Chrome DevTools
 * Protocol `WebAuthn.addVirtualAuthenticator`), the relying party being the domain's
 * `*.localhost` host: a signed-in browser adds a passkey at `/passkeys/add`, then signs in with
 * it from the sign-in page; without JavaScript the page says what to do; a user without a passkey
 * is told to use the password.
 */
import {
  CreateManagedLoginBrandingCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BROWSER_SKIP_MESSAGE,
  browserAvailable,
  launchBrowser,
  screenshot,
  startTestApp,
  type TestApp,
} from "../../support/browser.js";
import { createUser, PASSWORD } from "../../support/fixtures.js";
import { createOAuthApp, type OAuthApp } from "../../support/oauth.js";
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
    managedLoginVersion: 2,
    pool: { Policies: { SignInPolicy: { AllowedFirstAuthFactors: ["PASSWORD", "WEB_AUTHN"] } } },
    client: {
      CallbackURLs: [web.callbackUrl],
      ClientName: "Acme Portal",
      ExplicitAuthFlows: ["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    },
  });
  app.redirectUri = web.callbackUrl;
  host = `${app.domain}.auth.us-east-1.localhost`;
  await server.client.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: app.poolId,
      MfaConfiguration: "OFF",
      WebAuthnConfiguration: { RelyingPartyId: host, UserVerification: "preferred" },
    }),
  );
  await server.client.send(
    new CreateManagedLoginBrandingCommand({
      UserPoolId: app.poolId,
      ClientId: app.clientId,
      UseCognitoProvidedValues: true,
    }),
  );
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await server?.stop();
});

function origin(): string {
  return `http://${host}:${server.port}`;
}

function authorizeUrl(extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: "code",
    scope: "openid",
    ...extra,
  });
  return `${origin()}/oauth2/authorize?${query}`;
}

/** A page with a platform authenticator that holds passkeys and verifies the user. */
async function pageWithAuthenticator(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return page;
}

async function backAtApp(page: Page): Promise<URL> {
  await page.waitForURL((url) => url.href.startsWith(web.callbackUrl));
  return new URL(page.url());
}

async function signInWithPassword(page: Page, username: string): Promise<void> {
  await page.goto(authorizeUrl());
  await page.locator("input[name=username]").fill(username);
  await page.locator("input[name=password]").fill(PASSWORD);
  await page.locator("input[name=signInSubmitButton]").click();
  await backAtApp(page);
}

describe.skipIf(!browserAvailable)("passkeys on managed login", () => {
  it("a signed-in browser adds a passkey, then signs in with it from the sign-in page", async () => {
    await createUser(server, app.poolId, "pia");
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await pageWithAuthenticator(context);
    await signInWithPassword(page, "pia");

    const add = new URLSearchParams({ client_id: app.clientId, redirect_uri: app.redirectUri });
    await page.goto(`${origin()}/passkeys/add?${add}`);
    await expect(page.locator("h1").textContent()).resolves.toBe("Add a passkey");
    await screenshot(page, "v2-passkey-add-phone");
    await page.locator("input[name=passkeySubmitButton]").click();
    const back = await backAtApp(page);
    expect(back.searchParams.has("code")).toBe(false);

    // A new sign-in (prompt=login skips the session): the username, then the passkey.
    await page.goto(authorizeUrl({ prompt: "login", state: "pk" }));
    await page.locator("input[name=username]").fill("pia");
    await screenshot(page, "v2-sign-in-passkey-phone");
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page.locator("h1").textContent()).resolves.toBe("Sign in with a passkey");
    await screenshot(page, "v2-passkey-step-phone");
    await page.locator("input[name=passkeySubmitButton]").click();
    const callback = await backAtApp(page);
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(callback.searchParams.get("state")).toBe("pk");
    await context.close();

    // Without JavaScript the step says what to do, and posting it anyway keeps the step.
    const noScript = await browser.newContext({ javaScriptEnabled: false });
    const plain = await noScript.newPage();
    await plain.goto(authorizeUrl());
    await plain.locator("input[name=username]").fill("pia");
    await plain.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(plain.locator("form[name=passkeyForm]").textContent()).resolves.toContain(
      "Passkeys need JavaScript, which is turned off in this browser.",
    );
    await plain.locator("input[name=passkeySubmitButton]").click();
    await expect(plain.locator("h1").textContent()).resolves.toBe("Sign in with a passkey");
    await expect(plain.locator(".errorMessage-customizable").first().textContent()).resolves.toBe(
      "Passkeys need JavaScript. Turn it on and try again, or sign in with your password.",
    );
    await noScript.close();
  });

  it("without JavaScript the passkey step says what to do, and a user without a passkey is sent to the password", async () => {
    await createUser(server, app.poolId, "quinn");
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(authorizeUrl());
    await page.locator("input[name=username]").fill("quinn");
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page.locator(".errorMessage-customizable").first().textContent()).resolves.toBe(
      "No passkey can be used for this account. Sign in with your password.",
    );
    // The password still signs in.
    await page.locator("input[name=password]").fill(PASSWORD);
    await page.locator("input[name=signInSubmitButton]").click();
    await backAtApp(page);
    await context.close();
  });

  it("is not offered on the sign-in page where the client does not allow USER_AUTH", async () => {
    const other = await createOAuthApp(server, {
      poolId: app.poolId,
      client: {
        CallbackURLs: [web.callbackUrl],
        ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
      },
    });
    await server.client.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: app.poolId,
        ClientId: other.clientId,
        UseCognitoProvidedValues: true,
      }),
    );
    const context = await browser.newContext();
    const page = await context.newPage();
    const query = new URLSearchParams({
      client_id: other.clientId,
      redirect_uri: web.callbackUrl,
      response_type: "code",
      scope: "openid",
    });
    await page.goto(`${origin()}/oauth2/authorize?${query}`);
    await expect(page.locator("input[name=username]").count()).resolves.toBe(1);
    await expect(page.getByRole("button", { name: "Sign in with a passkey" }).count()).resolves.toBe(0);
    await context.close();
  });
});

it.skipIf(browserAvailable)("browser tests", () => {
  console.warn(BROWSER_SKIP_MESSAGE);
});
