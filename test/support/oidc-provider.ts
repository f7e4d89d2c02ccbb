/**
 * A real OpenID Provider for the federation tests: `oidc-provider` (the certified Node.js OP) on
 * loopback, with one confidential client (client_secret_post, the code flow, PKCE required) and
 * accounts the test defines. Its login step either signs `nextAccount` in at once (for the HTTP
 * agent) or shows a small form (for the browser); `nextError` makes it refuse instead.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

export interface OpAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  given_name?: string;
  family_name?: string;
}

export interface OpenIdProvider {
  /** The issuer (`http://127.0.0.1:<port>`), which is also its base URL. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, OpAccount>;
  /** The account the login step signs in without a form. */
  nextAccount?: string;
  /** Show a login form instead of signing `nextAccount` in at once. */
  loginForm: boolean;
  /** The login step refuses with this OAuth error. */
  nextError?: { error: string; error_description: string };
  close(): Promise<void>;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const LOGIN_PAGE = (uid: string) => `<!doctype html><html><head><title>Example IdP</title>
<style>body{font:16px system-ui;background:#0f172a;color:#e2e8f0;display:flex;justify-content:center;padding:64px}
form{background:#1e293b;padding:32px;border-radius:12px;width:320px}input{display:block;width:100%;margin:8px 0 16px;padding:10px;border-radius:6px;border:0}
button{width:100%;padding:10px;border:0;border-radius:6px;background:#22c55e;font-weight:600}</style></head>
<body><form method="post" action="/interaction/${uid}/login"><h1>Example IdP</h1>
<label>Account <input name="login" autocomplete="username"></label><button type="submit">Sign in</button></form></body></html>`;

/** Starts the provider; `redirectUris` are Cognate's `/oauth2/idpresponse` URLs. */
export async function startOpenIdProvider(redirectUris: string[]): Promise<OpenIdProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const accounts = new Map<string, OpAccount>();
  const op: OpenIdProvider = {
    issuer,
    clientId: "cognate-client",
    clientSecret: "op-client-secret-0123456789",
    accounts,
    loginForm: false,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: op.clientId,
        client_secret: op.clientSecret,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "op-1", alg: "RS256", use: "sig" }] },
    cookies: { keys: ["op-cookie-key-for-tests"] },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name", "given_name", "family_name"],
    },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx: unknown, id: string) =>
      accounts.has(id)
        ? { accountId: id, claims: async () => ({ sub: id, ...accounts.get(id) }) }
        : undefined,
  });
  const callback = provider.callback();

  async function finish(req: IncomingMessage, res: ServerResponse, accountId: string | undefined) {
    const details = await provider.interactionDetails(req, res);
    if (op.nextError || !accountId) {
      const error = op.nextError ?? { error: "access_denied", error_description: "No such account." };
      await provider.interactionFinished(req, res, error, { mergeWithLastSubmission: false });
      return;
    }
    const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url ?? "");
    if (!match) {
      callback(req, res);
      return;
    }
    const step = async () => {
      if (match[2]) return finish(req, res, (await readForm(req)).get("login") ?? undefined);
      if (op.loginForm) {
        res.writeHead(200, { "content-type": "text/html" }).end(LOGIN_PAGE(match[1]));
        return;
      }
      return finish(req, res, op.nextAccount);
    };
    step().catch((error) => res.writeHead(500).end(String(error)));
  });
  return op;
}
