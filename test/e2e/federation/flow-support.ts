/**
 * What the tests of federated sign-in share: a pool with a domain whose app clients list outside
 * identity providers, a walk through the redirects of a round trip to a provider, and the code
 * exchange at the end.
 */
import {
  CreateIdentityProviderCommand,
  type CreateIdentityProviderCommandInput,
  type CreateUserPoolCommandInput,
  CreateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { expect } from "vitest";
import { createClient, createPool } from "../../support/fixtures.js";
import {
  type Agent,
  type AgentResponse,
  authorizeQuery,
  callbackParameters,
  jwtPayload,
  type OAuthApp,
  oauthClientSettings,
  REDIRECT_URI,
  tokenRequest,
  uniqueDomain,
} from "../../support/oauth.js";
import type { TestServer } from "../../support/server.js";
import type { StandInProvider } from "../../support/social-provider.js";

/** A pool with a prefix domain (no client yet); its path-form base on the test server. */
export async function poolWithDomain(
  server: TestServer,
  pool: Partial<CreateUserPoolCommandInput> = {},
): Promise<{ poolId: string; domain: string; base: string }> {
  const poolId = await createPool(server, pool);
  const domain = uniqueDomain("fed");
  await server.client.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }));
  return { poolId, domain, base: `${server.url}/_domain/${domain}` };
}

/** Where the domain's providers send the browser back, in the path form the agent uses. */
export function idpResponseUrl(base: string): string {
  return `${base}/oauth2/idpresponse`;
}

export async function createProvider(server: TestServer, input: CreateIdentityProviderCommandInput) {
  await server.client.send(new CreateIdentityProviderCommand(input));
}

/** The OIDC provider `Corp` of the pool: the stand-in `idp`, its attributes read from /userinfo. */
export async function createCorpProvider(
  server: TestServer,
  poolId: string,
  idp: StandInProvider,
  attributeMapping: Record<string, string>,
) {
  const { issuer, ...endpoints } = idp.endpoints("/userinfo");
  await createProvider(server, {
    UserPoolId: poolId,
    ProviderName: "Corp",
    ProviderType: "OIDC",
    ProviderDetails: {
      client_id: "corp",
      client_secret: "corp-secret",
      authorize_scopes: "openid email",
      attributes_request_method: "GET",
      oidc_issuer: issuer,
      ...endpoints,
    },
    AttributeMapping: attributeMapping,
  });
}

/** A code-flow app client of the pool listing `providers`. */
export async function appFor(
  server: TestServer,
  site: { poolId: string; domain: string; base: string },
  providers: string[],
  extra: Parameters<typeof oauthClientSettings>[0] = {},
): Promise<OAuthApp> {
  const { clientId, secret } = await createClient(
    server,
    site.poolId,
    oauthClientSettings({ SupportedIdentityProviders: providers, ...extra }),
  );
  return { ...site, clientId, secret, redirectUri: REDIRECT_URI };
}

/** Follows redirects (any host) until the app's callback, a page, or `limit` hops; every hop is kept. */
export async function follow(agent: Agent, url: string, limit = 12): Promise<AgentResponse[]> {
  const hops: AgentResponse[] = [];
  let next: string | null = url;
  for (let i = 0; next && i < limit; i++) {
    const answer = await agent.get(next);
    hops.push(answer);
    if (answer.status < 300 || answer.status >= 400 || !answer.location) break;
    if (answer.location.startsWith(REDIRECT_URI)) break;
    next = new URL(answer.location, next).href;
  }
  return hops;
}

/** The last hop of a walk. */
export function last(hops: AgentResponse[]): AgentResponse {
  return hops[hops.length - 1];
}

/** Authorize with `extra`, then every hop to the app's callback; the callback's parameters. */
export async function signInThrough(
  agent: Agent,
  app: OAuthApp,
  extra: Record<string, string>,
): Promise<{ hops: AgentResponse[]; callback: URLSearchParams }> {
  const hops = await follow(agent, `${app.base}/oauth2/authorize?${authorizeQuery(app, extra)}`);
  const end = last(hops);
  if (!end.location?.startsWith(REDIRECT_URI)) {
    throw new Error(`the walk ended at ${end.status} ${end.location ?? end.body.slice(0, 200)}`);
  }
  return { hops, callback: callbackParameters(end.location) };
}

/** Exchanges a code of the app for tokens; the decoded ID token's claims with them. */
export async function tokensFor(app: OAuthApp, code: string | null) {
  const answer = await tokenRequest(app, {
    grant_type: "authorization_code",
    client_id: app.clientId,
    code: code ?? "",
    redirect_uri: app.redirectUri,
  });
  expect(answer.status).toBe(200);
  const body = answer.body as Record<string, string>;
  return { ...body, id: jwtPayload(body.id_token), access: jwtPayload(body.access_token) };
}

/** A callback that carries an error: its parameters. */
export function expectAppError(callback: URLSearchParams, error: string, description?: string): void {
  expect(callback.get("error")).toBe(error);
  if (description !== undefined) expect(callback.get("error_description")).toBe(description);
  expect(callback.get("state")).toBe("state-123");
  expect(callback.get("code")).toBeNull();
}
