/**
 * A real browser for the tests of the sign-in pages: Debian's chromium driven by playwright-core.
 * Where chromium is not installed (`.ci/run` installs it), the browser tests skip and say so.
 */
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM_PATH = process.env.COGNATE_TEST_CHROMIUM ?? "/usr/bin/chromium";
export const browserAvailable = existsSync(CHROMIUM_PATH);
export const BROWSER_SKIP_MESSAGE = `chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium, or set COGNATE_TEST_CHROMIUM): browser tests skipped`;

if (!browserAvailable) process.stderr.write(`${BROWSER_SKIP_MESSAGE}\n`);

/** Flags that keep a headless chromium quiet on a machine without outside network. */
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });
}

/** A fresh profile (no cookies), optionally without JavaScript. */
export function newContext(
  browser: Browser,
  options: { javaScript?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    viewport: options.viewport ?? { width: 1280, height: 860 },
    ignoreHTTPSErrors: true,
  });
}

/** Where screenshots go, for a person to look at (COGNATE_SCREENSHOTS=<dir> to keep them). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.COGNATE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/**
 * The app a browser is sent back to: a plain HTTP server on loopback that answers every request
 * with a small page and records the URLs it was sent to (its `/callback` is a registered
 * callback URL; http is allowed for localhost).
 */
export interface TestApp {
  origin: string;
  callbackUrl: string;
  logoutUrl: string;
  /** Every URL the browser requested of the app, in order. */
  visits: string[];
  close(): Promise<void>;
}

export async function startTestApp(): Promise<TestApp> {
  const visits: string[] = [];
  const server = createServer((req, res) => {
    visits.push(`${origin}${req.url}`);
    res
      .writeHead(200, { "content-type": "text/html" })
      .end("<!doctype html><title>app</title><p>Back in the app.</p>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://localhost:${port}`;
  return {
    origin,
    callbackUrl: `${origin}/callback`,
    logoutUrl: `${origin}/signed-out`,
    visits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
