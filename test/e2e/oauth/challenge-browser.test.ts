/**
 * The steps after the password in a real browser, to the app's callback: a new password, an
 * authenticator code (computed from the secret with otplib), and setting an authenticator app up
 * from the key the page shows; on classic and managed-login domains, at a phone's and a desktop's
 * size (screenshots with COGNATE_SCREENSHOTS=<dir>), with a name for every input.
 */

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AdminInitiateAuthCommand,
  AdminSetUserMFAPreferenceCommand,
  CreateManagedLoginBrandingCommand,
  SetUserPoolMfaConfigCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  BROWSER_SKIP_MESSAGE,
  browserAvailable,
  launchBrowser,
  screenshot,
  startTestApp,
  type TestApp,
} from "../../support/browser.js";
import { createUser, PASSWORD, TEMPORARY_PASSWORD } from "../../support/fixtures.js";
import { createOAuthApp, type OAuthApp } from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { enrolSoftwareToken, freezeClockMidStep, SMS_CONFIGURATION, totp } from "../mfa/support.js";

let server: TestServer;
let browser: Browser;
let web: TestApp;

beforeAll(async () => {
  if (!browserAvailable) return;
  [server, browser, web] = await Promise.all([startTestServer(), launchBrowser(), startTestApp()]);
});
afterAll(async () => {
  await browser?.close();
  await web?.close();
  await server?.stop();
});
beforeEach(() => {
  if (server) freezeClockMidStep(server);
});

const ZBARIMG = "/usr/bin/zbarimg";
const zbarAvailable = existsSync(ZBARIMG);

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };

/** A pool with authenticator-app MFA (required or optional), a domain of the version given, and its app. */
async function totpApp(version: 1 | 2, mfa: "ON" | "OPTIONAL"): Promise<OAuthApp> {
  const app = await createOAuthApp(server, {
    managedLoginVersion: version,
    pool: { PoolName: "Acme" },
    client: { CallbackURLs: [web.callbackUrl], ClientName: "Acme Portal" },
  });
  app.redirectUri = web.callbackUrl;
  await server.client.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: app.poolId,
      MfaConfiguration: mfa,
      SoftwareTokenMfaConfiguration: { Enabled: true },
    }),
  );
  if (version === 2) {
    await server.client.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        UseCognitoProvidedValues: true,
      }),
    );
  }
  return app;
}

async function openSignIn(app: OAuthApp, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const query = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: "code",
    scope: "openid",
    state: "st",
  });
  await page.goto(`http://${app.domain}.auth.us-east-1.localhost:${server.port}/oauth2/authorize?${query}`);
  return page;
}

/** The visible copy of an element (classic pages have two). */
function visible(page: Page, selector: string) {
  return page.locator(selector).locator("visible=true").first();
}

async function submitPassword(page: Page, username: string, password: string): Promise<void> {
  await visible(page, "input[name=username]").fill(username);
  await visible(page, "input[name=password]").fill(password);
  await visible(page, "input[name=signInSubmitButton]").click();
  await page.waitForLoadState();
}

async function backAtApp(page: Page): Promise<URL> {
  await page.waitForURL((url) => url.href.startsWith(web.callbackUrl));
  const url = new URL(page.url());
  expect(url.searchParams.get("code")).toBeTruthy();
  expect(url.searchParams.get("state")).toBe("st");
  return url;
}

/** Every text field of the visible step has an accessible name; returns the form's tree. */
async function expectNamedInputs(page: Page): Promise<string> {
  const tree = await visible(page, "form[name=challengeForm]").ariaSnapshot();
  expect(tree).toMatch(/textbox "/);
  expect(tree).not.toMatch(/- textbox(?! ")/);
  return tree;
}

describe.skipIf(!browserAvailable)("steps after the password in a browser", () => {
  it("a new password, on a classic domain, at a phone's size", async () => {
    const app = await totpApp(1, "OPTIONAL");
    await createUser(server, app.poolId, "nina", { temporary: true });
    const page = await openSignIn(app, PHONE);
    await submitPassword(page, "nina", TEMPORARY_PASSWORD);
    await expect(visible(page, "h1").textContent()).resolves.toBe("Change password");
    await expectNamedInputs(page);
    await visible(page, "input[name=newPassword]").fill("Brand-new-pass1");
    await visible(page, "input[name=confirmNewPassword]").fill("Brand-new-pass2");
    await visible(page, "input[name=challengeSubmitButton]").click();
    await expect(visible(page, ".errorMessage-customizable").textContent()).resolves.toBe(
      "The passwords you entered do not match.",
    );
    await screenshot(page, "v1-new-password-error-phone");
    await visible(page, "input[name=newPassword]").fill("Brand-new-pass1");
    await visible(page, "input[name=confirmNewPassword]").fill("Brand-new-pass1");
    await visible(page, "input[name=challengeSubmitButton]").click();
    await backAtApp(page);
    await page.context().close();
  });

  it("an authenticator code computed from the secret, typed with the keyboard alone", async () => {
    for (const version of [1, 2] as const) {
      const app = await totpApp(version, "OPTIONAL");
      await createUser(server, app.poolId, "tom");
      const first = await server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: app.poolId,
          ClientId: app.clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "tom", PASSWORD },
        }),
      );
      const secret = await enrolSoftwareToken(server, first.AuthenticationResult?.AccessToken as string);
      await server.client.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: app.poolId,
          Username: "tom",
          SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
      for (const [size, viewport] of [
        ["phone", PHONE],
        ["desktop", DESKTOP],
      ] as const) {
        const page = await openSignIn(app, viewport);
        await submitPassword(page, "tom", PASSWORD);
        await expect(visible(page, "h1").textContent()).resolves.toBe("Enter your code");
        await expectNamedInputs(page);
        await screenshot(page, `v${version}-totp-${size}`);
        // The code field has the focus; Enter submits.
        await page.keyboard.type(await totp(server, secret, size === "phone" ? 0 : 1));
        await page.keyboard.press("Enter");
        await backAtApp(page);
        await page.context().close();
      }
    }
  });

  it("the choice of a factor on a classic page keeps the last one picked, in both copies", async () => {
    const app = await totpApp(1, "OPTIONAL");
    await server.client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: app.poolId,
        MfaConfiguration: "OPTIONAL",
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: { SmsConfiguration: SMS_CONFIGURATION },
      }),
    );
    await createUser(server, app.poolId, "cleo", {
      attributes: [{ Name: "phone_number", Value: "+15555550400" }],
    });
    const first = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "cleo", PASSWORD },
      }),
    );
    await enrolSoftwareToken(server, first.AuthenticationResult?.AccessToken as string);
    await server.client.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: app.poolId,
        Username: "cleo",
        SMSMfaSettings: { Enabled: true },
        SoftwareTokenMfaSettings: { Enabled: true },
      }),
    );
    const page = await openSignIn(app);
    await submitPassword(page, "cleo", PASSWORD);
    await expect(visible(page, "h1").textContent()).resolves.toBe("Choose how to verify");
    await screenshot(page, "v1-select-mfa-desktop");
    await visible(page, "input[value=SMS_MFA]").check();
    await visible(page, "input[value=SOFTWARE_TOKEN_MFA]").check();
    // The hidden twin follows the visible copy.
    await expect(
      page.locator(".modal-content-mobile input[value=SOFTWARE_TOKEN_MFA]").isChecked(),
    ).resolves.toBe(true);
    await visible(page, "input[name=challengeSubmitButton]").click();
    await expect(visible(page, ".textDescription-customizable").textContent()).resolves.toBe(
      "Enter the code from your authenticator app.",
    );
    await page.context().close();
  });

  it("setting an authenticator app up from the key on the page, at both sizes", async () => {
    for (const version of [1, 2] as const) {
      const app = await totpApp(version, "ON");
      for (const [size, viewport] of [
        ["phone", PHONE],
        ["desktop", DESKTOP],
      ] as const) {
        const username = `una-${size}`;
        await createUser(server, app.poolId, username);
        const page = await openSignIn(app, viewport);
        await submitPassword(page, username, PASSWORD);
        await expect(visible(page, "h1").textContent()).resolves.toBe("Set up an authenticator app");
        const tree = await expectNamedInputs(page);
        expect(tree).toContain('textbox "Code from the app"');
        // The key as a person copies it: groups of four.
        const shown = (await visible(page, "#secretCode").textContent()) ?? "";
        expect(shown).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
        const secret = shown.replace(/ /g, "");
        const uri = await visible(page, "a[href^='otpauth:']").getAttribute("href");
        expect(uri).toBe(
          `otpauth://totp/Acme:${username}?secret=${secret}&issuer=Acme&algorithm=SHA1&digits=6&period=30`,
        );
        // The QR code as the browser draws it says the same, where a decoder is installed to read it.
        if (zbarAvailable) {
          const image = join(mkdtempSync(join(tmpdir(), "cognate-qr-")), "qr.png");
          await visible(page, "svg.qr").screenshot({ path: image });
          expect(
            execFileSync(ZBARIMG, ["-q", "--raw", image], { stdio: ["ignore", "pipe", "ignore"] })
              .toString()
              .trim(),
          ).toBe(uri);
        }
        await screenshot(page, `v${version}-mfa-setup-${size}`);

        await visible(page, "input[name=totpCode]").fill(
          "000000" === (await totp(server, secret)) ? "111111" : "000000",
        );
        await visible(page, "input[name=challengeSubmitButton]").click();
        await expect(visible(page, ".errorMessage-customizable").textContent()).resolves.toBe(
          "Code mismatch and fail enable Software Token MFA",
        );
        await expect(visible(page, "#secretCode").textContent()).resolves.toBe(shown);
        await visible(page, "input[name=totpCode]").fill(await totp(server, secret));
        await visible(page, "input[name=friendlyDeviceName]").fill("My phone");
        await visible(page, "input[name=challengeSubmitButton]").click();
        await backAtApp(page);
        await page.context().close();
      }
    }
  });
});

it.skipIf(browserAvailable)("browser tests", () => {
  console.warn(BROWSER_SKIP_MESSAGE);
});
