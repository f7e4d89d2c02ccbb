/**
 * How the domain's pages look, as served: classic pages with the UI customization's CSS and logo;
 * managed-login pages with the client's style as custom properties, its images served by this
 * server; a client without a style refused managed login (or shown the default style where
 * configured); and the terms line of the managed-login sign-up page.
 */
import {
  CreateManagedLoginBrandingCommand,
  type CreateManagedLoginBrandingCommandInput,
  CreateTermsCommand,
  SetUICustomizationCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { termsLineFor } from "../../../src/oauth/terms-line.js";
import { solidPng, wordmarkSvg } from "../../support/images.js";
import { Agent, authorizeQuery, createOAuthApp, type OAuthApp } from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

/** The sign-in page the app's authorization request leads to. */
async function signInPage(app: OAuthApp, extra: Record<string, string> = {}) {
  const agent = new Agent(server.url);
  const authorize = await agent.get(`${app.base}/oauth2/authorize?${authorizeQuery(app, extra)}`);
  expect(authorize.status).toBe(302);
  return agent.get(authorize.location as string);
}

async function style(
  app: OAuthApp,
  settings: NonNullable<CreateManagedLoginBrandingCommandInput["Settings"]>,
  assets: { category: string; mode: string; svg: Buffer }[] = [],
) {
  await server.client.send(
    new CreateManagedLoginBrandingCommand({
      UserPoolId: app.poolId,
      ClientId: app.clientId,
      Settings: settings,
      Assets: assets.map((a) => ({
        Category: a.category as "FORM_LOGO",
        ColorMode: a.mode as "LIGHT",
        Extension: "SVG",
        Bytes: a.svg,
      })),
    }),
  );
}

describe("classic pages", () => {
  it("carry the customization's CSS after ours and its logo, which this server serves", async () => {
    const app = await createOAuthApp(server);
    const logo = solidPng(120, 40, 0x0f766e);
    const css = ".submitButton-customizable { background-color: #0f766e; }";
    await server.client.send(
      new SetUICustomizationCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        CSS: css,
        ImageFile: logo,
      }),
    );
    const page = await signInPage(app);
    expect(page.status).toBe(200);
    const sheets = [...page.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
    expect(sheets).toHaveLength(2);
    expect(sheets[1]).toBe(css);
    const src = /<img class="logo-customizable" src="([^"]+)" alt="app">/.exec(page.body)?.[1];
    expect(src).toMatch(/^\/_cognate\/ui-customization\//);
    // Both copies of the classic card show it.
    expect(page.body.split('class="logo-customizable"')).toHaveLength(3);
    const image = await fetch(`${server.url}${src}`);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await image.arrayBuffer()).equals(logo)).toBe(true);
  });

  it("without a customization show the app's name on the banner", async () => {
    const app = await createOAuthApp(server);
    const page = await signInPage(app);
    expect(page.body).toContain('<div class="banner-customizable"><span class="app-name">app</span></div>');
    expect([...page.body.matchAll(/<style>/g)]).toHaveLength(1);
  });
});

describe("managed login pages", () => {
  it("take the style's colours, radius, font and colour scheme, its form logo and favicon", async () => {
    const app = await createOAuthApp(server, { managedLoginVersion: 2 });
    await style(
      app,
      {
        categories: { global: { colorSchemeMode: "LIGHT", fontFamily: "Georgia, serif" } },
        componentClasses: { buttons: { borderRadius: 20 } },
        components: {
          primaryButton: { lightMode: { defaults: { backgroundColor: "e11d48ff", textColor: "ffffffff" } } },
          form: { logo: { enabled: true } },
        },
      },
      [
        { category: "FORM_LOGO", mode: "LIGHT", svg: wordmarkSvg("ACME", "#e11d48") },
        { category: "FAVICON_SVG", mode: "LIGHT", svg: wordmarkSvg("A", "#e11d48", 32, 32) },
      ],
    );
    const page = await signInPage(app);
    expect(page.status).toBe(200);
    // One card, the classic twin copies are gone; the classic field names stay.
    expect(page.body).not.toContain("modal-content-desktop");
    expect(page.body).toContain('name="username"');
    const custom = [...page.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1])[1];
    expect(custom).toContain("--accent: #e11d48ff;");
    expect(custom).toContain("--radius-button: 20px;");
    expect(custom).toContain("--font: Georgia, serif;");
    // LIGHT only: no dark variant.
    expect(custom).not.toContain("prefers-color-scheme");
    const logo = /<div class="form-logo"><img src="([^"]+)" alt="app"><\/div>/.exec(page.body)?.[1];
    expect(logo).toMatch(/^\/_cognate\/managed-login\/.+\/FORM_LOGO-LIGHT\.svg$/);
    const image = await fetch(`${server.url}${logo}`);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/svg+xml");
    // An uploaded SVG opened on its own runs no script.
    expect(image.headers.get("content-security-policy")).toContain("sandbox");
    expect(page.body).toMatch(
      /<link rel="icon" href="\/_cognate\/managed-login\/[^"]+\/FAVICON_SVG-LIGHT\.svg" type="image\/svg\+xml">/,
    );
  });

  it("follow the browser's colour scheme with the dark colours and images where the style is DYNAMIC", async () => {
    const app = await createOAuthApp(server, { managedLoginVersion: 2 });
    await style(app, { components: { form: { logo: { enabled: true } } } }, [
      { category: "FORM_LOGO", mode: "LIGHT", svg: wordmarkSvg("DAY", "#1d4ed8") },
      { category: "FORM_LOGO", mode: "DARK", svg: wordmarkSvg("NIGHT", "#93c5fd") },
    ]);
    const page = await signInPage(app);
    expect(page.body).toMatch(/@media \(prefers-color-scheme: dark\) \{ :root \{ [^}]*--card: #151922ff;/);
    expect(page.body).toMatch(
      /<picture><source srcset="[^"]+FORM_LOGO-DARK\.svg" media="\(prefers-color-scheme: dark\)"><img src="[^"]+FORM_LOGO-LIGHT\.svg" alt="app"><\/picture>/,
    );
  });

  it("keep settings that are not plain values out of the page", async () => {
    const app = await createOAuthApp(server, { managedLoginVersion: 2 });
    await style(app, {
      categories: { global: { fontFamily: "x;} body{display:none" } },
      components: {
        primaryButton: {
          lightMode: { defaults: { backgroundColor: "red;}</style><script>alert(1)</script>" } },
        },
      },
    });
    const page = await signInPage(app);
    expect(page.body).not.toContain("alert(1)");
    expect(page.body).not.toContain("display:none");
    // Our stylesheet's own accent and font stand in.
    const custom = [...page.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1])[1];
    const light = custom.split("@media")[0];
    expect(light).not.toContain("--accent:");
    expect(light).not.toContain("--font:");
    expect(light).toContain("--card: #ffffffff;");
  });

  it("are unavailable to a client without a style: the error page says so", async () => {
    const app = await createOAuthApp(server, { managedLoginVersion: 2 });
    const page = await signInPage(app);
    expect(page.status).toBe(400);
    expect(page.body).toContain("An error was encountered with the requested page.");
    expect(page.body).toContain(
      "Managed login is not available to this app client: it has no managed login branding style.",
    );
    expect(page.body).not.toContain("cognitoSignInForm");
    // The error page itself still gives its own reason, in the default look.
    const error = await new Agent(server.url).get(
      `${app.base}/error?error=redirect_mismatch&client_id=${app.clientId}`,
    );
    expect(error.status).toBe(400);
    expect(error.body).toContain("(redirect_mismatch)");
  });

  it("show a client without a style the default style where the configuration says so", async () => {
    const relaxed = await startTestServer({ domains: { unstyledClients: "default" } });
    try {
      const app = await createOAuthApp(relaxed, { managedLoginVersion: 2 });
      const agent = new Agent(relaxed.url);
      const authorize = await agent.get(`${app.base}/oauth2/authorize?${authorizeQuery(app)}`);
      const page = await agent.get(authorize.location as string);
      expect(page.status).toBe(200);
      expect(page.body).toContain("cognitoSignInForm");
      expect(page.body).toContain("--accent: #3451b2ff;");
    } finally {
      await relaxed.stop();
    }
  });
});

describe("the terms line", () => {
  async function terms(
    app: OAuthApp,
    name: "terms-of-use" | "privacy-policy",
    links: Record<string, string>,
  ) {
    await server.client.send(
      new CreateTermsCommand({
        UserPoolId: app.poolId,
        ClientId: app.clientId,
        TermsName: name,
        TermsSource: "LINK",
        Enforcement: "NONE",
        Links: links,
      }),
    );
  }

  it("links both documents once both exist, in the page's language or else the default one", async () => {
    const app = await createOAuthApp(server, { managedLoginVersion: 2 });
    const client = { poolId: app.poolId, id: app.clientId };
    const store = server.services.store;
    await terms(app, "terms-of-use", {
      "cognito:default": "https://example.com/terms",
      "cognito:french": "https://example.com/fr/conditions",
      "cognito:portuguese-brazil": "https://example.com/br/termos",
    });
    expect(await termsLineFor(store, client, "en")).toBeUndefined();
    await terms(app, "privacy-policy", { "cognito:default": "https://example.com/privacy" });

    const english = (await termsLineFor(store, client, undefined))?.text;
    expect(english).toBe(
      '<p class="legalText-customizable">By signing up, you agree to the <a class="redirect-customizable" href="https://example.com/terms" target="_blank" rel="noopener noreferrer">Terms of use</a> and the <a class="redirect-customizable" href="https://example.com/privacy" target="_blank" rel="noopener noreferrer">Privacy policy</a>.</p>',
    );
    const french = (await termsLineFor(store, client, "fr-CA"))?.text;
    expect(french).toContain('href="https://example.com/fr/conditions"');
    expect(french).toContain('href="https://example.com/privacy"');
    expect((await termsLineFor(store, client, "pt-BR"))?.text).toContain("https://example.com/br/termos");
    expect((await termsLineFor(store, client, "ja"))?.text).toContain('href="https://example.com/terms"');
  });
});
