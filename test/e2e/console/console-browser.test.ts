/**
 * The admin console in a real browser, without JavaScript: create a user, find it, reset its
 * password, read the code in the outbox page, finish the reset and sign in through the SDK, see the
 * sign-in event; a refusal shows Cognito's message; one form done with the keyboard alone.
 */
import {
  ConfirmForgotPasswordCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  ListGroupsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BROWSER_SKIP_MESSAGE,
  browserAvailable,
  launchBrowser,
  newContext,
  screenshot,
} from "../../support/browser.js";
import { createClient } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
let browser: Browser;
let poolId: string;
let clientId: string;

beforeAll(async () => {
  if (!browserAvailable) return;
  [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  // Threat protection on, so that Cognito records sign-in events.
  const out = await server.client.send(
    new CreateUserPoolCommand({
      PoolName: "Acme staging",
      UserPoolTier: "PLUS",
      UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
      AutoVerifiedAttributes: ["email"],
    }),
  );
  poolId = out.UserPool?.Id as string;
  ({ clientId } = await createClient(server, poolId, { ClientName: "web" }));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(path: string, javaScript = false): Promise<Page> {
  const context = await newContext(browser, { javaScript });
  const page = await context.newPage();
  page.setDefaultTimeout(5000);
  await page.goto(`${server.url}${path}`);
  return page;
}

describe.skipIf(!browserAvailable)("the console in a browser", () => {
  it("creates a user, finds it, resets its password; the code in the outbox signs it in; the event is there", async () => {
    const page = await open("/console");
    expect(new URL(page.url()).pathname).toBe("/console/pools");
    await screenshot(page, "console-pools");
    await page.getByRole("link", { name: "Acme staging" }).click();
    await page.getByRole("navigation").getByRole("link", { name: "Users" }).click();

    await page.getByLabel("Username", { exact: true }).fill("maria");
    await page.getByLabel("Email address", { exact: true }).fill("maria@example.com");
    await page.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("User created.");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("maria");

    // The same user again: Cognito's refusal, in its words.
    await page.getByRole("navigation").getByRole("link", { name: "Users" }).click();
    await page.getByLabel("Username", { exact: true }).fill("maria");
    await page.getByRole("button", { name: "Create user" }).click();
    const alert = await page.getByRole("alert").textContent();
    expect(alert).toContain("UsernameExistsException");
    expect(alert).toContain("User account already exists");
    await screenshot(page, "console-refusal");

    await page.getByLabel("Search users").fill('email ^= "mar"');
    await page.getByRole("button", { name: "Search" }).click();
    const users = page.getByRole("region", { name: "Users" });
    await expect(users.getByRole("link").allTextContents()).resolves.toEqual(["maria"]);
    await screenshot(page, "console-users");
    await page.getByLabel("Search users").fill('email ^= "nobody"');
    await page.getByRole("button", { name: "Search" }).click();
    await expect(users.textContent()).resolves.toContain("No user matches.");
    await page.getByLabel("Search users").fill("ma");
    await page.getByRole("button", { name: "Search" }).click();
    await users.getByRole("link", { name: "maria" }).click();

    // A temporary password cannot be reset, as in Cognito; a permanent one can.
    await page.getByRole("button", { name: "Reset password" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toBe(
      "NotAuthorizedExceptionUser password cannot be reset in the current state.",
    );
    await page.getByLabel("Set a password").fill("Firs7-password!");
    await page.getByRole("button", { name: "Set password", exact: true }).click();
    await expect(page.getByRole("status").textContent()).resolves.toBe("Password set.");
    await page.getByRole("button", { name: "Reset password" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("Password reset");
    await expect(page.getByText("RESET_REQUIRED").count()).resolves.toBe(1);
    await screenshot(page, "console-user");

    await page.getByRole("link", { name: "Messages sent" }).first().click();
    const newest = page.getByRole("region", { name: "Messages" }).getByRole("row").nth(1);
    await expect(newest.textContent()).resolves.toContain("forgot-password");
    const code = (await newest.locator(".code-big").textContent()) as string;
    expect(code).toMatch(/^\d{6}$/);
    await screenshot(page, "console-outbox");

    await server.client.send(
      new ConfirmForgotPasswordCommand({
        ClientId: clientId,
        Username: "maria",
        ConfirmationCode: code,
        Password: "N3w-password!",
      }),
    );
    const signedIn = await server.client.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: "USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "maria", PASSWORD: "N3w-password!" },
      }),
    );
    expect(signedIn.AuthenticationResult?.AccessToken).toBeTruthy();

    await page.getByRole("navigation").getByRole("link", { name: "Sign-in events" }).click();
    const events = page.getByRole("region", { name: "Sign-in events" });
    const row = events.getByRole("row").filter({ hasText: "maria" }).filter({ hasText: "SignIn" });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.textContent()).resolves.toContain("Pass");
    await expect(row.textContent()).resolves.toContain("NoRisk");
    await screenshot(page, "console-events");
    await page.context().close();
  });

  it("creates a group with the keyboard alone", async () => {
    const page = await open(`/console/pools/${poolId}/groups`, true);
    // From the top of the page: the skip link first, then into the content.
    await page.keyboard.press("Tab");
    await expect(page.evaluate("document.activeElement?.textContent")).resolves.toBe("Skip to content");
    let guard = 0;
    while ((await page.evaluate("document.activeElement?.id")) !== "group-name" && guard++ < 40) {
      await page.keyboard.press("Tab");
    }
    await page.keyboard.type("editors");
    await page.keyboard.press("Tab");
    await page.keyboard.type("People who edit");
    await page.keyboard.press("Tab");
    await page.keyboard.type("5");
    await page.keyboard.press("Tab");
    await expect(page.evaluate("document.activeElement?.textContent")).resolves.toBe("Create group");
    await screenshot(page, "console-keyboard");
    await Promise.all([page.waitForURL(/done=group-created/), page.keyboard.press("Enter")]);
    await expect(page.getByRole("status").textContent()).resolves.toBe("Group created.");
    const groups = await server.client.send(new ListGroupsCommand({ UserPoolId: poolId }));
    expect(groups.Groups?.map((g) => [g.GroupName, g.Description, g.Precedence])).toEqual([
      ["editors", "People who edit", 5],
    ]);
    await page.context().close();
  });
});

it.skipIf(browserAvailable)("browser tests", () => {
  console.warn(BROWSER_SKIP_MESSAGE);
});
