/**
 * The Lambda triggers of federated sign-in and their sources (FEDERATION.md §3.5): a first sign-in
 * runs PreSignUp (`PreSignUp_ExternalProvider`), PostConfirmation (`PostConfirmation_ConfirmSignUp`)
 * and PreTokenGeneration (`TokenGeneration_HostedAuth`); later ones PreAuthentication,
 * PostAuthentication and PreTokenGeneration. PreSignUp may verify the email, refuse the user (the
 * app is told), or link the identity to an existing user, who then signs in. A refusal of
 * PreAuthentication or a disabled user changes nothing.
 */
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  type LambdaConfigType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, type OAuthApp } from "../../support/oauth.js";
import { StandInProvider } from "../../support/social-provider.js";
import { RETURN_EVENT, TriggerHarness } from "../triggers/support.js";
import {
  appFor,
  createCorpProvider,
  expectAppError,
  poolWithDomain,
  signInThrough,
  tokensFor,
} from "./flow-support.js";

let h: TriggerHarness;
const idp = new StandInProvider({ clientId: "corp", clientSecret: "corp-secret" });

beforeAll(async () => {
  await idp.start();
  h = await TriggerHarness.start({ federation: { allowInsecureIdpUrls: true } });
});
afterAll(async () => {
  await h?.stop();
  await idp.stop();
});

/** A pool with the functions, an OIDC provider `Corp` (the stand-in) and an app client listing it. */
async function federatedApp(lambda: LambdaConfigType): Promise<OAuthApp> {
  const site = await poolWithDomain(h.server, { LambdaConfig: lambda });
  await createCorpProvider(h.server, site.poolId, idp, { email: "email", name: "name" });
  return appFor(h.server, site, ["COGNITO", "Corp"]);
}

function signIn(app: OAuthApp, sub: string, claims: Record<string, unknown> = {}) {
  idp.next = { claims: { sub, email: `${sub}@corp.example`, ...claims } };
  return signInThrough(new Agent(h.server.url), app, {
    identity_provider: "Corp",
    scope: "openid email profile",
  });
}

async function attributes(app: OAuthApp, username: string) {
  const user = await h.server.client.send(
    new AdminGetUserCommand({ UserPoolId: app.poolId, Username: username }),
  );
  return Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value]));
}

type Event = { triggerSource: string; userName: string; request: { userAttributes: Record<string, string> } };

describe("trigger sources", () => {
  it("first sign-in: PreSignUp, PostConfirmation, PreTokenGeneration; later: PreAuthentication, PostAuthentication, PreTokenGeneration", async () => {
    const arn = h.define("fed-record", RETURN_EVENT);
    const app = await federatedApp({
      PreSignUp: arn,
      PostConfirmation: arn,
      PreAuthentication: arn,
      PostAuthentication: arn,
      PreTokenGeneration: arn,
    });
    await signIn(app, "sam", { name: "Sam" });
    const first = h.events("fed-record") as Event[];
    expect(first.map((e) => [e.triggerSource, e.userName])).toEqual([
      ["PreSignUp_ExternalProvider", "Corp_sam"],
      ["PostConfirmation_ConfirmSignUp", "Corp_sam"],
      ["TokenGeneration_HostedAuth", "Corp_sam"],
    ]);
    expect(first[0].request.userAttributes).toEqual({ email: "sam@corp.example", name: "Sam" });
    expect(first[1].request.userAttributes).toMatchObject({
      "cognito:user_status": "EXTERNAL_PROVIDER",
      email: "sam@corp.example",
      email_verified: "false",
    });
    expect(JSON.parse(first[1].request.userAttributes.identities)).toEqual([
      expect.objectContaining({ userId: "sam", providerName: "Corp", primary: true }),
    ]);
    h.functions.clear("fed-record");
    await signIn(app, "sam", { name: "Sam Vimes" });
    expect((h.events("fed-record") as Event[]).map((e) => [e.triggerSource, e.userName])).toEqual([
      ["PreAuthentication_Authentication", "Corp_sam"],
      ["PostAuthentication_Authentication", "Corp_sam"],
      ["TokenGeneration_HostedAuth", "Corp_sam"],
    ]);
  });
});

describe("PreSignUp", () => {
  let app: OAuthApp;
  beforeAll(async () => {
    const arn = h.define(
      "fed-presignup",
      `const subject = event.userName.slice("Corp_".length);
      if (subject === "blocked") throw new Error("Not invited");
      if (subject === "dana-sub") {
        await fetch(${JSON.stringify(h.server.url)}, {
          method: "POST",
          headers: {
            "content-type": "application/x-amz-json-1.1",
            "x-amz-target": "AWSCognitoIdentityProviderService.AdminLinkProviderForUser",
          },
          body: JSON.stringify({
            UserPoolId: event.userPoolId,
            DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "dana" },
            SourceUser: { ProviderName: "Corp", ProviderAttributeName: "Cognito_Subject", ProviderAttributeValue: subject },
          }),
        });
      }
      event.response.autoVerifyEmail = true;
      return event;`,
    );
    app = await federatedApp({ PreSignUp: arn });
  });

  it("marks the email verified when the function says so", async () => {
    const { callback } = await signIn(app, "vera");
    expect((await tokensFor(app, callback.get("code"))).id.email_verified).toBe(true);
    expect((await attributes(app, "Corp_vera")).email_verified).toBe("true");
  });

  it("refuses the user when the function fails: the app is told, no user is made", async () => {
    const { callback } = await signIn(app, "blocked");
    expectAppError(callback, "invalid_request", "PreSignUp failed with error Not invited. ");
    await expect(attributes(app, "Corp_blocked")).rejects.toThrow("User does not exist.");
  });

  it("signs the identity in as the user the function linked it to", async () => {
    await h.server.client.send(
      new AdminCreateUserCommand({ UserPoolId: app.poolId, Username: "dana", MessageAction: "SUPPRESS" }),
    );
    const { callback } = await signIn(app, "dana-sub");
    expect((await tokensFor(app, callback.get("code"))).id["cognito:username"]).toBe("dana");
    await expect(attributes(app, "Corp_dana-sub")).rejects.toThrow("User does not exist.");
  });
});

describe("later sign-ins", () => {
  it("a PreAuthentication refusal and a disabled user leave the user as it was", async () => {
    const arn = h.define(
      "fed-preauth",
      `if (event.userName === "Corp_frozen") throw new Error("Account frozen");\nreturn event;`,
    );
    const app = await federatedApp({ PreAuthentication: arn });
    await signIn(app, "frozen", { name: "Before" });
    const refused = await signIn(app, "frozen", { name: "After" });
    expectAppError(
      refused.callback,
      "invalid_request",
      "PreAuthentication failed with error Account frozen. ",
    );
    expect((await attributes(app, "Corp_frozen")).name).toBe("Before");

    await signIn(app, "idle", { name: "Before" });
    await h.server.client.send(
      new AdminDisableUserCommand({ UserPoolId: app.poolId, Username: "Corp_idle" }),
    );
    const disabled = await signIn(app, "idle", { name: "After" });
    expectAppError(disabled.callback, "invalid_request", "User is disabled.");
    expect((await attributes(app, "Corp_idle")).name).toBe("Before");
  });
});

describe("InboundFederation", () => {
  type InboundEvent = {
    triggerSource: string;
    userName: string;
    request: {
      providerName: string;
      providerType: string;
      attributes: Record<string, Record<string, string> | undefined>;
    };
    response: { userAttributesToMap: Record<string, string> };
  };
  let app: OAuthApp;
  beforeAll(async () => {
    const arn = h.define(
      "fed-inbound",
      `const claims = event.request.attributes.idToken;
      if (claims.sub === "refused") throw new Error("Not from this provider");
      if (claims.sub !== "kept") {
        event.response.userAttributesToMap = { email: "mapped-" + claims.email, name: "Mapped " + claims.sub };
      }
      return event;`,
    );
    app = await federatedApp({ InboundFederation: { LambdaVersion: "V1_0", LambdaArn: arn } });
  });

  it("sees the provider's answer before the mapping, and gives the attributes to map instead", async () => {
    idp.next = {
      claims: { sub: "ines", email: "ines@corp.example", name: "Ines" },
      userInfo: { sub: "ines", locale: "fr-FR" },
    };
    const { callback } = await signInThrough(new Agent(h.server.url), app, {
      identity_provider: "Corp",
      scope: "openid email profile",
    });
    const [event] = h.events("fed-inbound") as InboundEvent[];
    expect(event).toMatchObject({
      triggerSource: "InboundFederation_ExternalProvider",
      userName: "Corp_ines",
      request: { providerName: "Corp", providerType: "OIDC" },
      response: { userAttributesToMap: {} },
    });
    const { tokenResponse, idToken, userInfo } = event.request.attributes;
    expect(idToken).toMatchObject({ sub: "ines", email: "ines@corp.example", name: "Ines" });
    expect(tokenResponse?.access_token).toEqual(expect.any(String));
    expect(tokenResponse?.id_token).toEqual(expect.any(String));
    expect(userInfo).toEqual({ sub: "ines", locale: "fr-FR" });
    expect(event.request.attributes.samlResponse).toBeUndefined();

    // The map replaced the provider's attributes; the username keeps the provider's subject.
    expect(await attributes(app, "Corp_ines")).toMatchObject({
      email: "mapped-ines@corp.example",
      name: "Mapped ines",
    });
    expect((await tokensFor(app, callback.get("code"))).id.email).toBe("mapped-ines@corp.example");
  });

  it("an empty map keeps the provider's attributes", async () => {
    await signIn(app, "kept", { name: "Kept As Sent" });
    expect(await attributes(app, "Corp_kept")).toMatchObject({
      email: "kept@corp.example",
      name: "Kept As Sent",
    });
  });

  it("a failing function refuses the sign-in: the app is told, no user is made", async () => {
    const { callback } = await signIn(app, "refused");
    expectAppError(
      callback,
      "invalid_request",
      "InboundFederation failed with error Not from this provider. ",
    );
    await expect(attributes(app, "Corp_refused")).rejects.toThrow("User does not exist.");
  });
});
