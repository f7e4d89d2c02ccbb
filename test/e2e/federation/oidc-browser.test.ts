/**
 * Federated sign-in in a real browser: the sign-in page on the domain's loopback host offers the
 * OpenID provider (`oidc-provider`, run by the test), the button takes chromium there, the
 * provider's own login form signs the account in, and the browser comes back through
 * `/oauth2/idpresponse` to the app's callback with a code the app exchanges with its PKCE verifier.
 */
import type { Browser } from "playwright-core";
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
import { jwtPayload, type OAuthApp, pkcePair, tokenRequest } from "../../support/oauth.js";
import { type OpenIdProvider, startOpenIdProvider } from "../../support/oidc-provider.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { appFor, createProvider, poolWithDomain } from "./flow-support.js";

let server: TestServer;
let browser: Browser;
let web: TestApp;
let op: OpenIdProvider;
let app: OAuthApp;
let host: string;

beforeAll(async () => {
  if (!browserAvailable) return;
  [server, browser, web] = await Promise.all([
    startTestServer({ federation: { allowInsecureIdpUrls: true } }),
    launchBrowser(),
    startTestApp(),
  ]);
  const site = await poolWithDomain(server);
  host = `http://${site.domain}.auth.us-east-1.localhost:${server.port}`;
  op = await startOpenIdProvider([`${host}/oauth2/idpresponse`]);
  op.loginForm = true;
  op.accounts.set("alice", { email: "alice@corp.example", email_verified: true, name: "Alice" });
  await createProvider(server, {
    UserPoolId: site.poolId,
    ProviderName: "Corp",
    ProviderType: "OIDC",
    ProviderDetails: {
      client_id: op.clientId,
      client_secret: op.clientSecret,
      authorize_scopes: "openid email profile",
      attributes_request_method: "GET",
      oidc_issuer: op.issuer,
    },
    AttributeMapping: { email: "email", name: "name" },
    IdpIdentifiers: ["corp.example"],
  });
  app = await appFor(server, site, ["COGNITO", "Corp"], { CallbackURLs: [web.callbackUrl] });
  app.redirectUri = web.callbackUrl;
});
afterAll(async () => {
  await browser?.close();
  await op?.close();
  await web?.close();
  await server?.stop();
});

describe.skipIf(!browserAvailable)(
  `in chromium${browserAvailable ? "" : ` (${BROWSER_SKIP_MESSAGE})`}`,
  () => {
    it("signs in through the OpenID provider from the sign-in page's button", async () => {
      const context = await newContext(browser);
      const page = await context.newPage();
      const { verifier, challenge } = pkcePair();
      const query = new URLSearchParams({
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        response_type: "code",
        scope: "openid email profile",
        state: "s-1",
        code_challenge: challenge,
        code_challenge_method: "S256",
      });
      await page.goto(`${host}/oauth2/authorize?${query}`);
      const desktop = page.locator(".modal-content-desktop");
      expect(await desktop.locator("form[name=loginWithIdentityProvider] button").textContent()).toBe(
        "Continue with Corp",
      );
      await screenshot(page, "federation-sign-in-page");
      await desktop.getByRole("button", { name: "Continue with Corp" }).click();
      await page.waitForURL((url) => url.href.startsWith(`${op.issuer}/interaction/`));
      await page.getByLabel("Account").fill("alice");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.href.startsWith(web.callbackUrl));
      const callback = new URL(page.url()).searchParams;
      expect(callback.get("state")).toBe("s-1");
      const tokens = await tokenRequest(app, {
        grant_type: "authorization_code",
        client_id: app.clientId,
        code: callback.get("code") ?? "",
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
      });
      expect(tokens.status).toBe(200);
      const id = jwtPayload(tokens.body.id_token);
      expect(id["cognito:username"]).toBe("Corp_alice");
      expect(id.email).toBe("alice@corp.example");
      // The browser now has a session on the domain: the next authorization needs no page.
      await page.goto(`${host}/oauth2/authorize?${query}`);
      await page.waitForURL((url) => url.href.startsWith(web.callbackUrl));
      await context.close();
    });
  },
);
