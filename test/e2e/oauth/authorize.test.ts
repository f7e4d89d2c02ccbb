/**
 * `GET /oauth2/authorize` (OAUTH.md §2.1) through the real server: the nine checks in Cognito's
 * order (error page while the client or redirect URI is in doubt, the app's redirect URI after,
 * query or fragment), the way to the sign-in page, single sign-on and `prompt`, and how the grant
 * is delivered (code in the query, implicit tokens in the fragment).
 */
import {
  AdminDisableUserCommand,
  CreateResourceServerCommand,
  CreateUserPoolClientCommand,
  UpdateResourceServerCommand,
  UpdateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../../support/fixtures.js";
import {
  Agent,
  authorizeQuery,
  callbackParameters,
  createOAuthApp,
  formAction,
  hiddenField,
  jwtPayload,
  type OAuthApp,
  oauthClientSettings,
  REDIRECT_URI,
  signInOnPage,
  tokenRequest,
} from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
/** A classic (version 1) domain's app: code and implicit, every standard scope. */
let app: OAuthApp;
/** A managed login (version 2) domain's app. */
let v2: OAuthApp;
const USER = { username: "alice", password: PASSWORD };

beforeAll(async () => {
  server = await startTestServer();
  app = await createOAuthApp(server);
  v2 = await createOAuthApp(server, {
    pool: { UserPoolTier: "ESSENTIALS" },
    managedLoginVersion: 2,
    styled: true,
  });
  for (const { poolId } of [app, v2]) {
    await createUser(server, poolId, "alice", {
      attributes: [{ Name: "email", Value: "alice@example.com" }],
    });
  }
});
afterAll(async () => server?.stop());

/** Another app client of the app's pool, on the same domain. */
async function sibling(
  base: OAuthApp,
  settings: Parameters<typeof oauthClientSettings>[0],
): Promise<OAuthApp> {
  const out = await server.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: base.poolId,
      ClientName: "sibling",
      ...oauthClientSettings(settings),
    }),
  );
  return {
    ...base,
    clientId: out.UserPoolClient?.ClientId as string,
    secret: out.UserPoolClient?.ClientSecret,
  };
}

function authorize(target: OAuthApp, query: URLSearchParams | string, agent = new Agent(server.url)) {
  return agent.get(`${target.base}/oauth2/authorize?${query}`);
}

/** The query with some parameters replaced, or removed (undefined). */
function queryWith(target: OAuthApp, changes: Record<string, string | undefined>): URLSearchParams {
  const query = authorizeQuery(target);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) query.delete(name);
    else query.set(name, value);
  }
  return query;
}

const errorPage = (target: OAuthApp, query: string) => `/_domain/${target.domain}/error?${query}`;

describe("steps 1–2: the error page while the client or redirect URI is in doubt", () => {
  it("sends a missing, unknown or foreign client to the error page with the client_id given", async () => {
    const missing = await authorize(app, queryWith(app, { client_id: undefined }));
    expect(missing.status).toBe(302);
    expect(missing.location).toBe(errorPage(app, "error=invalid_request&client_id="));

    const unknown = await authorize(app, queryWith(app, { client_id: "nosuchclient" }));
    expect(unknown.location).toBe(errorPage(app, "error=invalid_request&client_id=nosuchclient"));

    // The v2 app's client belongs to another pool.
    const foreign = await authorize(app, queryWith(app, { client_id: v2.clientId }));
    expect(foreign.location).toBe(errorPage(app, `error=invalid_request&client_id=${v2.clientId}`));
  });

  it("answers the error page itself with status 400 and Cognito's sentence", async () => {
    const page = await new Agent(server.url).get(errorPage(app, "error=invalid_request&client_id="));
    expect(page.status).toBe(400);
    expect(page.headers.get("content-type")).toBe("text/html;charset=UTF-8");
    expect(page.body).toContain("An error was encountered with the requested page.");
  });

  it("refuses every redirect URI that is not byte for byte a registered one", async () => {
    for (const uri of [
      `${REDIRECT_URI}/`,
      "https://app.example.com:443/callback",
      "https://APP.example.com/callback",
      "https://app.example.com/Callback",
      "https://app.example.com/callback?x=1",
      "",
    ]) {
      const res = await authorize(app, queryWith(app, { redirect_uri: uri }));
      expect(res.location, uri).toBe(errorPage(app, `error=redirect_mismatch&client_id=${app.clientId}`));
    }
  });

  it("needs a redirect URI unless the client has one identity provider and a DefaultRedirectURI", async () => {
    const none = await authorize(app, queryWith(app, { redirect_uri: undefined }));
    expect(none.location).toBe(errorPage(app, `error=redirect_mismatch&client_id=${app.clientId}`));

    const withDefault = await sibling(app, {
      CallbackURLs: [REDIRECT_URI, "https://app.example.com/other"],
      DefaultRedirectURI: "https://app.example.com/other",
    });
    const res = await authorize(withDefault, queryWith(withDefault, { redirect_uri: undefined }));
    expect(res.location).toBe(
      `/_domain/${app.domain}/login?${queryWith(withDefault, { redirect_uri: undefined })}`,
    );
    // The default is where the grant goes.
    const agent = new Agent(server.url);
    const page = await agent.get(res.location ?? "");
    const signedIn = await agent.post(formAction(page.body), {
      _csrf: hiddenField(page.body, "_csrf"),
      ...USER,
    });
    expect(signedIn.location).toMatch(/^https:\/\/app\.example\.com\/other\?code=/);
  });

  it("checks the client before the redirect URI, and the redirect URI before anything else", async () => {
    const both = await authorize(
      app,
      queryWith(app, { client_id: "nosuchclient", redirect_uri: "https://evil.example" }),
    );
    expect(both.location).toBe(errorPage(app, "error=invalid_request&client_id=nosuchclient"));
    const later = await authorize(
      app,
      queryWith(app, { redirect_uri: "https://evil.example", response_type: "nonsense", scope: "nonsense" }),
    );
    expect(later.location).toBe(errorPage(app, `error=redirect_mismatch&client_id=${app.clientId}`));
  });
});

describe("steps 3–9: errors at the app's redirect URI", () => {
  it("refuses a client whose OAuth switch is off: unauthorized_client, before the response type", async () => {
    const off = await sibling(app, { AllowedOAuthFlowsUserPoolClient: false });
    const res = await authorize(off, queryWith(off, { response_type: undefined }));
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${REDIRECT_URI}?state=state-123&error=unauthorized_client`);
  });

  it("needs a response type (invalid_request) of a known kind (unsupported_response_type)", async () => {
    const missing = await authorize(app, queryWith(app, { response_type: undefined }));
    expect(missing.location).toBe(`${REDIRECT_URI}?state=state-123&error=invalid_request`);
    for (const type of ["id_token", "code token", "CODE"]) {
      const res = await authorize(app, queryWith(app, { response_type: type }));
      expect(res.location, type).toBe(`${REDIRECT_URI}?state=state-123&error=unsupported_response_type`);
    }
  });

  it("refuses a flow the client does not allow: in the query for code, in the fragment for implicit", async () => {
    const codeOnly = await sibling(app, { AllowedOAuthFlows: ["code"] });
    const implicit = await authorize(codeOnly, queryWith(codeOnly, { response_type: "token" }));
    expect(implicit.location).toBe(`${REDIRECT_URI}#state=state-123&error=unauthorized_client`);
    const implicitOnly = await sibling(app, { AllowedOAuthFlows: ["implicit"] });
    const code = await authorize(implicitOnly, queryWith(implicitOnly, {}));
    expect(code.location).toBe(`${REDIRECT_URI}?state=state-123&error=unauthorized_client`);
  });

  it("takes S256 PKCE only, with both parameters; ignores PKCE on the implicit flow", async () => {
    const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    for (const pkce of [
      { code_challenge_method: "S256" },
      { code_challenge: challenge },
      { code_challenge: challenge, code_challenge_method: "plain" },
      { code_challenge: challenge, code_challenge_method: "s256" },
      { code_challenge: "", code_challenge_method: "S256" },
    ]) {
      const res = await authorize(app, queryWith(app, pkce));
      expect(res.location, JSON.stringify(pkce)).toBe(
        `${REDIRECT_URI}?state=state-123&error=invalid_request`,
      );
    }
    const ok = await authorize(
      app,
      queryWith(app, { code_challenge: challenge, code_challenge_method: "S256" }),
    );
    expect(ok.location).toMatch(/\/login\?/);
    const implicit = await authorize(
      app,
      queryWith(app, { response_type: "token", code_challenge_method: "plain" }),
    );
    expect(implicit.location).toMatch(/\/login\?/);
  });

  it("refuses scopes the client may not ask for as invalid_request with the description invalid_scope", async () => {
    const narrow = await sibling(app, { AllowedOAuthScopes: ["openid", "email"] });
    for (const scope of ["openid profile", "openid nosuch", "email", "phone profile"]) {
      const res = await authorize(narrow, queryWith(narrow, { scope }));
      expect(res.location, scope).toBe(
        `${REDIRECT_URI}?error_description=invalid_scope&state=state-123&error=invalid_request`,
      );
    }
    const implicit = await authorize(narrow, queryWith(narrow, { scope: "profile", response_type: "token" }));
    expect(implicit.location).toBe(
      `${REDIRECT_URI}#error_description=invalid_scope&state=state-123&error=invalid_request`,
    );
  });

  it("grants every scope the client allows when scope is left out or empty", async () => {
    for (const scope of [undefined, ""]) {
      const query = queryWith(app, { scope, response_type: "token" });
      const agent = new Agent(server.url);
      const page = await agent.get((await authorize(app, query, agent)).location ?? "");
      const back = await agent.post(formAction(page.body), {
        _csrf: hiddenField(page.body, "_csrf"),
        ...USER,
      });
      const access = jwtPayload(callbackParameters(back.location).get("access_token"));
      expect(String(access.scope).split(" ").sort(), String(scope)).toEqual([
        "aws.cognito.signin.user.admin",
        "email",
        "openid",
        "phone",
        "profile",
      ]);
    }
  });

  it("drops a custom scope its resource server no longer defines, silently", async () => {
    await server.client.send(
      new CreateResourceServerCommand({
        UserPoolId: app.poolId,
        Identifier: "https://api.example.com",
        Name: "api",
        Scopes: [
          { ScopeName: "read", ScopeDescription: "read" },
          { ScopeName: "write", ScopeDescription: "write" },
        ],
      }),
    );
    const custom = await sibling(app, {
      AllowedOAuthScopes: ["openid", "https://api.example.com/read", "https://api.example.com/write"],
    });
    await server.client.send(
      new UpdateResourceServerCommand({
        UserPoolId: app.poolId,
        Identifier: "https://api.example.com",
        Name: "api",
        Scopes: [{ ScopeName: "read", ScopeDescription: "read" }],
      }),
    );
    const agent = new Agent(server.url);
    const back = await signInOnPage(agent, custom, USER, {
      scope: "openid https://api.example.com/read https://api.example.com/write",
      response_type: "token",
    });
    const access = jwtPayload(callbackParameters(back.location).get("access_token"));
    expect(String(access.scope).split(" ").sort()).toEqual(["https://api.example.com/read", "openid"]);
  });

  it("takes identity_provider=COGNITO and refuses any other provider", async () => {
    const cognito = await authorize(app, queryWith(app, { identity_provider: "COGNITO" }));
    expect(cognito.location).toMatch(/\/login\?/);
    for (const idp of [{ identity_provider: "Google" }, { idp_identifier: "example.com" }]) {
      const res = await authorize(app, queryWith(app, idp));
      expect(res.location, JSON.stringify(idp)).toBe(`${REDIRECT_URI}?state=state-123&error=invalid_request`);
    }
  });

  it("refuses a parameter sent twice", async () => {
    const res = await authorize(app, `${authorizeQuery(app)}&state=again`);
    expect(res.location).toBe(`${REDIRECT_URI}?state=state-123&error=invalid_request`);
  });

  it("writes the error after the registered URI's own query, and leaves out a missing state", async () => {
    const withQuery = await sibling(app, { CallbackURLs: ["https://app.example.com/cb?tenant=a"] });
    const res = await authorize(
      withQuery,
      queryWith(
        { ...withQuery, redirectUri: "https://app.example.com/cb?tenant=a" },
        {
          state: undefined,
          response_type: "nonsense",
        },
      ),
    );
    expect(res.location).toBe("https://app.example.com/cb?tenant=a&error=unsupported_response_type");
  });

  it("echoes the state unchanged", async () => {
    const state = "abc-DEF_123.~ !*'()ü%2F";
    const res = await authorize(app, queryWith(app, { state, response_type: "nonsense" }));
    expect(new URL(res.location ?? "").searchParams.get("state")).toBe(state);
  });
});

describe("to the sign-in page, or a grant at once", () => {
  it("sends the browser to /login with the identical query and a CSRF cookie", async () => {
    const raw = `${authorizeQuery(app)}&nonce=n%20n&lang=fr`;
    const res = await authorize(app, raw);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/_domain/${app.domain}/login?${raw}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("XSRF-TOKEN="));
    expect(cookie).toMatch(/^XSRF-TOKEN=[0-9a-f-]{36}; Path=\/_domain\/[^/]+\/; HttpOnly; SameSite=Lax$/);
  });

  it("matches the path in any letter case, and serves the old /authorize alias", async () => {
    const agent = new Agent(server.url);
    for (const path of ["/OAuth2/Authorize", "/oauth2/AUTHORIZE", "/authorize"]) {
      const res = await agent.get(`${app.base}${path}?${authorizeQuery(app)}`);
      expect(res.location, path).toBe(`/_domain/${app.domain}/login?${authorizeQuery(app)}`);
    }
  });

  it("grants a browser that has a session without the page, keeping the session's auth_time", async () => {
    const agent = new Agent(server.url);
    const first = await signInOnPage(agent, app, USER);
    const code = callbackParameters(first.location).get("code") ?? "";
    const tokens = await tokenRequest(app, {
      grant_type: "authorization_code",
      client_id: app.clientId,
      code,
      redirect_uri: REDIRECT_URI,
    });
    const again = await authorize(app, authorizeQuery(app, { response_type: "token" }), agent);
    expect(again.location?.startsWith(`${REDIRECT_URI}#access_token=`)).toBe(true);
    const silent = jwtPayload(callbackParameters(again.location).get("id_token"));
    expect(silent.auth_time).toBe(jwtPayload(tokens.body.id_token).auth_time);
  });

  it("grants nothing silently to a disabled user, nor after the domain changes its version", async () => {
    const own = await createOAuthApp(server);
    for (const name of ["bo", "cy"]) await createUser(server, own.poolId, name);
    const disabledAgent = new Agent(server.url);
    await signInOnPage(disabledAgent, own, { username: "bo", password: PASSWORD });
    await server.client.send(new AdminDisableUserCommand({ UserPoolId: own.poolId, Username: "bo" }));
    expect((await authorize(own, authorizeQuery(own), disabledAgent)).location).toMatch(/\/login\?/);

    const agent = new Agent(server.url);
    await signInOnPage(agent, own, { username: "cy", password: PASSWORD });
    expect((await authorize(own, authorizeQuery(own), agent)).location).toMatch(
      new RegExp(`^${REDIRECT_URI}\\?code=`),
    );
    await server.client.send(
      new UpdateUserPoolDomainCommand({ UserPoolId: own.poolId, Domain: own.domain, ManagedLoginVersion: 2 }),
    );
    expect((await authorize(own, authorizeQuery(own), agent)).location).toMatch(/\/login\?/);
  });

  it("ignores prompt on a classic domain", async () => {
    const none = await authorize(app, queryWith(app, { prompt: "none" }));
    expect(none.location).toMatch(/\/login\?/);
    const agent = new Agent(server.url);
    await signInOnPage(agent, app, USER);
    const login = await authorize(app, queryWith(app, { prompt: "login" }), agent);
    expect(login.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
  });

  it("on managed login, prompt=none without a session is login_required, prompt=login shows the page", async () => {
    const none = await authorize(v2, queryWith(v2, { prompt: "none" }));
    expect(none.location).toBe(`${REDIRECT_URI}?state=state-123&error=login_required`);
    const implicitNone = await authorize(v2, queryWith(v2, { prompt: "none", response_type: "token" }));
    expect(implicitNone.location).toBe(`${REDIRECT_URI}#state=state-123&error=login_required`);

    const agent = new Agent(server.url);
    await signInOnPage(agent, v2, USER);
    const silent = await authorize(v2, queryWith(v2, { prompt: "none" }), agent);
    expect(silent.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
    const login = await authorize(v2, queryWith(v2, { prompt: "login" }), agent);
    expect(login.location).toBe(`/_domain/${v2.domain}/login?${queryWith(v2, { prompt: "login" })}`);
  });
});

describe("grant delivery", () => {
  it("gives a code as <redirect_uri>?code=<uuid>&state=<state>", async () => {
    const back = await signInOnPage(new Agent(server.url), app, USER);
    expect(back.location).toMatch(
      /^https:\/\/app\.example\.com\/callback\?code=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}&state=state-123$/,
    );
  });

  it("gives implicit tokens in the fragment in Cognito's order, without a refresh token", async () => {
    const back = await signInOnPage(new Agent(server.url), app, USER, { response_type: "token" });
    const fragment = new URL(back.location ?? "").hash.slice(1);
    expect([...new URLSearchParams(fragment).keys()]).toEqual([
      "access_token",
      "id_token",
      "token_type",
      "expires_in",
      "state",
    ]);
    const parameters = new URLSearchParams(fragment);
    expect(parameters.get("token_type")).toBe("Bearer");
    expect(parameters.get("expires_in")).toBe("3600");
    expect(parameters.get("state")).toBe("state-123");
  });

  it("gives no ID token without openid", async () => {
    const back = await signInOnPage(new Agent(server.url), app, USER, {
      response_type: "token",
      scope: "aws.cognito.signin.user.admin",
    });
    const parameters = callbackParameters(back.location);
    expect([...parameters.keys()]).toEqual(["access_token", "token_type", "expires_in", "state"]);
    expect(jwtPayload(parameters.get("access_token")).scope).toBe("aws.cognito.signin.user.admin");
  });
});
