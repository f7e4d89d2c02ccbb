/**
 * The OAuth scenarios (issue 11): the token endpoint's client_credentials and refresh_token grants,
 * and a whole authorization code flow as a browser without JavaScript walks it: GET /oauth2/authorize
 * → the sign-in page → POST /login with its CSRF token and cookies → the redirect to the app's
 * callback with the code → POST /oauth2/token with the PKCE verifier. A flow is one "request".
 */
import { createHash, randomBytes } from "node:crypto";
import { call, type HttpAnswer, send, type Target, type Workload } from "./client.js";
import type { BenchPool } from "./setup.js";

const REDIRECT_URI = "https://app.example.com/callback";
const API = "https://api.example.com";

export interface OAuthSetup {
  /** The path form of the pool's domain: `/_domain/<prefix>`. */
  base: string;
  /** The code-flow app client (no secret). */
  clientId: string;
  /** The machine-to-machine client (secret, client_credentials). */
  m2m: { id: string; secret: string };
}

async function ok(target: Target, operation: string, payload: unknown) {
  const res = await call(target, operation, payload);
  if (res.status !== 200) throw new Error(`${operation}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function setUpOAuth(target: Target, pool: BenchPool): Promise<OAuthSetup> {
  const domain = `bench-${process.pid}`;
  await ok(target, "CreateUserPoolDomain", { UserPoolId: pool.poolId, Domain: domain });
  await ok(target, "CreateResourceServer", {
    UserPoolId: pool.poolId,
    Identifier: API,
    Name: "api",
    Scopes: [{ ScopeName: "read", ScopeDescription: "read" }],
  });
  const app = (await ok(target, "CreateUserPoolClient", {
    UserPoolId: pool.poolId,
    ClientName: "bench-web",
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid", "email"],
    CallbackURLs: [REDIRECT_URI],
    SupportedIdentityProviders: ["COGNITO"],
    ExplicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
  })) as { UserPoolClient: { ClientId: string } };
  const m2m = (await ok(target, "CreateUserPoolClient", {
    UserPoolId: pool.poolId,
    ClientName: "bench-m2m",
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["client_credentials"],
    AllowedOAuthScopes: [`${API}/read`],
  })) as { UserPoolClient: { ClientId: string; ClientSecret: string } };
  return {
    base: `/_domain/${domain}`,
    clientId: app.UserPoolClient.ClientId,
    m2m: { id: m2m.UserPoolClient.ClientId, secret: m2m.UserPoolClient.ClientSecret },
  };
}

/** A browser's cookies, by name (one domain). */
class Cookies {
  private readonly jar = new Map<string, string>();

  keep(answer: HttpAnswer): void {
    const lines = answer.headers["set-cookie"] ?? [];
    for (const line of Array.isArray(lines) ? lines : [lines]) {
      const pair = line.split(";")[0];
      const at = pair.indexOf("=");
      this.jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
  }

  header(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

const FORM = "application/x-www-form-urlencoded";

function hiddenField(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

function formAction(html: string): string | undefined {
  return /<form action="([^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, "&");
}

/** The path and query of a location on the server (absolute or not). */
function onServer(location: string): string {
  const url = new URL(location, "http://server");
  return `${url.pathname}${url.search}`;
}

/** One code flow through the sign-in page; the token endpoint's answer, or undefined where a step failed. */
async function codeFlow(
  target: Target,
  oauth: OAuthSetup,
  user: { username: string; password: string },
): Promise<Record<string, unknown> | undefined> {
  const cookies = new Cookies();
  const verifier = randomBytes(32).toString("base64url");
  const query = new URLSearchParams({
    client_id: oauth.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: "openid email",
    state: randomBytes(8).toString("hex"),
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
  });
  const authorize = await send(target, "GET", `${oauth.base}/oauth2/authorize?${query}`);
  cookies.keep(authorize);
  const toLogin = authorize.headers.location;
  if (authorize.status !== 302 || typeof toLogin !== "string") return undefined;
  const page = await send(target, "GET", onServer(toLogin), { cookie: cookies.header() });
  cookies.keep(page);
  const csrf = hiddenField(page.text, "_csrf");
  const action = formAction(page.text);
  if (page.status !== 200 || !csrf || !action) return undefined;
  const form = new URLSearchParams({ _csrf: csrf, username: user.username, password: user.password });
  const login = await send(
    target,
    "POST",
    onServer(action),
    { cookie: cookies.header(), "content-type": FORM },
    `${form}`,
  );
  const callback = login.headers.location;
  if (login.status !== 302 || typeof callback !== "string" || !callback.startsWith(REDIRECT_URI))
    return undefined;
  const code = new URL(callback).searchParams.get("code");
  if (!code) return undefined;
  const exchange = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: oauth.clientId,
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  const tokens = await send(
    target,
    "POST",
    `${oauth.base}/oauth2/token`,
    { "content-type": FORM },
    `${exchange}`,
  );
  return tokens.status === 200 ? JSON.parse(tokens.text) : undefined;
}

const pick = <T>(list: T[], worker: number, i: number): T => list[(worker * 7919 + i) % list.length];

export const oauthScenarios: Record<
  string,
  (targets: Target[], pool: BenchPool, oauth: OAuthSetup) => Promise<Workload>
> = {
  /** POST /oauth2/token grant_type=client_credentials, client_secret_basic: one access token. */
  async "client-credentials"(_targets, _pool, oauth) {
    const basic = `Basic ${Buffer.from(`${oauth.m2m.id}:${oauth.m2m.secret}`).toString("base64")}`;
    const body = `grant_type=client_credentials&scope=${encodeURIComponent(`${API}/read`)}`;
    return {
      async once(target) {
        const res = await send(
          target,
          "POST",
          `${oauth.base}/oauth2/token`,
          { authorization: basic, "content-type": FORM },
          body,
        );
        return res.status === 200 && res.text.includes('"access_token"');
      },
    };
  },

  /** POST /oauth2/token grant_type=refresh_token, with refresh tokens from one code flow per user. */
  async "token-refresh"(targets, pool, oauth) {
    const tokens: string[] = [];
    for (const user of pool.users) {
      const answer = await codeFlow(targets[0], oauth, user);
      if (!answer) throw new Error(`code flow for ${user.username} failed`);
      tokens.push(answer.refresh_token as string);
    }
    return {
      async once(target, worker, i) {
        const body = new URLSearchParams({
          grant_type: "refresh_token",
          client_id: oauth.clientId,
          refresh_token: pick(tokens, worker, i),
        });
        const res = await send(
          target,
          "POST",
          `${oauth.base}/oauth2/token`,
          { "content-type": FORM },
          `${body}`,
        );
        return res.status === 200 && res.text.includes('"id_token"');
      },
    };
  },

  /** A whole authorization code flow with PKCE, in a fresh browser (no single sign-on session). */
  async "code-flow"(_targets, pool, oauth) {
    return {
      async once(target, worker, i) {
        const answer = await codeFlow(target, oauth, pick(pool.users, worker, i));
        return answer !== undefined && typeof answer.id_token === "string";
      },
    };
  },
};
