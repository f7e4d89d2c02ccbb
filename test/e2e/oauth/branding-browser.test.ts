/**
 * The pages' look in a real browser: a classic customization's CSS rule and logo change what the
 * page shows; a managed-login style's colours, logo and dark mode do; both versions at a phone's
 * and a desktop's size (screenshots with COGNATE_SCREENSHOTS=<dir>), usable with the keyboard and
 * with a name for every input.
 */
import {
  CreateManagedLoginBrandingCommand,
  type CreateManagedLoginBrandingCommandInput,
  SetUICustomizationCommand,
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
import { solidPng, wordmarkSvg } from "../../support/images.js";
import { createOAuthApp, type OAuthApp } from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

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

/** The browser's function, in code that runs in the page (the tests are compiled without the DOM's types). */
declare function getComputedStyle(element: unknown): { getPropertyValue(name: string): string };

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 860 };

async function appOn(version: 1 | 2): Promise<OAuthApp> {
  const app = await createOAuthApp(server, {
    managedLoginVersion: version,
    client: { CallbackURLs: [web.callbackUrl], ClientName: "Acme Portal" },
  });
  app.redirectUri = web.callbackUrl;
  await createUser(server, app.poolId, "alice");
  return app;
}

async function openSignIn(
  app: OAuthApp,
  options: { viewport?: { width: number; height: number }; dark?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    colorScheme: options.dark ? "dark" : "light",
  });
  const page = await context.newPage();
  const query = new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: "code",
    scope: "openid",
  });
  await page.goto(`http://${app.domain}.auth.us-east-1.localhost:${server.port}/oauth2/authorize?${query}`);
  return { context, page };
}

/** The visible copy of the form (classic pages have two). */
function visible(page: Page, selector: string) {
  return page.locator(selector).locator("visible=true").first();
}

function computed(page: Page, selector: string, property: string): Promise<string> {
  return visible(page, selector).evaluate(
    (el, name) => getComputedStyle(el).getPropertyValue(name),
    property,
  );
}

async function logoLoaded(page: Page, selector: string): Promise<number> {
  return visible(page, selector).evaluate((img) => (img as { naturalWidth: number }).naturalWidth);
}

/** Every text field of the visible form has an accessible name. */
async function expectNamedInputs(page: Page): Promise<void> {
  const tree = await visible(page, "form").ariaSnapshot();
  expect(tree).toMatch(/textbox "Username"/);
  expect(tree).not.toMatch(/- textbox(?! ")/);
}

/** Signs in with the keyboard alone, from the top of the page. */
async function signInWithKeyboard(page: Page): Promise<void> {
  await page.keyboard.press("Tab");
  await page.keyboard.type("alice");
  await page.keyboard.press("Tab");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.href.startsWith(web.callbackUrl));
}

async function style(app: OAuthApp, input: Partial<CreateManagedLoginBrandingCommandInput>): Promise<void> {
  await server.client.send(
    new CreateManagedLoginBrandingCommand({ UserPoolId: app.poolId, ClientId: app.clientId, ...input }),
  );
}

describe.skipIf(!browserAvailable)("the pages' look", () => {
  it("classic: our look at both sizes, named inputs, the keyboard alone", async () => {
    const app = await appOn(1);
    for (const [size, viewport] of [
      ["phone", PHONE],
      ["desktop", DESKTOP],
    ] as const) {
      const { context, page } = await openSignIn(app, { viewport });
      await screenshot(page, `v1-sign-in-${size}`);
      await expectNamedInputs(page);
      // Exactly one copy of the form shows at each size.
      await expect(
        page.locator("form[name=cognitoSignInForm]").locator("visible=true").count(),
      ).resolves.toBe(1);
      await context.close();
    }
    const { context, page } = await openSignIn(app, { viewport: PHONE });
    await signInWithKeyboard(page);
    await context.close();
  });

  it("classic: a customization's CSS rule and logo change what the page shows", async () => {
    const app = await appOn(1);
    const before = await openSignIn(app);
    expect(await computed(before.page, ".submitButton-customizable", "background-color")).toBe(
      "rgb(51, 122, 183)",
    );
    await before.context.close();

    await server.client.send(
      new SetUICustomizationCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        CSS: ".submitButton-customizable { background-color: #0f766e; } .banner-customizable { background-color: #ccfbf1; }",
        ImageFile: solidPng(160, 48, 0x0f766e),
      }),
    );
    for (const [size, viewport] of [
      ["phone", PHONE],
      ["desktop", DESKTOP],
    ] as const) {
      const { context, page } = await openSignIn(app, { viewport });
      expect(await computed(page, ".submitButton-customizable", "background-color")).toBe(
        "rgb(15, 118, 110)",
      );
      expect(await computed(page, ".banner-customizable", "background-color")).toBe("rgb(204, 251, 241)");
      expect(await logoLoaded(page, "img.logo-customizable")).toBe(160);
      await screenshot(page, `v1-customized-${size}`);
      await context.close();
    }
  });

  it("managed login: the default style at both sizes, light and dark, named inputs, the keyboard alone", async () => {
    const app = await appOn(2);
    await style(app, { UseCognitoProvidedValues: true });
    for (const [size, viewport] of [
      ["phone", PHONE],
      ["desktop", DESKTOP],
    ] as const) {
      const { context, page } = await openSignIn(app, { viewport });
      await screenshot(page, `v2-sign-in-${size}`);
      await expectNamedInputs(page);
      await context.close();
    }
    const dark = await openSignIn(app, { dark: true });
    expect(await computed(dark.page, ".modal-content", "background-color")).toBe("rgb(21, 25, 34)");
    await screenshot(dark.page, "v2-sign-in-dark-desktop");
    await dark.context.close();
    const { context, page } = await openSignIn(app, { viewport: PHONE });
    await signInWithKeyboard(page);
    await context.close();
  });

  it("managed login: a style's colours, logo, page background and header change what the page shows", async () => {
    const app = await appOn(2);
    await style(app, {
      Settings: {
        categories: { global: { colorSchemeMode: "LIGHT", pageHeader: { enabled: true } } },
        components: {
          primaryButton: {
            lightMode: {
              defaults: { backgroundColor: "e11d48ff", textColor: "ffffffff" },
              hover: { backgroundColor: "be123cff", textColor: "ffffffff" },
            },
          },
          pageBackground: { lightMode: { color: "fff1f2ff" }, image: { enabled: false } },
          form: { borderRadius: 16, logo: { enabled: true } },
          pageHeader: { logo: { enabled: true } },
        },
      },
      Assets: [
        {
          Category: "FORM_LOGO",
          ColorMode: "LIGHT",
          Extension: "SVG",
          Bytes: wordmarkSvg("ACME", "#e11d48"),
        },
        {
          Category: "PAGE_HEADER_LOGO",
          ColorMode: "LIGHT",
          Extension: "SVG",
          Bytes: wordmarkSvg("Acme", "#881337", 120, 32),
        },
      ],
    });
    for (const [size, viewport] of [
      ["phone", PHONE],
      ["desktop", DESKTOP],
    ] as const) {
      const { context, page } = await openSignIn(app, { viewport });
      expect(await computed(page, ".submitButton-customizable", "background-color")).toBe("rgb(225, 29, 72)");
      expect(await computed(page, "body", "background-color")).toBe("rgb(255, 241, 242)");
      expect(await logoLoaded(page, ".form-logo img")).toBe(180);
      expect(await logoLoaded(page, ".page-header img")).toBe(120);
      await screenshot(page, `v2-styled-${size}`);
      await context.close();
    }
  });
});

it.skipIf(browserAvailable)("browser tests", () => {
  console.warn(BROWSER_SKIP_MESSAGE);
});
