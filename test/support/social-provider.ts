/**
 * A stand-in for an OAuth 2.0 / OpenID Connect identity provider in the shape of the social ones
 * (Google, Facebook, Login with Amazon, Sign in with Apple) or of a plain OIDC provider: an
 * authorization endpoint that approves at once, a token endpoint (POST, or GET as Facebook's), a
 * userInfo endpoint and a JWKS. Each sign-in signs in `next`; `tamper` makes the ID token wrong in
 * one way. Cognate reaches it through `federation.providerEndpointOverrides` or explicit OIDC
 * endpoints.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, importSPKI, type JWK, jwtVerify, SignJWT } from "jose";

export interface StandInUser {
  /** Claims of the ID token (sub included for OIDC-shaped providers). */
  claims: Record<string, unknown>;
  /** What the userInfo (attributes) endpoint answers. */
  userInfo?: Record<string, unknown>;
}

/** One way to make the next ID token wrong. */
export interface Tamper {
  issuer?: string;
  audience?: string;
  /** Seconds from now; negative: already expired. */
  expiresIn?: number;
  nonce?: string;
  /** Signed by a key the JWKS does not hold. */
  foreignKey?: boolean;
  noIdToken?: boolean;
  /** The token endpoint answers with this status and an error. */
  tokenStatus?: number;
}

interface PendingCode {
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
  user: StandInUser;
}

export interface RecordedRequest {
  method: string;
  url: string;
  params: URLSearchParams;
  headers: IncomingMessage["headers"];
}

export interface StandInOptions {
  clientId: string;
  clientSecret?: string;
  /** Sign in with Apple: the client secret is an ES256 JWT made with this key (SPKI PEM of its public half). */
  appleClientKey?: { publicKeyPem: string; teamId: string; keyId: string };
  /** The `iss` of ID tokens; defaults to the server's URL. */
  issuer?: string;
}

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export class StandInProvider {
  url = "";
  issuer = "";
  next: StandInUser = { claims: {} };
  tamper: Tamper = {};
  readonly authorizeRequests: URLSearchParams[] = [];
  readonly tokenRequests: RecordedRequest[] = [];
  readonly userInfoRequests: RecordedRequest[] = [];
  private readonly codes = new Map<string, PendingCode>();
  private readonly accessTokens = new Map<string, StandInUser>();
  private server?: Server;
  private keys?: { privateKey: SigningKey; publicJwk: JWK; foreign: SigningKey };

  constructor(readonly options: StandInOptions) {}

  async start(): Promise<this> {
    const [own, foreign] = await Promise.all([
      generateKeyPair("RS256", { extractable: true }),
      generateKeyPair("RS256"),
    ]);
    this.keys = {
      privateKey: own.privateKey,
      publicJwk: { ...(await exportJWK(own.publicKey)), kid: "stand-in-1", alg: "RS256", use: "sig" },
      foreign: foreign.privateKey,
    };
    this.server = createServer((req, res) => {
      this.handle(req)
        .then(({ status, headers, body }) => res.writeHead(status, headers).end(body))
        .catch((error) => res.writeHead(500).end(String(error)));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.issuer = this.options.issuer ?? this.url;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The endpoints as `federation.providerEndpointOverrides` or OIDC ProviderDetails name them. */
  endpoints(attributesPath = "/userinfo?fields=") {
    return {
      authorize_url: `${this.url}/authorize`,
      token_url: `${this.url}/token`,
      attributes_url: `${this.url}${attributesPath}`,
      jwks_uri: `${this.url}/jwks`,
      issuer: this.issuer,
    };
  }

  private async handle(req: IncomingMessage): Promise<Answer> {
    const url = new URL(req.url ?? "/", this.url);
    const body = req.method === "POST" ? await readBody(req) : "";
    const params = req.method === "POST" ? new URLSearchParams(body) : url.searchParams;
    const recorded = {
      method: req.method ?? "GET",
      url: url.pathname + url.search,
      params,
      headers: req.headers,
    };
    switch (url.pathname) {
      case "/authorize":
        return this.authorize(url.searchParams);
      case "/token":
        this.tokenRequests.push(recorded);
        return this.token(params);
      case "/userinfo":
        this.userInfoRequests.push(recorded);
        return this.userInfo(req, params);
      case "/jwks":
        return json(200, { keys: [this.keys?.publicJwk] });
      default:
        return json(404, { error: "not_found" });
    }
  }

  private authorize(params: URLSearchParams): Answer {
    this.authorizeRequests.push(params);
    const code = randomUUID();
    const redirectUri = params.get("redirect_uri") ?? "";
    this.codes.set(code, {
      redirectUri,
      nonce: params.get("nonce") ?? undefined,
      codeChallenge: params.get("code_challenge") ?? undefined,
      user: this.next,
    });
    const answer: Record<string, string> = { code, state: params.get("state") ?? "" };
    if (params.get("response_mode") === "form_post") {
      const user = this.next.userInfo ? { user: JSON.stringify(this.next.userInfo) } : {};
      const fields = Object.entries({ ...answer, ...user })
        .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeAttribute(value)}">`)
        .join("");
      return {
        status: 200,
        headers: { "content-type": "text/html" },
        body: `<form action="${escapeAttribute(redirectUri)}" method="post">${fields}</form>`,
      };
    }
    return { status: 302, headers: { location: `${redirectUri}?${new URLSearchParams(answer)}` }, body: "" };
  }

  private async clientAuthenticated(params: URLSearchParams): Promise<boolean> {
    if (params.get("client_id") !== this.options.clientId) return false;
    const apple = this.options.appleClientKey;
    if (!apple) return params.get("client_secret") === this.options.clientSecret;
    try {
      const key = await importSPKI(apple.publicKeyPem, "ES256");
      const { protectedHeader } = await jwtVerify(params.get("client_secret") ?? "", key, {
        issuer: apple.teamId,
        subject: this.options.clientId,
        audience: this.issuer,
        algorithms: ["ES256"],
      });
      return protectedHeader.kid === apple.keyId;
    } catch {
      return false;
    }
  }

  private async token(params: URLSearchParams) {
    if (this.tamper.tokenStatus) return json(this.tamper.tokenStatus, { error: "server_error" });
    if (!(await this.clientAuthenticated(params))) return json(401, { error: "invalid_client" });
    const pending = this.codes.get(params.get("code") ?? "");
    this.codes.delete(params.get("code") ?? "");
    if (!pending || pending.redirectUri !== params.get("redirect_uri"))
      return json(400, { error: "invalid_grant" });
    if (pending.codeChallenge) {
      const verifier = params.get("code_verifier") ?? "";
      if (createHash("sha256").update(verifier).digest("base64url") !== pending.codeChallenge) {
        return json(400, { error: "invalid_grant" });
      }
    }
    const accessToken = randomUUID();
    this.accessTokens.set(accessToken, pending.user);
    const answer: Record<string, unknown> = {
      access_token: accessToken,
      token_type: "Bearer",
      expires_in: 3600,
    };
    if (!this.tamper.noIdToken && Object.keys(pending.user.claims).length > 0) {
      answer.id_token = await this.idToken(pending);
    }
    return json(200, answer);
  }

  private async idToken(pending: PendingCode): Promise<string> {
    const tamper = this.tamper;
    const now = Math.floor(Date.now() / 1000);
    const nonce = tamper.nonce ?? pending.nonce;
    return new SignJWT({ ...pending.user.claims, ...(nonce !== undefined && { nonce }) })
      .setProtectedHeader({ alg: "RS256", kid: "stand-in-1" })
      .setIssuer(tamper.issuer ?? this.issuer)
      .setAudience(tamper.audience ?? this.options.clientId)
      .setIssuedAt(now)
      .setExpirationTime(now + (tamper.expiresIn ?? 600))
      .sign((tamper.foreignKey ? this.keys?.foreign : this.keys?.privateKey) as SigningKey);
  }

  private userInfo(req: IncomingMessage, params: URLSearchParams) {
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
    const user = this.accessTokens.get(bearer ?? params.get("access_token") ?? "");
    if (!user) return json(401, { error: "invalid_token" });
    return json(200, user.userInfo ?? {});
  }
}

function json(status: number, body: unknown): Answer {
  return { status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}
