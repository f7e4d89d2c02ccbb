/**
 * Federated sign-in through a real OpenID Provider (`oidc-provider`) run by the test (FEDERATION.md
 * §2.1, §2.2, §3, §4.5): authorize with `identity_provider`, `idp_identifier` or a client's only
 * provider sends the browser there with state, nonce and PKCE; `/oauth2/idpresponse` exchanges the
 * code, checks the ID token and reads userInfo; the first sign-in makes the `<ProviderName>_<sub>`
 * profile, later ones update it; a linked identity signs in as its user. The sign-in page offers the
 * providers and finds one by email domain; a round trip is single-use and bound to its browser.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminLinkProviderForUserCommand,
  AdminListUserAuthEventsCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  Agent,
  authorizeQuery,
  callbackParameters,
  formAction,
  hiddenField,
  type OAuthApp,
} from "../../support/oauth.js";
import { type OpenIdProvider, startOpenIdProvider } from "../../support/oidc-provider.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import {
  appFor,
  createProvider,
  expectAppError,
  follow,
  idpResponseUrl,
  last,
  poolWithDomain,
  signInThrough,
  tokensFor,
} from "./flow-support.js";

let server: TestServer;
let op: OpenIdProvider;
let site: { poolId: string; domain: string; base: string };
/** Lists COGNITO and Corp. */
let app: OAuthApp;

beforeAll(async () => {
  server = await startTestServer({ federation: { allowInsecureIdpUrls: true } });
  site = await poolWithDomain(server, {
    UserPoolAddOns: { AdvancedSecurityMode: "AUDIT" },
    UserPoolTier: "PLUS",
  });
  op = await startOpenIdProvider([idpResponseUrl(site.base)]);
  op.accounts.set("alice-sub", { email: "alice@corp.example", email_verified: true, name: "Alice" });
  op.accounts.set("bob-sub", { email: "bob@corp.example", email_verified: false, name: "Bob" });
  op.accounts.set("lin-sub", { email: "lin@corp.example", email_verified: true, name: "Lin" });
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
    AttributeMapping: { email: "email", email_verified: "email_verified", name: "name" },
    IdpIdentifiers: ["corp.example"],
  });
  app = await appFor(server, site, ["COGNITO", "Corp"]);
});
afterAll(async () => {
  await op?.close();
  await server?.stop();
});

function authorizeUrl(target: OAuthApp, extra: Record<string, string>): string {
  return `${target.base}/oauth2/authorize?${authorizeQuery(target, extra)}`;
}

async function user(username: string) {
  return server.client.send(new AdminGetUserCommand({ UserPoolId: site.poolId, Username: username }));
}

describe("the round trip to the provider", () => {
  it("goes to the provider's authorization endpoint with state, nonce and PKCE, bound to the browser", async () => {
    const agent = new Agent(server.url);
    const answer = await agent.get(authorizeUrl(app, { identity_provider: "Corp" }));
    expect(answer.status).toBe(302);
    const to = new URL(answer.location ?? "");
    expect(`${to.origin}${to.pathname}`).toBe(`${op.issuer}/auth`);
    const params = to.searchParams;
    expect(params.get("response_type")).toBe("code");
    expect(params.get("client_id")).toBe(op.clientId);
    expect(params.get("redirect_uri")).toBe(idpResponseUrl(site.base));
    expect(params.get("scope")).toBe("openid email profile");
    expect(params.get("state")).toMatch(/^[\w-]{40,}$/);
    expect(params.get("nonce")).toMatch(/^[\w-]{30,}$/);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    // Nothing of the app's request reaches the provider.
    expect(answer.location).not.toContain("state-123");
    expect(answer.location).not.toContain(app.clientId);
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith("cognito-fl="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/); // plain HTTP: None needs Secure
  });

  it("signs a first-time identity in as a new EXTERNAL_PROVIDER profile with the mapped attributes", async () => {
    op.nextAccount = "alice-sub";
    const { callback } = await signInThrough(new Agent(server.url), app, {
      identity_provider: "Corp",
      scope: "openid email profile",
      nonce: "app-nonce",
    });
    expect(callback.get("state")).toBe("state-123");
    const tokens = await tokensFor(app, callback.get("code"));
    expect(tokens.id["cognito:username"]).toBe("Corp_alice-sub");
    expect(tokens.id.email).toBe("alice@corp.example");
    expect(tokens.id.email_verified).toBe(true);
    expect(tokens.id.name).toBe("Alice");
    expect(tokens.id.nonce).toBe("app-nonce");
    expect(tokens.id["cognito:groups"]).toEqual([`${site.poolId}_Corp`]);
    expect(tokens.id.identities).toEqual([
      {
        userId: "alice-sub",
        providerName: "Corp",
        providerType: "OIDC",
        issuer: null,
        primary: "true",
        dateCreated: expect.stringMatching(/^\d{13}$/),
      },
    ]);
    expect(tokens.access.username).toBe("Corp_alice-sub");
    expect(tokens.access.scope).toBe("openid email profile");
    // userInfo lists the identities too, as the attribute's JSON text.
    const info = await fetch(`${app.base}/oauth2/userInfo`, {
      headers: { authorization: `Bearer ${(tokens as Record<string, unknown>).access_token}` },
    });
    const claims = (await info.json()) as Record<string, string>;
    expect(claims.username).toBe("Corp_alice-sub");
    expect(JSON.parse(claims.identities ?? "[]")).toEqual([
      expect.objectContaining({ userId: "alice-sub", providerName: "Corp", primary: true }),
    ]);
    const profile = await user("Corp_alice-sub");
    expect(profile.UserStatus).toBe("EXTERNAL_PROVIDER");
    const attributes = Object.fromEntries((profile.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    expect(attributes.email).toBe("alice@corp.example");
    expect(JSON.parse(attributes.identities ?? "[]")[0]).toMatchObject({
      userId: "alice-sub",
      primary: true,
    });
  });

  it("writes the attributes again on a later sign-in, as the same user", async () => {
    const before = await user("Corp_alice-sub");
    op.accounts.set("alice-sub", {
      email: "alice@corp.example",
      email_verified: true,
      name: "Alice Liddell",
    });
    op.nextAccount = "alice-sub";
    const { callback } = await signInThrough(new Agent(server.url), app, {
      identity_provider: "Corp",
      scope: "openid profile",
    });
    const tokens = await tokensFor(app, callback.get("code"));
    expect(tokens.id.name).toBe("Alice Liddell");
    const after = await user("Corp_alice-sub");
    const sub = (u: typeof after) => u.UserAttributes?.find((a) => a.Name === "sub")?.Value;
    expect(sub(after)).toBe(sub(before));
    expect(after.UserAttributes?.find((a) => a.Name === "name")?.Value).toBe("Alice Liddell");
  });

  it("records the sign-in as an auth event whose id the tokens carry", async () => {
    op.nextAccount = "alice-sub";
    const { callback } = await signInThrough(new Agent(server.url), app, { identity_provider: "Corp" });
    const tokens = await tokensFor(app, callback.get("code"));
    const events = await server.client.send(
      new AdminListUserAuthEventsCommand({ UserPoolId: site.poolId, Username: "Corp_alice-sub" }),
    );
    const event = events.AuthEvents?.[0];
    expect(event?.EventId).toBe(tokens.id.event_id);
    expect(event?.EventType).toBe("SignIn");
    expect(event?.EventResponse).toBe("Pass");
  });

  it("passes the provider's refusal on to the app", async () => {
    op.nextError = { error: "access_denied", error_description: "The user said no." };
    try {
      const hops = await follow(new Agent(server.url), authorizeUrl(app, { identity_provider: "Corp" }));
      expectAppError(callbackParameters(last(hops).location), "access_denied", "The user said no.");
    } finally {
      op.nextError = undefined;
    }
    await expect(user("Corp_nobody")).rejects.toThrow();
  });
});

describe("choosing the provider", () => {
  it("finds the provider by idp_identifier, also from an email address", async () => {
    for (const identifier of ["corp.example", "someone@Corp.Example"]) {
      const answer = await new Agent(server.url).get(authorizeUrl(app, { idp_identifier: identifier }));
      expect(answer.location?.startsWith(`${op.issuer}/auth?`)).toBe(true);
    }
  });

  it("refuses providers the pool or the client does not have", async () => {
    const other = await appFor(server, site, ["COGNITO"]);
    for (const [target, extra] of [
      [app, { identity_provider: "Nope" }],
      [app, { idp_identifier: "elsewhere.example" }],
      [other, { identity_provider: "Corp" }],
    ] as const) {
      const answer = await new Agent(server.url).get(authorizeUrl(target, extra));
      expectAppError(callbackParameters(answer.location), "invalid_request");
    }
  });

  it("sends a client whose only provider is outside straight there", async () => {
    const only = await appFor(server, site, ["Corp"]);
    const answer = await new Agent(server.url).get(authorizeUrl(only, {}));
    expect(answer.location?.startsWith(`${op.issuer}/auth?`)).toBe(true);
  });

  it("offers the providers and a work email box on the sign-in page, above the password form", async () => {
    const agent = new Agent(server.url);
    const page = await agent.get(`${app.base}/login?${authorizeQuery(app)}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('name="loginWithIdentityProvider"');
    expect(page.body).toMatch(
      /<button type="submit" name="identity_provider" value="Corp"[^>]*>Continue with Corp<\/button>/,
    );
    expect(page.body).toContain(`<input type="hidden" name="client_id" value="${app.clientId}"/>`);
    expect(page.body).toContain('name="idpIdentifier"');
    expect(page.body).toContain('name="cognitoSignInForm"');
    // The email box signs in through the provider of its domain; an unknown one says so.
    const action = formAction(page.body);
    const csrf = hiddenField(page.body, "_csrf");
    const unknown = await agent.post(action, { _csrf: csrf, idpIdentifier: "jane@elsewhere.example" });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toContain("No identity provider of this app signs in that email address or domain.");
    const found = await agent.post(action, { _csrf: csrf, idpIdentifier: "jane@corp.example" });
    expect(found.location?.startsWith(`${op.issuer}/auth?`)).toBe(true);
  });

  it("has no password form for a client without COGNITO, and refuses a password posted anyway", async () => {
    await createProvider(server, {
      UserPoolId: site.poolId,
      ProviderName: "Partner",
      ProviderType: "OIDC",
      ProviderDetails: {
        client_id: "partner",
        client_secret: "secret",
        authorize_scopes: "openid",
        attributes_request_method: "GET",
        oidc_issuer: op.issuer,
      },
    });
    const federatedOnly = await appFor(server, site, ["Corp", "Partner"]);
    const agent = new Agent(server.url);
    const page = await agent.get(`${federatedOnly.base}/login?${authorizeQuery(federatedOnly)}`);
    expect(page.body).toContain('value="Partner"');
    expect(page.body).not.toContain('name="cognitoSignInForm"');
    const posted = await agent.post(`${federatedOnly.base}/login?${authorizeQuery(federatedOnly)}`, {
      _csrf: hiddenField(page.body, "_csrf"),
      username: "someone",
      password: "Whatever-1",
    });
    expectAppError(callbackParameters(posted.location), "invalid_request");
  });
});

describe("the provider's answer", () => {
  /** Walks to the provider's redirect back to Cognate, without following it. */
  async function answerFromProvider(agent: Agent): Promise<string> {
    op.nextAccount = "bob-sub";
    const hops = await follow(agent, authorizeUrl(app, { identity_provider: "Corp" }));
    const back = hops.map((h) => h.location ?? "").find((l) => l.startsWith(idpResponseUrl(site.base)));
    if (!back) throw new Error("the provider did not send the browser back");
    // follow() went on to the app; take a fresh answer for the checks below.
    return back;
  }

  it("is taken once: a replay goes to the error page", async () => {
    const agent = new Agent(server.url);
    const back = await answerFromProvider(agent);
    const again = await agent.get(back);
    expect(again.status).toBe(302);
    expect(again.location).toBe(`/_domain/${site.domain}/error?error=federation`);
    const page = await agent.get(`${server.url}${again.location}`);
    expect(page.status).toBe(400);
    expect(page.body).toContain("Something went wrong");
  });

  it("must come back to the browser that left: another browser gets the error page and no user", async () => {
    op.nextAccount = "lin-sub";
    const agent = new Agent(server.url);
    const start = await agent.get(authorizeUrl(app, { identity_provider: "Corp" }));
    // The provider's answer, opened in another browser (a login CSRF attempt).
    const provider = new Agent(server.url);
    for (const [name, value] of agent.cookies) if (name !== "cognito-fl") provider.cookies.set(name, value);
    const hops = await follow(provider, start.location ?? "");
    const back = hops.map((h) => h.location ?? "").find((l) => l.startsWith(idpResponseUrl(site.base)));
    expect(back).toBeDefined();
    expect(hops.map((h) => h.location)).toContain(`/_domain/${site.domain}/error?error=federation`);
    expect(last(hops).status).toBe(400);
    await expect(user("Corp_lin-sub")).rejects.toThrow("User does not exist.");
  });

  it("with an unknown state, or none, goes to the error page", async () => {
    const agent = new Agent(server.url);
    for (const query of ["?code=x&state=made-up", "", "?error=access_denied"]) {
      const answer = await agent.get(`${idpResponseUrl(site.base)}${query}`);
      expect(answer.location).toBe(`/_domain/${site.domain}/error?error=federation`);
    }
    const posted = await agent.post(idpResponseUrl(site.base), { code: "x" });
    expect(posted.location).toBe(`/_domain/${site.domain}/error?error=federation`);
  });

  it("without a code is told to the app", async () => {
    const agent = new Agent(server.url);
    const start = await agent.get(authorizeUrl(app, { identity_provider: "Corp" }));
    const state = new URL(start.location ?? "").searchParams.get("state");
    const answer = await agent.get(`${idpResponseUrl(site.base)}?state=${state}`);
    expectAppError(
      callbackParameters(answer.location),
      "invalid_request",
      "The identity provider returned no authorization code.",
    );
  });
});

describe("linking", () => {
  it("signs a linked identity in as the existing user, listed in its identities", async () => {
    await server.client.send(
      new AdminCreateUserCommand({
        UserPoolId: site.poolId,
        Username: "lin",
        MessageAction: "SUPPRESS",
        UserAttributes: [{ Name: "email", Value: "lin@home.example" }],
      }),
    );
    await server.client.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: site.poolId,
        DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "lin" },
        SourceUser: {
          ProviderName: "Corp",
          ProviderAttributeName: "Cognito_Subject",
          ProviderAttributeValue: "lin-sub",
        },
      }),
    );
    op.nextAccount = "lin-sub";
    const { callback } = await signInThrough(new Agent(server.url), app, { identity_provider: "Corp" });
    const tokens = await tokensFor(app, callback.get("code"));
    expect(tokens.id["cognito:username"]).toBe("lin");
    // The provider's attributes are written to the linked user; it does not join the provider's group.
    expect(tokens.id.email).toBe("lin@corp.example");
    expect(tokens.id["cognito:groups"]).toBeUndefined();
    expect(tokens.id.identities).toEqual([
      expect.objectContaining({ userId: "lin-sub", providerName: "Corp", primary: "false" }),
    ]);
    await expect(user("Corp_lin-sub")).rejects.toThrow("User does not exist.");
  });

  it("signs the first identity whose mapped email matches a link by attribute in as the linked user", async () => {
    await server.client.send(
      new AdminCreateUserCommand({ UserPoolId: site.poolId, Username: "mo", MessageAction: "SUPPRESS" }),
    );
    await server.client.send(
      new AdminLinkProviderForUserCommand({
        UserPoolId: site.poolId,
        DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "mo" },
        SourceUser: {
          ProviderName: "Corp",
          ProviderAttributeName: "email",
          ProviderAttributeValue: "mo@corp.example",
        },
      }),
    );
    op.accounts.set("mo-sub", { email: "mo@corp.example", email_verified: true, name: "Mo" });
    op.nextAccount = "mo-sub";
    const { callback } = await signInThrough(new Agent(server.url), app, { identity_provider: "Corp" });
    const tokens = await tokensFor(app, callback.get("code"));
    expect(tokens.id["cognito:username"]).toBe("mo");
    expect(tokens.id.identities).toEqual([expect.objectContaining({ userId: "mo-sub", primary: "false" })]);
  });
});
