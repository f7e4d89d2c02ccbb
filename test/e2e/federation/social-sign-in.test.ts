/**
 * The social providers (FEDERATION.md §2.2, §2.3) against stand-ins on their configured endpoints
 * (`federation.providerEndpointOverrides`): Google (ID token and the People API for attributes the
 * token lacks), Facebook (token endpoint by GET, `fields=`, subject `id`), Login with Amazon
 * (subject `user_id`) and Sign in with Apple (form_post, an ES256 client secret, the name posted
 * once). Every failing check of the code exchange and the ID token is told to the app, and no user
 * is made.
 */
import {
  AdminGetUserCommand,
  DescribeIdentityProviderCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { exportPKCS8, exportSPKI, generateKeyPair } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  Agent,
  authorizeQuery,
  formAction,
  hiddenField,
  jwtPayload,
  type OAuthApp,
} from "../../support/oauth.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { StandInProvider } from "../../support/social-provider.js";
import {
  appFor,
  createProvider,
  expectAppError,
  idpResponseUrl,
  poolWithDomain,
  signInThrough,
  tokensFor,
} from "./flow-support.js";

const APPLE = { teamId: "TEAM123456", keyId: "KEY1234567", clientId: "com.example.web" };

let server: TestServer;
let site: { poolId: string; domain: string; base: string };
let app: OAuthApp;
const google = new StandInProvider({ clientId: "google-client", clientSecret: "google-secret" });
const facebook = new StandInProvider({ clientId: "fb-client", clientSecret: "fb-secret" });
const amazon = new StandInProvider({ clientId: "amzn-client", clientSecret: "amzn-secret" });
let apple: StandInProvider;
let applePrivateKey: string;

beforeAll(async () => {
  const appleKey = await generateKeyPair("ES256", { extractable: true });
  applePrivateKey = await exportPKCS8(appleKey.privateKey);
  apple = new StandInProvider({
    clientId: APPLE.clientId,
    appleClientKey: { publicKeyPem: await exportSPKI(appleKey.publicKey), ...APPLE },
  });
  await Promise.all([google.start(), facebook.start(), amazon.start(), apple.start()]);
  server = await startTestServer({
    federation: {
      providerEndpointOverrides: {
        Google: google.endpoints("/userinfo?personFields="),
        Facebook: facebook.endpoints("/userinfo?fields="),
        LoginWithAmazon: amazon.endpoints("/userinfo"),
        SignInWithApple: apple.endpoints(),
      },
    },
  });
  site = await poolWithDomain(server);
  const social = (type: string, details: Record<string, string>, mapping: Record<string, string>) =>
    createProvider(server, {
      UserPoolId: site.poolId,
      ProviderName: type,
      ProviderType: type as "Google",
      ProviderDetails: details,
      AttributeMapping: mapping,
    });
  await social(
    "Google",
    { client_id: "google-client", client_secret: "google-secret", authorize_scopes: "openid email profile" },
    { email: "email", email_verified: "email_verified", name: "name", picture: "picture" },
  );
  await social(
    "Facebook",
    { client_id: "fb-client", client_secret: "fb-secret", authorize_scopes: "public_profile,email" },
    { email: "email", name: "name" },
  );
  await social(
    "LoginWithAmazon",
    { client_id: "amzn-client", client_secret: "amzn-secret", authorize_scopes: "profile" },
    { email: "email", name: "name" },
  );
  await social(
    "SignInWithApple",
    {
      client_id: APPLE.clientId,
      team_id: APPLE.teamId,
      key_id: APPLE.keyId,
      private_key: applePrivateKey,
      authorize_scopes: "email name",
    },
    { email: "email", given_name: "firstName", family_name: "lastName" },
  );
  app = await appFor(server, site, ["COGNITO", "Google", "Facebook", "LoginWithAmazon", "SignInWithApple"]);
});
afterAll(async () => {
  await server?.stop();
  await Promise.all([google.stop(), facebook.stop(), amazon.stop(), apple?.stop()]);
});
afterEach(() => {
  google.tamper = {};
});

function attributesOf(user: { UserAttributes?: { Name?: string; Value?: string }[] }) {
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
}

async function userExists(username: string): Promise<boolean> {
  try {
    await server.client.send(new AdminGetUserCommand({ UserPoolId: site.poolId, Username: username }));
    return true;
  } catch {
    return false;
  }
}

describe("Google", () => {
  it("signs in with the ID token's claims and reads the People API for the mapped attribute it lacks", async () => {
    google.next = {
      claims: { sub: "1056", email: "grace@gmail.example", email_verified: true, name: "Grace" },
      userInfo: { picture: "https://photos.example/grace.png" },
    };
    const { callback } = await signInThrough(new Agent(server.url), app, {
      identity_provider: "Google",
      scope: "openid email profile",
    });
    const tokens = await tokensFor(app, callback.get("code"));
    expect(tokens.id["cognito:username"]).toBe("Google_1056");
    expect(tokens.id.email).toBe("grace@gmail.example");
    expect(tokens.id.email_verified).toBe(true);
    expect(tokens.id.picture).toBe("https://photos.example/grace.png");
    expect(tokens.id.identities).toEqual([
      expect.objectContaining({ providerName: "Google", providerType: "Google" }),
    ]);
    // The round trip carried PKCE and a nonce; the code went back with the secret in the form body.
    const authorize = google.authorizeRequests.at(-1);
    expect(authorize?.get("code_challenge_method")).toBe("S256");
    expect(authorize?.get("nonce")).toBeTruthy();
    const exchange = google.tokenRequests.at(-1);
    expect(exchange?.method).toBe("POST");
    expect(exchange?.params.get("client_secret")).toBe("google-secret");
    expect(exchange?.params.get("code_verifier")).toBeTruthy();
    expect(exchange?.headers.authorization).toBeUndefined();
    expect(exchange?.headers["user-agent"]).toBe("Amazon/Cognito");
    expect(google.userInfoRequests.at(-1)?.url).toBe(
      "/userinfo?personFields=email,email_verified,name,picture",
    );
  });

  it("hands an implicit grant's tokens to the app as a page sign-in does", async () => {
    google.next = { claims: { sub: "2077", email: "imp@gmail.example" } };
    const { callback } = await signInThrough(new Agent(server.url), app, {
      identity_provider: "Google",
      response_type: "token",
    });
    expect(callback.get("state")).toBe("state-123");
    expect(callback.get("token_type")).toBe("Bearer");
    expect(jwtPayload(callback.get("id_token"))["cognito:username"]).toBe("Google_2077");
    expect(jwtPayload(callback.get("access_token")).username).toBe("Google_2077");
  });

  it("keeps showing Google's own endpoints in Describe", async () => {
    const out = await server.client.send(
      new DescribeIdentityProviderCommand({ UserPoolId: site.poolId, ProviderName: "Google" }),
    );
    expect(out.IdentityProvider?.ProviderDetails?.authorize_url).toBe(
      "https://accounts.google.com/o/oauth2/v2/auth",
    );
  });

  const refusals: [string, Partial<StandInProvider["tamper"]>, string][] = [
    ["another issuer", { issuer: "https://evil.example" }, "its issuer is not the provider"],
    ["another audience", { audience: "someone-else" }, "its audience is not the provider's client_id"],
    ["an expired token", { expiresIn: -300 }, "it has expired"],
    ["another nonce", { nonce: "not-the-one" }, "its nonce is not the one sent"],
    [
      "a key the provider does not publish",
      { foreignKey: true },
      "its signature does not verify with the provider's keys",
    ],
    ["no ID token", { noIdToken: true }, "it is missing"],
  ];
  for (const [what, tamper, reason] of refusals) {
    it(`refuses ${what}, and makes no user`, async () => {
      const sub = `refused-${what.replace(/\W+/g, "-")}`;
      google.next = { claims: { sub, email: "x@gmail.example" } };
      google.tamper = tamper;
      const { callback } = await signInThrough(new Agent(server.url), app, { identity_provider: "Google" });
      expectAppError(callback, "invalid_request", `The identity provider's ID token is invalid: ${reason}.`);
      expect(await userExists(`Google_${sub}`)).toBe(false);
    });
  }

  it("refuses a code the token endpoint does not exchange", async () => {
    google.next = { claims: { sub: "refused-exchange" } };
    google.tamper = { tokenStatus: 500 };
    const { callback } = await signInThrough(new Agent(server.url), app, { identity_provider: "Google" });
    expectAppError(
      callback,
      "invalid_request",
      "The identity provider did not exchange the authorization code for tokens.",
    );
    expect(await userExists("Google_refused-exchange")).toBe(false);
  });
});

describe("Facebook and Login with Amazon", () => {
  it("Facebook: the code is exchanged by GET, fields asked for, the subject is its id", async () => {
    facebook.next = { claims: {}, userInfo: { id: "10155", email: "fay@fb.example", name: "Fay" } };
    const { callback } = await signInThrough(new Agent(server.url), app, { identity_provider: "Facebook" });
    const tokens = await tokensFor(app, callback.get("code"));
    expect(tokens.id["cognito:username"]).toBe("Facebook_10155");
    expect(tokens.id.email).toBe("fay@fb.example");
    const authorize = facebook.authorizeRequests.at(-1);
    expect(authorize?.get("scope")).toBe("public_profile,email");
    expect(authorize?.has("nonce")).toBe(false);
    expect(authorize?.has("code_challenge")).toBe(false);
    expect(facebook.tokenRequests.at(-1)?.method).toBe("GET");
    expect(facebook.userInfoRequests.at(-1)?.url).toBe("/userinfo?fields=id,email,name");
  });

  it("Login with Amazon: the subject is its user_id", async () => {
    amazon.next = {
      claims: {},
      userInfo: { user_id: "amzn1.account.AFA", email: "al@amzn.example", name: "Al" },
    };
    const { callback } = await signInThrough(new Agent(server.url), app, {
      identity_provider: "LoginWithAmazon",
    });
    const tokens = await tokensFor(app, callback.get("code"));
    expect(tokens.id["cognito:username"]).toBe("LoginWithAmazon_amzn1.account.AFA");
    expect(amazon.authorizeRequests.at(-1)?.has("code_challenge")).toBe(true);
    expect(amazon.authorizeRequests.at(-1)?.has("nonce")).toBe(false);
  });
});

describe("Sign in with Apple", () => {
  it("answers by form_post; the client secret is an ES256 JWT; the name comes once, posted", async () => {
    apple.next = {
      claims: { sub: "000111.abc.1111", email: "ada@privaterelay.example", email_verified: "true" },
      userInfo: { name: { firstName: "Ada", lastName: "Lovelace" } },
    };
    const agent = new Agent(server.url);
    const start = await agent.get(
      `${app.base}/oauth2/authorize?${authorizeQuery(app, { identity_provider: "SignInWithApple" })}`,
    );
    expect(new URL(start.location ?? "").searchParams.get("response_mode")).toBe("form_post");
    const page = await agent.get(start.location ?? "");
    const action = formAction(page.body);
    expect(action).toBe(idpResponseUrl(site.base));
    const back = await agent.post(action, {
      code: hiddenField(page.body, "code"),
      state: hiddenField(page.body, "state"),
      user: hiddenField(page.body, "user"),
    });
    const callback = new URL(back.location ?? "").searchParams;
    const tokens = await tokensFor(app, callback.get("code"));
    expect(tokens.id["cognito:username"]).toBe("SignInWithApple_000111.abc.1111");
    expect(tokens.id.email).toBe("ada@privaterelay.example");
    const user = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: site.poolId, Username: "SignInWithApple_000111.abc.1111" }),
    );
    expect(attributesOf(user)).toMatchObject({ given_name: "Ada", family_name: "Lovelace" });
  });
});
