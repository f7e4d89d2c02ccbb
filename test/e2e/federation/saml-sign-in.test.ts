/**
 * SAML sign-in against an identity provider played by the test (FEDERATION.md §2.4–2.7): the
 * AuthnRequest (redirect binding, signed where RequestSigningAlgorithm is set), responses signed on
 * the Assertion or the Response, encrypted assertions where EncryptedResponses is set, IdP-initiated
 * sign-in where IDPInit allows it, single logout where IDPSignout is set — and every check a
 * response can fail, each told to the app without making a user.
 */
import {
  AdminGetUserCommand,
  DescribeIdentityProviderCommand,
  GetSigningCertificateCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, authorizeQuery, callbackParameters, LOGOUT_URI, type OAuthApp } from "../../support/oauth.js";
import { type ResponseOptions, readRedirect, rootAttribute, SamlIdp } from "../../support/saml-idp.js";
import { startTestServer, type TestServer } from "../../support/server.js";
import { appFor, createProvider, expectAppError, poolWithDomain, tokensFor } from "./flow-support.js";

let server: TestServer;
let idp: SamlIdp;
let site: { poolId: string; domain: string; base: string };
let app: OAuthApp;
/** The client of IdP-initiated sign-in: beside OktaInit it may list only SAML providers. */
let initApp: OAuthApp;
let acs: string;
let audience: string;

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

beforeAll(async () => {
  [server, idp] = await Promise.all([startTestServer(), SamlIdp.create()]);
  site = await poolWithDomain(server, {
    Schema: [{ Name: "groups", AttributeDataType: "String", Mutable: true }],
  });
  acs = `${site.base}/saml2/idpresponse`;
  audience = `urn:amazon:cognito:sp:${site.poolId}`;
  const saml = (name: string, options: Record<string, string> = {}) =>
    createProvider(server, {
      UserPoolId: site.poolId,
      ProviderName: name,
      ProviderType: "SAML",
      ProviderDetails: { MetadataFile: idp.metadata(), ...options },
      AttributeMapping: { email: "email", name: "displayName", "custom:groups": "groups" },
    });
  await saml("Okta", { IDPSignout: "true" });
  await saml("OktaSigned", { RequestSigningAlgorithm: "rsa-sha256" });
  await saml("OktaEncrypted", { EncryptedResponses: "true" });
  await saml("OktaInit", { IDPInit: "true" });
  app = await appFor(server, site, ["COGNITO", "Okta", "OktaSigned", "OktaEncrypted"]);
  initApp = await appFor(server, site, ["Okta", "OktaInit"]);
});
afterAll(async () => server?.stop());

/** authorize → the redirect to the IdP; the AuthnRequest's ID and the RelayState. */
async function start(agent: Agent, provider: string) {
  const answer = await agent.get(
    `${app.base}/oauth2/authorize?${authorizeQuery(app, { identity_provider: provider })}`,
  );
  expect(answer.status).toBe(302);
  expect(answer.location?.startsWith(`${idp.ssoUrl}?`)).toBe(true);
  const message = readRedirect(answer.location ?? "");
  return { message, requestId: rootAttribute(message.xml, "ID") ?? "", relayState: message.relayState ?? "" };
}

function respond(options: Partial<ResponseOptions> & { nameId: string }) {
  return idp.response({
    acs,
    audience,
    attributes: { email: `${options.nameId}`, displayName: "Carlos", groups: ["admins", "ops"] },
    ...options,
  });
}

async function post(agent: Agent, samlResponse: string, relayState: string) {
  return agent.post(acs, { SAMLResponse: samlResponse, RelayState: relayState });
}

/** A complete SP-initiated sign-in with a response made by `options`; the app's callback parameters. */
async function spInitiated(provider: string, options: Partial<ResponseOptions> & { nameId: string }) {
  const agent = new Agent(server.url);
  const { requestId, relayState } = await start(agent, provider);
  const answer = await post(agent, await respond({ inResponseTo: requestId, ...options }), relayState);
  return { agent, answer, callback: callbackParameters(answer.location) };
}

async function userExists(username: string): Promise<boolean> {
  try {
    await server.client.send(new AdminGetUserCommand({ UserPoolId: site.poolId, Username: username }));
    return true;
  } catch {
    return false;
  }
}

describe("SP-initiated sign-in", () => {
  it("sends an AuthnRequest by the redirect binding, unsigned unless the provider asks", async () => {
    const { message, requestId, relayState } = await start(new Agent(server.url), "Okta");
    expect(requestId).toMatch(/^_[0-9a-f-]{36}$/);
    expect(relayState).toMatch(/^[\w-]{40,}$/);
    expect(rootAttribute(message.xml, "Destination")).toBe(idp.ssoUrl);
    expect(rootAttribute(message.xml, "AssertionConsumerServiceURL")).toBe(acs);
    expect(rootAttribute(message.xml, "ProtocolBinding")).toBe(
      "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST",
    );
    expect(message.xml).toContain(`>${audience}</saml:Issuer>`);
    expect(message.xml).toMatch(/<samlp:NameIDPolicy [^>]*AllowCreate="true"/);
    expect(message.xml).not.toMatch(/NameIDPolicy[^>]*Format=/);
    expect(message.sigAlg).toBeNull();
  });

  it("signs the AuthnRequest with the pool's signing certificate where RequestSigningAlgorithm is set", async () => {
    const { message } = await start(new Agent(server.url), "OktaSigned");
    expect(message.sigAlg).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    const { Certificate } = await server.client.send(
      new GetSigningCertificateCommand({ UserPoolId: site.poolId }),
    );
    expect(message.signedBy(Certificate ?? "")).toBe(true);
    expect(message.signedBy(idp.certificate)).toBe(false);
  });

  it("signs the NameID in as <ProviderName>_<NameID> with the mapped attributes and the IdP as issuer", async () => {
    const { callback } = await spInitiated("Okta", { nameId: "carlos@idp.example" });
    const tokens = await tokensFor(app, callback.get("code"));
    expect(tokens.id["cognito:username"]).toBe("Okta_carlos@idp.example");
    expect(tokens.id["cognito:groups"]).toEqual([`${site.poolId}_Okta`]);
    expect(tokens.id.identities).toEqual([
      expect.objectContaining({ userId: "carlos@idp.example", providerType: "SAML", issuer: idp.entityId }),
    ]);
    const user = await server.client.send(
      new AdminGetUserCommand({ UserPoolId: site.poolId, Username: "Okta_carlos@idp.example" }),
    );
    const attributes = Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
    expect(attributes).toMatchObject({
      email: "carlos@idp.example",
      email_verified: "false",
      name: "Carlos",
      "custom:groups": "[admins,ops]",
    });
  });

  it("accepts a signed Response around an unsigned Assertion", async () => {
    const { callback } = await spInitiated("Okta", { nameId: "rita@idp.example", sign: "response" });
    expect(callback.get("code")).toBeTruthy();
  });

  it("takes encrypted assertions where EncryptedResponses is set, and refuses plaintext ones there", async () => {
    const described = await server.client.send(
      new DescribeIdentityProviderCommand({ UserPoolId: site.poolId, ProviderName: "OktaEncrypted" }),
    );
    const certificate = described.IdentityProvider?.ProviderDetails?.ActiveEncryptionCertificate ?? "";
    const encrypted = await spInitiated("OktaEncrypted", {
      nameId: "enc@idp.example",
      encryptTo: certificate,
    });
    expect((await tokensFor(app, encrypted.callback.get("code"))).id["cognito:username"]).toBe(
      "OktaEncrypted_enc@idp.example",
    );
    const plain = await spInitiated("OktaEncrypted", { nameId: "plain@idp.example" });
    expectAppError(
      plain.callback,
      "server_error",
      "Invalid SAML response received: The SAML assertion is not encrypted.",
    );
    expect(await userExists("OktaEncrypted_plain@idp.example")).toBe(false);
  });
});

describe("refused responses", () => {
  const other = "urn:amazon:cognito:sp:us-east-1_Other0000";
  const cases: [string, (nameId: string) => Partial<ResponseOptions> & { nameId: string }, string][] = [
    [
      "signed by another key",
      (nameId) => ({ nameId, signWith: idp.foreignKey }),
      "SAML Assertion signature is invalid.",
    ],
    ["not signed", (nameId) => ({ nameId, sign: "none" }), "SAML Assertion signature is invalid."],
    [
      "for another audience",
      (nameId) => ({ nameId, audience: other }),
      "The audience of the SAML assertion is not this user pool.",
    ],
    [
      "for another Recipient",
      (nameId) => ({ nameId, recipient: "https://elsewhere.example/acs" }),
      "Recipient is not this user pool's SAML endpoint.",
    ],
    [
      "expired",
      (nameId) => ({ nameId, notOnOrAfter: minutes(-5) }),
      "The SAML assertion is not valid at this time.",
    ],
    [
      "not yet valid",
      (nameId) => ({ nameId, notBefore: minutes(5) }),
      "The SAML assertion is not valid at this time.",
    ],
    [
      "answering another request",
      (nameId) => ({ nameId, inResponseTo: "_another-request" }),
      "InResponseTo does not match the request.",
    ],
    [
      "from another issuer",
      (nameId) => ({ nameId, issuer: "https://other-idp.example" }),
      "The issuer of the SAML assertion is not the identity provider.",
    ],
    [
      "with a failure status",
      (nameId) => ({ nameId, status: "urn:oasis:names:tc:SAML:2.0:status:Responder" }),
      "The identity provider did not sign the user in.",
    ],
  ];
  for (const [what, options, reason] of cases) {
    it(`refuses a response ${what}`, async () => {
      const nameId = `refused-${what.replace(/\W+/g, "-")}`;
      const { callback } = await spInitiated("Okta", options(nameId));
      expectAppError(callback, "server_error", `Invalid SAML response received: ${reason}`);
      expect(await userExists(`Okta_${nameId}`)).toBe(false);
    });
  }

  it("refuses a response changed after it was signed", async () => {
    const agent = new Agent(server.url);
    const { requestId, relayState } = await start(agent, "Okta");
    const signed = Buffer.from(
      await respond({ nameId: "mallory@idp.example", inResponseTo: requestId }),
      "base64",
    )
      .toString("utf8")
      .replace("mallory@idp.example</saml:NameID>", "admin@idp.example</saml:NameID>");
    const answer = await post(agent, Buffer.from(signed).toString("base64"), relayState);
    expectAppError(
      callbackParameters(answer.location),
      "server_error",
      "Invalid SAML response received: SAML Assertion signature is invalid.",
    );
    expect(await userExists("Okta_admin@idp.example")).toBe(false);
  });

  it("takes a RelayState once, and only from the browser that left", async () => {
    const agent = new Agent(server.url);
    const { requestId, relayState } = await start(agent, "Okta");
    const response = await respond({ nameId: "once@idp.example", inResponseTo: requestId });
    // Over TLS the binding cookie would be required; another browser's cookie never passes.
    const stranger = new Agent(server.url);
    stranger.cookies.set("cognito-fl", "someone-elses-binding");
    const elsewhere = await post(stranger, response, relayState);
    expect(elsewhere.location).toBe(`/_domain/${site.domain}/error?error=federation`);
    // That attempt spent the round trip.
    const again = await post(agent, response, relayState);
    expect(again.location).toBe(`/_domain/${site.domain}/error?error=federation`);
    expect(await userExists("Okta_once@idp.example")).toBe(false);
  });

  it("refuses what is not a SAML response, and a POST without one, never failing itself", async () => {
    const agent = new Agent(server.url);
    for (const junk of ["not base64 at all", Buffer.from("<html>nope</html>").toString("base64"), "PD94"]) {
      const { relayState } = await start(agent, "Okta");
      const answer = await post(agent, junk, relayState);
      expectAppError(
        callbackParameters(answer.location),
        "server_error",
        "Invalid SAML response received: The SAML response could not be read.",
      );
    }
    const empty = await agent.post(acs, {});
    expect(empty.location).toBe(`/_domain/${site.domain}/error?error=federation`);
    const logout = await agent.post(`${site.base}/saml2/logout`, {
      SAMLResponse: "junk",
      RelayState: "junk",
    });
    expect(logout.location).toBe(`/_domain/${site.domain}/error?error=federation`);
  });

  it("sends a response without a known RelayState or an authorization request to the error page", async () => {
    const answer = await post(
      new Agent(server.url),
      await respond({ nameId: "lost@idp.example" }),
      "made-up",
    );
    expect(answer.location).toBe(`/_domain/${site.domain}/error?error=federation`);
  });
});

describe("IdP-initiated sign-in", () => {
  function relayFor(provider: string): string {
    return new URLSearchParams({
      identity_provider: provider,
      client_id: initApp.clientId,
      redirect_uri: initApp.redirectUri,
      response_type: "code",
      scope: "openid email",
    }).toString();
  }

  it("signs in where IDPInit allows it, once per assertion", async () => {
    const response = await respond({ nameId: "ida@idp.example" });
    const answer = await post(new Agent(server.url), response, relayFor("OktaInit"));
    const callback = callbackParameters(answer.location);
    expect(callback.get("code")).toBeTruthy();
    expect(callback.get("state")).toBeNull();
    expect((await tokensFor(initApp, callback.get("code"))).id["cognito:username"]).toBe(
      "OktaInit_ida@idp.example",
    );
    const replay = await post(new Agent(server.url), response, relayFor("OktaInit"));
    const refused = callbackParameters(replay.location);
    expect(refused.get("error")).toBe("server_error");
    expect(refused.get("error_description")).toBe(
      "Invalid SAML response received: The SAML assertion has already been used.",
    );
  });

  it("refuses unsolicited responses where IDPInit is off, ones that answer a request, and old ones", async () => {
    const refusals: [string, string, string][] = [
      [
        "Okta",
        await respond({ nameId: "u1@idp.example" }),
        "IdP-initiated sign-in is not enabled for the identity provider.",
      ],
      [
        "OktaInit",
        await respond({ nameId: "u2@idp.example", inResponseTo: "_never-sent" }),
        "InResponseTo does not match the request.",
      ],
      [
        "OktaInit",
        await respond({ nameId: "u3@idp.example", issueInstant: minutes(-8) }),
        "The SAML assertion is not valid at this time.",
      ],
    ];
    for (const [provider, response, reason] of refusals) {
      const answer = await post(new Agent(server.url), response, relayFor(provider));
      const callback = callbackParameters(answer.location);
      expect(callback.get("error")).toBe("server_error");
      expect(callback.get("error_description")).toBe(`Invalid SAML response received: ${reason}`);
    }
    for (const name of ["Okta_u1@idp.example", "OktaInit_u2@idp.example", "OktaInit_u3@idp.example"]) {
      expect(await userExists(name)).toBe(false);
    }
  });
});

describe("single logout", () => {
  const logoutUrl = () =>
    `${app.base}/logout?${new URLSearchParams({ client_id: app.clientId, logout_uri: LOGOUT_URI })}`;

  it("sends a signed LogoutRequest to the IdP, then the browser to the app once the IdP answers", async () => {
    const { agent, callback } = await spInitiated("Okta", {
      nameId: "slo@idp.example",
      sessionIndex: "_session-42",
    });
    expect(callback.get("code")).toBeTruthy();
    const logout = await agent.get(logoutUrl());
    expect(logout.location?.startsWith(`${idp.sloUrl}?`)).toBe(true);
    const request = readRedirect(logout.location ?? "");
    const { Certificate } = await server.client.send(
      new GetSigningCertificateCommand({ UserPoolId: site.poolId }),
    );
    expect(request.signedBy(Certificate ?? "")).toBe(true);
    expect(request.xml).toContain(">slo@idp.example</saml:NameID>");
    expect(request.xml).toContain(">_session-42</saml2p:SessionIndex>");
    expect(request.xml).toContain(`>${audience}</saml:Issuer>`);
    // The session here is over already: authorize shows the sign-in page again.
    const authorize = await agent.get(`${app.base}/oauth2/authorize?${authorizeQuery(app)}`);
    expect(authorize.location).toContain("/login?");
    const requestId = rootAttribute(request.xml, "ID") ?? "";
    const done = await agent.post(`${site.base}/saml2/logout`, {
      SAMLResponse: idp.logoutResponse(`${site.base}/saml2/logout`, requestId),
      RelayState: request.relayState ?? "",
    });
    expect(done.location).toBe(LOGOUT_URI);
  });

  it("refuses a LogoutResponse to another request", async () => {
    const { agent } = await spInitiated("Okta", { nameId: "slo2@idp.example" });
    const request = readRedirect((await agent.get(logoutUrl())).location ?? "");
    const done = await agent.post(`${site.base}/saml2/logout`, {
      SAMLResponse: idp.logoutResponse(`${site.base}/saml2/logout`, "_some-other-request"),
      RelayState: request.relayState ?? "",
    });
    expect(done.location).toBe(`/_domain/${site.domain}/error?error=federation`);
  });

  it("only ends the session here for a provider without IDPSignout", async () => {
    const { agent } = await spInitiated("OktaSigned", { nameId: "local@idp.example" });
    const logout = await agent.get(logoutUrl());
    expect(logout.location).toBe(LOGOUT_URI);
  });
});
