/**
 * PreTokenGeneration on the domain endpoints (OAUTH.md §5.2, §8; TRIGGERS.md §4.6): the trigger
 * source of each way to tokens — `TokenGeneration_HostedAuth` for a page sign-in and a single
 * sign-on grant, `TokenGeneration_RefreshTokens` for the refresh grant (with `aws_client_metadata`),
 * `TokenGeneration_ClientCredentials` for machine-to-machine, V3_0 only — what the answers change,
 * and where a function's error goes.
 */
import {
  CreateUserPoolClientCommand,
  type LambdaConfigType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../../support/fixtures.js";
import {
  Agent,
  API,
  authorizeQuery,
  callbackParameters,
  createOAuthApp,
  createReadApi,
  jwtPayload,
  type OAuthApp,
  REDIRECT_URI,
  signInOnPage,
  tokenRequest,
} from "../../support/oauth.js";
import { RETURN_EVENT, TriggerHarness } from "../triggers/support.js";

let h: TriggerHarness;
beforeAll(async () => {
  h = await TriggerHarness.start();
});
afterAll(async () => h?.stop());

const USER = { username: "wen", password: PASSWORD };

/** A pool with the function, its domain, a code-flow client, a user, and an M2M client. */
async function setUp(lambdaConfig: LambdaConfigType) {
  const app = await createOAuthApp(h.server, { pool: { LambdaConfig: lambdaConfig } });
  await createUser(h.server, app.poolId, "wen", {
    attributes: [{ Name: "email", Value: "wen@example.com" }],
  });
  await createReadApi(h.server, app.poolId);
  const m2m = await h.server.client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: app.poolId,
      ClientName: "m2m",
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: [`${API}/read`],
    }),
  );
  return {
    app,
    m2m: { id: m2m.UserPoolClient?.ClientId as string, secret: m2m.UserPoolClient?.ClientSecret as string },
  };
}

async function codeFlow(app: OAuthApp, agent = new Agent(h.server.url), extra: Record<string, string> = {}) {
  const back = await signInOnPage(agent, app, USER, { scope: "openid email", ...extra });
  const code = callbackParameters(back.location).get("code") ?? "";
  const tokens = await tokenRequest(app, {
    grant_type: "authorization_code",
    client_id: app.clientId,
    code,
    redirect_uri: REDIRECT_URI,
  });
  return tokens.body as Record<string, string>;
}

function clientCredentials(
  app: OAuthApp,
  m2m: { id: string; secret: string },
  extra: Record<string, string> = {},
) {
  return tokenRequest(
    app,
    { grant_type: "client_credentials", ...extra },
    { id: m2m.id, secret: m2m.secret },
  );
}

type Event = {
  version: string;
  triggerSource: string;
  userName?: string;
  callerContext: { clientId: string };
  request: {
    scopes?: string[];
    clientMetadata: Record<string, string>;
    userAttributes: Record<string, string>;
  };
};

describe("sign-ins on the pages and single sign-on", () => {
  it("cannot override the audience of a resource binding", async () => {
    const arn = h.define(
      "hosted-bound",
      "event.response.claimsAndScopeOverrideDetails = { accessTokenGeneration: { claimsToAddOrOverride: { aud: event.callerContext.clientId } } };\nreturn event;",
    );
    const { app } = await setUp({ PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn } });
    expect(jwtPayload((await codeFlow(app)).access_token).aud).toBe(app.clientId);
    const bound = await codeFlow(app, new Agent(h.server.url), { resource: API });
    expect(jwtPayload(bound.access_token).aud).toBe(API);
  });

  it("run V1 with TokenGeneration_HostedAuth, and its ID token changes apply", async () => {
    const arn = h.define(
      "hosted-v1",
      "event.response.claimsOverrideDetails = { claimsToAddOrOverride: { tenant: 'acme' } };\nreturn event;",
    );
    const { app } = await setUp({ PreTokenGeneration: arn });
    const agent = new Agent(h.server.url);
    const tokens = await codeFlow(app, agent);
    expect(jwtPayload(tokens.id_token).tenant).toBe("acme");
    // Single sign-on: a grant without the page runs it again.
    const silent = await agent.get(
      `${app.base}/oauth2/authorize?${authorizeQuery(app, { response_type: "token" })}`,
    );
    expect(jwtPayload(callbackParameters(silent.location).get("id_token")).tenant).toBe("acme");
    const events = h.events("hosted-v1") as Event[];
    expect(events.map((e) => [e.version, e.triggerSource, e.userName])).toEqual([
      ["1", "TokenGeneration_HostedAuth", "wen"],
      ["1", "TokenGeneration_HostedAuth", "wen"],
    ]);
    expect(events[0].request).not.toHaveProperty("scopes");
  });

  it("run V2 with the granted scopes, and its access token changes apply", async () => {
    const arn = h.define(
      "hosted-v2",
      "event.response.claimsAndScopeOverrideDetails = { accessTokenGeneration: { scopesToAdd: ['extra/scope'], claimsToAddOrOverride: { tier: 'gold' } } };\nreturn event;",
    );
    const { app } = await setUp({ PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn } });
    const tokens = await codeFlow(app);
    const access = jwtPayload(tokens.access_token);
    expect(String(access.scope).split(" ").sort()).toEqual(["email", "extra/scope", "openid"]);
    expect(access.tier).toBe("gold");
    const event = h.onlyEvent("hosted-v2") as Event;
    expect(event).toMatchObject({
      version: "2",
      triggerSource: "TokenGeneration_HostedAuth",
      userName: "wen",
    });
    expect(event.request.scopes?.sort()).toEqual(["email", "openid"]);
  });

  it("send the function's error to the app's redirect URI", async () => {
    const arn = h.define("hosted-fails", "throw new Error('No tenant');");
    const { app } = await setUp({ PreTokenGeneration: arn });
    const back = await signInOnPage(new Agent(h.server.url), app, USER);
    expect(back.location).toBe(
      `${REDIRECT_URI}?${new URLSearchParams({ error_description: "PreTokenGeneration failed with error No tenant. ", state: "state-123", error: "invalid_request" })}`,
    );
  });
});

describe("the refresh grant", () => {
  it("runs with TokenGeneration_RefreshTokens, the sign-in's scopes and aws_client_metadata", async () => {
    const arn = h.define("refresh-v2", RETURN_EVENT);
    const { app } = await setUp({ PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn } });
    const tokens = await codeFlow(app);
    const res = await tokenRequest(app, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      refresh_token: tokens.refresh_token,
      aws_client_metadata: JSON.stringify({ tenant: "acme" }),
    });
    expect(res.status).toBe(200);
    const events = h.events("refresh-v2") as Event[];
    expect(events.map((e) => e.triggerSource)).toEqual([
      "TokenGeneration_HostedAuth",
      "TokenGeneration_RefreshTokens",
    ]);
    expect(events[1].request.clientMetadata).toEqual({ tenant: "acme" });
    expect(events[1].request.scopes?.sort()).toEqual(["email", "openid"]);
  });

  it("answers the function's error as invalid_request", async () => {
    const arn = h.define(
      "refresh-fails",
      "if (event.triggerSource === 'TokenGeneration_RefreshTokens') throw new Error('Nope');\nreturn event;",
    );
    const { app } = await setUp({ PreTokenGeneration: arn });
    const tokens = await codeFlow(app);
    const res = await tokenRequest(app, {
      grant_type: "refresh_token",
      client_id: app.clientId,
      refresh_token: tokens.refresh_token,
    });
    expect(res).toMatchObject({
      status: 400,
      body: { error: "invalid_request", error_description: "PreTokenGeneration failed with error Nope." },
    });
  });
});

describe("client credentials", () => {
  it("run a V3_0 function with TokenGeneration_ClientCredentials: no user, the scopes, aws_client_metadata", async () => {
    const arn = h.define(
      "m2m-v3",
      "event.response.claimsAndScopeOverrideDetails = {\n" +
        "  idTokenGeneration: { claimsToAddOrOverride: { ignored: true } },\n" +
        "  accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', sub: 'forged' }, scopesToAdd: ['extra/scope'] },\n" +
        "  groupOverrideDetails: { groupsToOverride: ['g'] },\n" +
        "};\nreturn event;",
    );
    const { app, m2m } = await setUp({ PreTokenGenerationConfig: { LambdaVersion: "V3_0", LambdaArn: arn } });
    const res = await clientCredentials(app, m2m, {
      aws_client_metadata: JSON.stringify({ tenant: "acme" }),
    });
    expect(res.status).toBe(200);
    const event = h.onlyEvent("m2m-v3");
    expect(event).toEqual({
      version: "3",
      triggerSource: "TokenGeneration_ClientCredentials",
      region: "us-east-1",
      userPoolId: app.poolId,
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: m2m.id },
      request: {
        userAttributes: {},
        groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
        scopes: [`${API}/read`],
        clientMetadata: { tenant: "acme" },
      },
      response: { claimsAndScopeOverrideDetails: null },
    });
    const access = jwtPayload(res.body.access_token);
    expect(access.tenant).toBe("acme");
    expect(access.sub).toBe(m2m.id);
    expect(access.scope).toBe(`${API}/read extra/scope`);
    expect(access).not.toHaveProperty("cognito:groups");
    expect(access).not.toHaveProperty("ignored");
  });

  it("do not run V1 or V2 functions", async () => {
    for (const [name, config] of [
      ["m2m-v1", (arn: string) => ({ PreTokenGeneration: arn })],
      ["m2m-v2", (arn: string) => ({ PreTokenGenerationConfig: { LambdaVersion: "V2_0", LambdaArn: arn } })],
    ] as const) {
      const arn = h.define(name, RETURN_EVENT);
      const { app, m2m } = await setUp(config(arn) as LambdaConfigType);
      expect((await clientCredentials(app, m2m)).status).toBe(200);
      expect(h.events(name)).toEqual([]);
    }
  });

  it("answer the function's error as invalid_request", async () => {
    const arn = h.define("m2m-fails", "throw new Error('No machines');");
    const { app, m2m } = await setUp({ PreTokenGenerationConfig: { LambdaVersion: "V3_0", LambdaArn: arn } });
    expect(await clientCredentials(app, m2m)).toMatchObject({
      status: 400,
      body: {
        error: "invalid_request",
        error_description: "PreTokenGeneration failed with error No machines.",
      },
    });
  });
});
