/**
 * The HTTPS listener (docs/OAUTH.md, "HTTPS"): a self-signed certificate generated for localhost and
 * the domains' loopback names, kept in the data directory and trusted by a client told to; or the
 * configured certificate. Over TLS the domain's cookies are Secure; a browser signs in on the
 * domain's https host name and the code it returns is exchanged over TLS.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../../src/config/config.js";
import { selfSignedServerCertificate } from "../../../src/crypto/tls-certificate.js";
import { generatedCertificatePath } from "../../../src/http/tls.js";
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
import { createOAuthApp, type OAuthApp, pkcePair } from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The certificate the server presented, PEM-free: its SHA-256 fingerprint. */
  fingerprint: string;
}

/** One HTTPS request to 127.0.0.1 with `hostName` as SNI and Host, trusting only `ca`. */
function httpsRequest(
  url: string,
  options: { ca: string; hostName?: string; method?: string; form?: Record<string, string> },
): Promise<HttpsAnswer> {
  const target = new URL(url);
  const body = options.form && new URLSearchParams(options.form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? "GET",
        ca: options.ca,
        servername: options.hostName ?? "localhost",
        headers: {
          host: `${options.hostName ?? "localhost"}:${target.port}`,
          ...(body && { "content-type": "application/x-www-form-urlencoded" }),
        },
      },
      (res) => {
        const socket = res.socket as import("node:tls").TLSSocket;
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            fingerprint,
          });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The query of a code request with PKCE for the app. */
function codeRequest(app: OAuthApp, challenge: string): URLSearchParams {
  return new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: "code",
    scope: "openid",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
}

function cookies(answer: HttpsAnswer): string[] {
  const set = answer.headers["set-cookie"];
  return Array.isArray(set) ? set : set ? [set] : [];
}

describe("the HTTPS listener with a generated certificate", () => {
  let server: TestServer;
  let app: OAuthApp;
  let ca: string;
  let domainHost: string;

  beforeAll(async () => {
    server = await startTestServer({ tls: { port: 0 } });
    app = await createOAuthApp(server);
    ca = readFileSync(join(server.dataDir, "tls", "cert.pem"), "utf8");
    domainHost = `${app.domain}.auth.us-east-1.localhost`;
  });
  afterAll(() => server?.stop());

  it("serves the API and the health check over TLS, under a certificate for localhost and 127.0.0.1", async () => {
    expect(server.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpsRequest(`${server.httpsUrl}/health`, { ca });
    expect(health.status).toBe(200);
    // The same certificate names 127.0.0.1 itself.
    const byAddress = await httpsRequest(`${server.httpsUrl}/health`, { ca, hostName: "127.0.0.1" });
    expect(byAddress.status).toBe(200);
  });

  it("serves a domain by its loopback host name, with Secure cookies", async () => {
    const { challenge } = pkcePair();
    const query = codeRequest(app, challenge);
    const login = await httpsRequest(`${server.httpsUrl}/login?${query}`, { ca, hostName: domainHost });
    expect(login.status).toBe(200);
    expect(login.body).toContain('name="password"');
    const set = cookies(login);
    expect(set.length).toBeGreaterThan(0);
    for (const cookie of set) expect(cookie).toMatch(/;\s*Secure/i);
    // Browsers keep to https for the domain once they have been there over TLS.
    expect(login.headers["strict-transport-security"]).toMatch(/max-age=\d+/);

    // The same page over plain HTTP sets no Secure cookie (a browser would drop it).
    const plain = await fetch(`${app.base}/login?${query}`);
    expect(plain.status).toBe(200);
    for (const cookie of plain.headers.getSetCookie()) expect(cookie).not.toMatch(/;\s*Secure/i);
    expect(plain.headers.get("strict-transport-security")).toBeNull();
  });

  it("keeps its certificate across a restart on the same data", async () => {
    const before = readFileSync(generatedCertificatePath(configFor(server.dataDir)), "utf8");
    const first = await httpsRequest(`${server.httpsUrl}/health`, { ca });
    const again = await startTestServer({ tls: { port: 0 } }, { dataDir: server.dataDir });
    try {
      const second = await httpsRequest(`${again.httpsUrl}/health`, { ca });
      expect(second.fingerprint).toBe(first.fingerprint);
      expect(readFileSync(generatedCertificatePath(configFor(server.dataDir)), "utf8")).toBe(before);
    } finally {
      await again.stop({ keepData: true });
    }
  });
});

function configFor(dataDir: string) {
  return parseConfig({ store: { dataDir } }, "test");
}

describe("the HTTPS listener with a configured certificate", () => {
  it("presents the configured certificate", async () => {
    const material = await selfSignedServerCertificate(["localhost"], new Date());
    const probe = await startTestServer();
    const certFile = join(probe.dataDir, "configured-cert.pem");
    const keyFile = join(probe.dataDir, "configured-key.pem");
    writeFileSync(certFile, material.cert);
    writeFileSync(keyFile, material.key);
    await probe.stop({ keepData: true });
    const server = await startTestServer({ tls: { port: 0, certFile, keyFile } }, { dataDir: probe.dataDir });
    try {
      const answer = await httpsRequest(`${server.httpsUrl}/health`, { ca: material.cert });
      expect(answer.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("refuses a certificate without its key, naming both keys", () => {
    expect(() => parseConfig({ tls: { port: 0, certFile: "/tmp/cert.pem" } }, "test")).toThrow(ConfigError);
    expect(() => parseConfig({ tls: { port: 0, certFile: "/tmp/cert.pem" } }, "test")).toThrow(
      /certFile and keyFile must be given together/,
    );
  });

  it("stops with a message when a configured file cannot be read", async () => {
    await expect(
      startTestServer({
        tls: { port: 0, certFile: "/nonexistent/cert.pem", keyFile: "/nonexistent/key.pem" },
      }),
    ).rejects.toThrow(/cannot read the TLS certificate \/nonexistent\/cert\.pem/);
  });
});

describe.skipIf(!browserAvailable)("a browser on the domain's https host name", () => {
  let server: TestServer;
  let browser: Browser;
  let web: TestApp;
  let app: OAuthApp;
  let ca: string;

  beforeAll(async () => {
    [server, browser, web] = await Promise.all([
      startTestServer({ tls: { port: 0 } }),
      launchBrowser(),
      startTestApp(),
    ]);
    app = await createOAuthApp(server, { client: { CallbackURLs: [web.callbackUrl] } });
    app.redirectUri = web.callbackUrl;
    await createUser(server, app.poolId, "tess");
    ca = readFileSync(join(server.dataDir, "tls", "cert.pem"), "utf8");
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await server?.stop();
  });

  it("signs in, and the code is exchanged at the token endpoint over TLS", async () => {
    const port = new URL(server.httpsUrl as string).port;
    const domainHost = `${app.domain}.auth.us-east-1.localhost`;
    const { verifier, challenge } = pkcePair();
    const query = codeRequest(app, challenge);
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`https://${domainHost}:${port}/oauth2/authorize?${query}`);
    expect(new URL(page.url()).protocol).toBe("https:");
    await screenshot(page, "sign-in-https");
    const form = page.locator(".modal-content-desktop form[name=cognitoSignInForm]");
    await form.locator("input[name=username]").fill("tess");
    await form.locator("input[name=password]").fill(PASSWORD);
    await form.locator("input[name=signInSubmitButton]").click();
    await page.waitForURL((url) => url.href.startsWith(web.callbackUrl));
    const code = new URL(page.url()).searchParams.get("code") ?? "";
    const browserCookies = await context.cookies(`https://${domainHost}:${port}`);
    expect(browserCookies.find((c) => c.name === "cognito")?.secure).toBe(true);
    await context.close();

    const tokens = await httpsRequest(`https://${domainHost}:${port}/oauth2/token`, {
      ca,
      hostName: domainHost,
      method: "POST",
      form: {
        grant_type: "authorization_code",
        client_id: app.clientId,
        code,
        redirect_uri: app.redirectUri,
        code_verifier: verifier,
      },
    });
    expect(tokens.status).toBe(200);
    expect(JSON.parse(tokens.body)).toMatchObject({ token_type: "Bearer" });
  });
});

if (!browserAvailable) process.stderr.write(`tls.test.ts: ${BROWSER_SKIP_MESSAGE}\n`);
