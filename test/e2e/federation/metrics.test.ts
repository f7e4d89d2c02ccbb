/**
 * Federated sign-ins in /metrics: cognate_sign_ins_total counts each answer of /oauth2/idpresponse
 * and /saml2/idpresponse once, under `FEDERATED_<ProviderType>` — success, the error type when the
 * pool refused the identity (a PreSignUp refusal), or the OAuth error code the app was sent (a
 * failed code exchange, an unsigned SAML response).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, authorizeQuery, callbackParameters, type OAuthApp } from "../../support/oauth.js";
import { parseExposition, type Sample } from "../../support/prometheus.js";
import { type ResponseOptions, readRedirect, rootAttribute, SamlIdp } from "../../support/saml-idp.js";
import { StandInProvider } from "../../support/social-provider.js";
import { TriggerHarness } from "../triggers/support.js";
import {
  appFor,
  createCorpProvider,
  createProvider,
  expectAppError,
  poolWithDomain,
  signInThrough,
} from "./flow-support.js";

let h: TriggerHarness;
let app: OAuthApp;
let samlIdp: SamlIdp;
const idp = new StandInProvider({ clientId: "corp", clientSecret: "corp-secret" });

beforeAll(async () => {
  await idp.start();
  samlIdp = await SamlIdp.create();
  h = await TriggerHarness.start({ federation: { allowInsecureIdpUrls: true } });
  const preSignUp = h.define(
    "fed-metrics-presignup",
    `if (event.userName === "Corp_blocked") throw new Error("Not invited");\nreturn event;`,
  );
  const site = await poolWithDomain(h.server, { LambdaConfig: { PreSignUp: preSignUp } });
  await createCorpProvider(h.server, site.poolId, idp, { email: "email" });
  await createProvider(h.server, {
    UserPoolId: site.poolId,
    ProviderName: "Okta",
    ProviderType: "SAML",
    ProviderDetails: { MetadataFile: samlIdp.metadata() },
    AttributeMapping: { email: "email" },
  });
  app = await appFor(h.server, site, ["Corp", "Okta"]);
});
afterAll(async () => {
  await h?.stop();
  await idp.stop();
});

/** Every federated sample of cognate_sign_ins_total, as `flow result` → value. */
async function federatedSignIns(): Promise<Record<string, number>> {
  const res = await fetch(`${h.server.url}/metrics`);
  expect(res.status).toBe(200);
  const samples: Sample[] = parseExposition(await res.text());
  return Object.fromEntries(
    samples
      .filter((s) => s.name === "cognate_sign_ins_total" && s.labels.flow.startsWith("FEDERATED_"))
      .map((s) => [`${s.labels.flow} ${s.labels.result}`, s.value]),
  );
}

/** What `signIn` added to the federated samples, and the app's callback parameters. */
async function counted(
  signIn: () => Promise<URLSearchParams>,
): Promise<{ callback: URLSearchParams; added: Record<string, number> }> {
  const before = await federatedSignIns();
  const callback = await signIn();
  const after = await federatedSignIns();
  const added = Object.fromEntries(
    Object.entries(after)
      .map(([key, value]) => [key, value - (before[key] ?? 0)] as const)
      .filter(([, delta]) => delta !== 0),
  );
  return { callback, added };
}

/** One sign-in through the OIDC stand-in. */
function oidcSignIn(sub: string) {
  return counted(async () => {
    idp.next = { claims: { sub, email: `${sub}@corp.example` } };
    const { callback } = await signInThrough(new Agent(h.server.url), app, {
      identity_provider: "Corp",
      scope: "openid email",
    });
    return callback;
  });
}

/** One SP-initiated SAML sign-in whose response `options` make. */
function samlSignIn(options: Partial<ResponseOptions> & { nameId: string }) {
  return counted(async () => {
    const agent = new Agent(h.server.url);
    const started = await agent.get(
      `${app.base}/oauth2/authorize?${authorizeQuery(app, { identity_provider: "Okta" })}`,
    );
    const message = readRedirect(started.location ?? "");
    const acs = `${app.base}/saml2/idpresponse`;
    const samlResponse = await samlIdp.response({
      acs,
      audience: `urn:amazon:cognito:sp:${app.poolId}`,
      inResponseTo: rootAttribute(message.xml, "ID") ?? "",
      attributes: { email: options.nameId },
      ...options,
    });
    const answer = await agent.post(acs, {
      SAMLResponse: samlResponse,
      RelayState: message.relayState ?? "",
    });
    return callbackParameters(answer.location);
  });
}

describe("cognate_sign_ins_total for federated sign-ins", () => {
  it("counts a successful sign-in by provider type", async () => {
    const { callback, added } = await oidcSignIn("sam");
    expect(callback.get("code")).toEqual(expect.any(String));
    expect(added).toEqual({ "FEDERATED_OIDC success": 1 });
  });

  it("counts a trigger's refusal by its error type", async () => {
    const { callback, added } = await oidcSignIn("blocked");
    expectAppError(callback, "invalid_request", "PreSignUp failed with error Not invited. ");
    expect(added).toEqual({ "FEDERATED_OIDC UserLambdaValidationException": 1 });
  });

  it("counts a provider that would not exchange its code by the OAuth error the app was sent", async () => {
    idp.tamper = { tokenStatus: 500 };
    try {
      const { callback, added } = await oidcSignIn("tess");
      expectAppError(callback, "invalid_request");
      expect(added).toEqual({ "FEDERATED_OIDC invalid_request": 1 });
    } finally {
      idp.tamper = {};
    }
  });

  it("counts SAML sign-ins under their own type: a success, and a refused response by its OAuth error", async () => {
    const signedIn = await samlSignIn({ nameId: "carlos@idp.example" });
    expect(signedIn.callback.get("code")).toEqual(expect.any(String));
    expect(signedIn.added).toEqual({ "FEDERATED_SAML success": 1 });

    const refused = await samlSignIn({ nameId: "mallory@idp.example", sign: "none" });
    expectAppError(
      refused.callback,
      "server_error",
      "Invalid SAML response received: SAML Assertion signature is invalid.",
    );
    expect(refused.added).toEqual({ "FEDERATED_SAML server_error": 1 });
  });
});
