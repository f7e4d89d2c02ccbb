/**
 * What the tests of a pool's domain share: a pool with a domain, an OAuth app client and users; a
 * cookie-keeping HTTP agent that walks the endpoints and pages as a browser without JavaScript
 * would; PKCE pairs; the token endpoint.
 */
import { createHash, randomBytes } from "node:crypto";
import {
  CreateManagedLoginBrandingCommand,
  CreateResourceServerCommand,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createClient, createPool } from "./fixtures.js";
import type { TestServer } from "./server.js";

export const REDIRECT_URI = "https://app.example.com/callback";
export const LOGOUT_URI = "https://app.example.com/signed-out";
/** The resource server the tests' custom scopes belong to (createReadApi). */
export const API = "https://api.example.com";

export interface OAuthApp {
  poolId: string;
  /** The domain's prefix. */
  domain: string;
  clientId: string;
  secret?: string;
  redirectUri: string;
  /** The domain in the path form on the test server: `<server>/_domain/<domain>`. */
  base: string;
}

let domainCounter = 0;

/** A fresh domain prefix, unique in this process (the tests of a file share one server). */
export function uniqueDomain(prefix = "app"): string {
  domainCounter += 1;
  return `${prefix}-${process.pid}-${domainCounter}`;
}

/** The OAuth settings of a code-flow app client that signs users in on the domain's pages. */
export function oauthClientSettings(
  overrides: Partial<CreateUserPoolClientCommandInput> = {},
): Partial<CreateUserPoolClientCommandInput> {
  return {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code", "implicit"],
    AllowedOAuthScopes: ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"],
    CallbackURLs: [REDIRECT_URI],
    LogoutURLs: [LOGOUT_URI],
    SupportedIdentityProviders: ["COGNITO"],
    ...overrides,
  };
}

/** A pool with a prefix domain and an OAuth app client. */
export async function createOAuthApp(
  server: TestServer,
  options: {
    pool?: Partial<CreateUserPoolCommandInput>;
    client?: Partial<CreateUserPoolClientCommandInput>;
    managedLoginVersion?: number;
    /** Give the client Cognito's default managed-login style (managed login serves only styled clients). */
    styled?: boolean;
    poolId?: string;
  } = {},
): Promise<OAuthApp> {
  const poolId = options.poolId ?? (await createPool(server, options.pool));
  const domain = uniqueDomain();
  if (!options.poolId) {
    await server.client.send(
      new CreateUserPoolDomainCommand({
        UserPoolId: poolId,
        Domain: domain,
        ManagedLoginVersion: options.managedLoginVersion,
      }),
    );
  }
  const { clientId, secret } = await createClient(server, poolId, oauthClientSettings(options.client));
  if (options.styled) {
    await server.client.send(
      new CreateManagedLoginBrandingCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        UseCognitoProvidedValues: true,
      }),
    );
  }
  return {
    poolId,
    domain,
    clientId,
    secret,
    redirectUri: REDIRECT_URI,
    base: `${server.url}/_domain/${domain}`,
  };
}

/** A PKCE S256 pair (RFC 7636). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export interface AgentResponse {
  status: number;
  headers: Headers;
  location: string | null;
  body: string;
}

/**
 * An HTTP client that keeps cookies (by name: the tests use one domain per agent) and does not
 * follow redirects, so each hop can be checked.
 */
export class Agent {
  readonly cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  private absolute(url: string): string {
    return url.startsWith("/") ? `${this.origin}${url}` : url;
  }

  private remember(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";").map((part) => part.trim());
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const gone = attributes.some((a) => /^max-age=0$/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, decodeURIComponent(pair.slice(at + 1)));
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("; ");
  }

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ): Promise<AgentResponse> {
    const headers: Record<string, string> = { cookie: this.cookieHeader(), ...init.headers };
    if (init.form) headers["content-type"] = "application/x-www-form-urlencoded";
    const res = await fetch(this.absolute(url), {
      method: init.method ?? (init.form ? "POST" : "GET"),
      headers,
      body: init.form ? new URLSearchParams(init.form) : undefined,
      redirect: "manual",
    });
    this.remember(res.headers);
    return {
      status: res.status,
      headers: res.headers,
      location: res.headers.get("location"),
      body: await res.text(),
    };
  }

  get(url: string): Promise<AgentResponse> {
    return this.request(url);
  }

  post(url: string, form: Record<string, string>): Promise<AgentResponse> {
    return this.request(url, { form });
  }
}

/** The value of a hidden input in a page (the first one of that name). */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name.replace(/[[\]]/g, "\\$&")}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no field ${name} in the page`);
  return match[1]
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** The form action of the first form in a page, unescaped. */
export function formAction(html: string): string {
  const match = /<form action="([^"]*)"/.exec(html);
  if (!match) throw new Error("no form in the page");
  return match[1].replace(/&amp;/g, "&");
}

/** An authorization request's query for the app. */
export function authorizeQuery(app: OAuthApp, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: "code",
    scope: "openid email",
    state: "state-123",
    ...extra,
  });
}

/**
 * Walks authorize → sign-in page → POST /login with the credentials; returns the last response
 * (the redirect to the app, or the page shown after the password).
 */
export async function signInOnPage(
  agent: Agent,
  app: OAuthApp,
  credentials: { username: string; password: string },
  extra: Record<string, string> = {},
): Promise<AgentResponse> {
  const authorize = await agent.get(`${app.base}/oauth2/authorize?${authorizeQuery(app, extra)}`);
  if (authorize.status !== 302 || !authorize.location)
    throw new Error(`authorize answered ${authorize.status}`);
  const page = await agent.get(authorize.location);
  if (page.status !== 200) return page;
  return agent.post(formAction(page.body), {
    _csrf: hiddenField(page.body, "_csrf"),
    username: credentials.username,
    password: credentials.password,
  });
}

/** The code (and state) of a redirect to the app's callback. */
export function callbackParameters(location: string | null): URLSearchParams {
  if (!location) throw new Error("no redirect");
  const url = new URL(location);
  return url.hash ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** POSTs a form to the token endpoint, with HTTP Basic credentials when given. */
export async function tokenRequest(
  app: OAuthApp,
  form: Record<string, string>,
  basic?: { id: string; secret: string },
): Promise<TokenAnswer> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString("base64")}`;
  const res = await fetch(`${app.base}/oauth2/token`, {
    method: "POST",
    headers,
    body: new URLSearchParams(form),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
}

/** The decoded payload of a JWT (no verification). */
export function jwtPayload(token: unknown): Record<string, unknown> {
  if (typeof token !== "string") throw new Error("not a token");
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}

/** The resource server `API` in the pool, with one scope, `read` (`${API}/read`). */
export async function createReadApi(server: TestServer, poolId: string): Promise<void> {
  await server.client.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: API,
      Name: "api",
      Scopes: [{ ScopeName: "read", ScopeDescription: "read" }],
    }),
  );
}
