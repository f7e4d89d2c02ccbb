/**
 * Amplify v6's signInWithRedirect in a real browser, configured as docs/OAUTH.md shows: a single-page
 * app on http://localhost sends the browser to the domain's https loopback host name (Amplify always
 * uses https for the domain, hence the HTTPS listener), the user signs in on the page, Amplify's
 * OAuth listener exchanges the code at the token endpoint (a cross-origin request) and holds the
 * tokens; signOut goes through /logout and back to the app.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BROWSER_SKIP_MESSAGE,
  browserAvailable,
  launchBrowser,
  newContext,
  screenshot,
} from "../../support/browser.js";
import { createUser, PASSWORD } from "../../support/fixtures.js";
import { createOAuthApp, jwtPayload, type OAuthApp } from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const ENTRY = fileURLToPath(new URL("../../support/amplify-page/entry.ts", import.meta.url));

/** The app's bundle: Amplify and the page's few lines, for the browser. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    write: false,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return result.outputFiles[0].text;
}

interface SinglePageApp {
  origin: string;
  close(): Promise<void>;
}

/** Serves the bundle at /app.js and the page, with its Amplify configuration, at every other path. */
async function startSinglePageApp(
  script: string,
  config: (origin: string) => object,
): Promise<SinglePageApp> {
  let origin = "";
  const server: Server = createServer((req, res) => {
    if (req.url === "/app.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(script);
      return;
    }
    const json = JSON.stringify(config(origin)).replace(/</g, "\\u003c");
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(
        `<!doctype html><title>amplify app</title><script type="application/json" id="amplify-config">${json}</script>` +
          `<script type="module" src="/app.js"></script><p>The app.</p>`,
      );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe.skipIf(!browserAvailable)("Amplify signInWithRedirect", () => {
  let server: TestServer;
  let browser: Browser;
  let spa: SinglePageApp;
  let app: OAuthApp;

  beforeAll(async () => {
    let script: string;
    [server, browser, script] = await Promise.all([
      startTestServer({ tls: { port: 0 } }),
      launchBrowser(),
      bundle(),
    ]);
    const tlsPort = new URL(server.httpsUrl as string).port;
    let clientId = "";
    let poolId = "";
    let domain = "";
    spa = await startSinglePageApp(script, (origin) => ({
      userPoolId: poolId,
      userPoolClientId: clientId,
      userPoolEndpoint: server.url,
      domain: `${domain}.auth.us-east-1.localhost:${tlsPort}`,
      redirectSignIn: `${origin}/callback`,
      redirectSignOut: `${origin}/`,
    }));
    app = await createOAuthApp(server, {
      client: { CallbackURLs: [`${spa.origin}/callback`], LogoutURLs: [`${spa.origin}/`] },
    });
    ({ clientId, poolId, domain } = app);
    await createUser(server, app.poolId, "amy", {
      attributes: [
        { Name: "email", Value: "amy@example.com" },
        { Name: "email_verified", Value: "true" },
      ],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await spa?.close();
    await server?.stop();
  });

  it("signs in on the domain's page, and Amplify holds the user's tokens; signOut signs out", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${spa.origin}/`);
    await page.waitForFunction(() => "app" in globalThis);
    await page.evaluate(() => (globalThis as unknown as { app: { signIn(): Promise<void> } }).app.signIn());
    await page.waitForURL((url) => url.pathname === "/login");
    const signInPage = new URL(page.url());
    expect(signInPage.protocol).toBe("https:");
    expect(signInPage.hostname).toBe(`${app.domain}.auth.us-east-1.localhost`);
    await screenshot(page, "amplify-sign-in");

    const form = page.locator(".modal-content-desktop form[name=cognitoSignInForm]");
    await form.locator("input[name=username]").fill("amy");
    await form.locator("input[name=password]").fill(PASSWORD);
    await form.locator("input[name=signInSubmitButton]").click();
    await page.waitForURL((url) => url.href.startsWith(`${spa.origin}/`));
    await page.waitForFunction(() =>
      (globalThis as unknown as { app: { events: string[] } }).app.events.includes("signInWithRedirect"),
    );
    const session = await page.evaluate(() =>
      (globalThis as unknown as { app: { session(): Promise<Record<string, string | null>> } }).app.session(),
    );
    expect(session.username).toBe("amy");
    expect(jwtPayload(session.idToken)).toMatchObject({ aud: app.clientId, email: "amy@example.com" });
    expect(jwtPayload(session.accessToken)).toMatchObject({ client_id: app.clientId, token_use: "access" });

    await page.evaluate(
      () => void (globalThis as unknown as { app: { signOut(): Promise<void> } }).app.signOut(),
    );
    await page.waitForURL((url) => url.href === `${spa.origin}/`);
    // The browser session is gone: the next sign-in shows the page again.
    await page.waitForFunction(() => "app" in globalThis);
    await page.evaluate(() => (globalThis as unknown as { app: { signIn(): Promise<void> } }).app.signIn());
    await page.waitForURL((url) => url.pathname === "/login");
    await context.close();
  });
});

if (!browserAvailable) process.stderr.write(`amplify-redirect.test.ts: ${BROWSER_SKIP_MESSAGE}\n`);
