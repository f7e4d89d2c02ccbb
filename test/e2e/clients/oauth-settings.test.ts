/**
 * The app client's OAuth settings (OAUTH.md §4): each row of Create/UpdateUserPoolClient's error
 * table, what is accepted, and the accessors the OAuth endpoints read.
 */
import {
  CreateResourceServerCommand,
  type CreateUserPoolClientCommandInput,
  DeleteResourceServerCommand,
  DescribeUserPoolClientCommand,
  UpdateUserPoolClientCommand,
  type UpdateUserPoolClientCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  allowedOAuthFlows,
  allowedOAuthScopes,
  callbackUrls,
  logoutUrls,
  oauthEnabled,
  supportedIdentityProviders,
} from "../../../src/domain/clients.js";
import { customScopesOf } from "../../../src/domain/resource-servers.js";
import { createClient, createPool, expectError } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const API = "https://api.example.com";
const CALLBACK = "https://app.example.com/callback";

let server: TestServer;
let poolId: string;
beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
  await server.client.send(
    new CreateResourceServerCommand({
      UserPoolId: poolId,
      Identifier: API,
      Name: "API",
      Scopes: [
        { ScopeName: "read", ScopeDescription: "Read" },
        { ScopeName: "write", ScopeDescription: "Write" },
      ],
    }),
  );
});
afterAll(async () => server.stop());

/** A code-flow client on the master switch, with whatever `input` changes. */
function oauthClient(input: Partial<CreateUserPoolClientCommandInput> = {}) {
  return createClient(server, poolId, {
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ["code"],
    AllowedOAuthScopes: ["openid"],
    CallbackURLs: [CALLBACK],
    ...input,
  });
}

async function described(clientId: string) {
  const out = await server.client.send(
    new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
  );
  return out.UserPoolClient;
}

function update(clientId: string, input: Partial<UpdateUserPoolClientCommandInput>) {
  return server.client.send(
    new UpdateUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId, ...input }),
  );
}

async function record(clientId: string) {
  const client = await server.services.store.clients.get(clientId);
  if (!client) throw new Error(`client ${clientId} not stored`);
  return client;
}

describe("flows", () => {
  it("refuses a flow outside the enum, as Cognito words it", async () => {
    await expectError(
      oauthClient({ AllowedOAuthFlows: ["code", "token" as "code"] }),
      "InvalidParameterException",
      "1 validation error detected: Value '[code, token]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]",
    );
  });

  it("refuses client_credentials with code or implicit", async () => {
    for (const other of ["code", "implicit"] as const) {
      await expectError(
        oauthClient({
          GenerateSecret: true,
          AllowedOAuthFlows: ["client_credentials", other],
          AllowedOAuthScopes: [`${API}/read`],
        }),
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected along with code flow or implicit flow.",
      );
    }
  });

  it("refuses client_credentials for a client without a secret", async () => {
    await expectError(
      oauthClient({ AllowedOAuthFlows: ["client_credentials"], AllowedOAuthScopes: [`${API}/read`] }),
      "InvalidOAuthFlowException",
      "client_credentials flow can not be selected if client does not have a client secret.",
    );
  });

  it("refuses standard scopes with client_credentials", async () => {
    for (const scope of ["openid", "email", "aws.cognito.signin.user.admin"]) {
      await expectError(
        oauthClient({
          GenerateSecret: true,
          AllowedOAuthFlows: ["client_credentials"],
          AllowedOAuthScopes: [`${API}/read`, scope],
        }),
        "InvalidOAuthFlowException",
        `${scope} is not supported with client_credentials flow`,
      );
    }
  });

  it("takes client_credentials alone, with a secret and custom scopes", async () => {
    const client = await oauthClient({
      GenerateSecret: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: [`${API}/read`, `${API}/write`],
      CallbackURLs: undefined,
    });
    expect(await described(client.clientId)).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["client_credentials"],
      AllowedOAuthScopes: [`${API}/read`, `${API}/write`],
    });
  });

  it("refuses code or implicit without a callback URL", async () => {
    for (const flow of ["code", "implicit"] as const) {
      for (const CallbackURLs of [undefined, []]) {
        await expectError(
          oauthClient({ AllowedOAuthFlows: [flow], CallbackURLs }),
          "InvalidOAuthFlowException",
          "CallbackUrls can not be empty when code flow or implicit flow is selected",
        );
      }
    }
  });

  it("applies the same rules to UpdateUserPoolClient", async () => {
    const client = await oauthClient();
    await expectError(
      update(client.clientId, {
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["client_credentials"],
        AllowedOAuthScopes: [`${API}/read`],
      }),
      "InvalidOAuthFlowException",
      "client_credentials flow can not be selected if client does not have a client secret.",
    );
    await expectError(
      update(client.clientId, { AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ["implicit"] }),
      "InvalidOAuthFlowException",
      "CallbackUrls can not be empty when code flow or implicit flow is selected",
    );
    await expectError(
      update(client.clientId, { AllowedOAuthFlows: ["code", "bad" as "code"] }),
      "InvalidParameterException",
      "1 validation error detected: Value '[code, bad]' at 'allowedOAuthFlows' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [implicit, client_credentials, code]]",
    );
    expect((await described(client.clientId))?.AllowedOAuthFlows).toEqual(["code"]);
  });
});

describe("scopes", () => {
  it("takes the standard scopes and the pool's custom scopes", async () => {
    const scopes = ["openid", "email", "phone", "profile", "aws.cognito.signin.user.admin", `${API}/read`];
    const client = await oauthClient({ AllowedOAuthScopes: scopes });
    expect((await described(client.clientId))?.AllowedOAuthScopes).toEqual(scopes);
  });

  it("refuses a scope that is neither standard nor a custom scope of the pool", async () => {
    for (const scope of ["unknown", `${API}/delete`, "https://other.example.com/read", "OpenID"]) {
      await expectError(
        oauthClient({ AllowedOAuthScopes: ["openid", scope] }),
        "ScopeDoesNotExistException",
        `Invalid scope requested: ${scope}`,
      );
    }
    const otherPool = await createPool(server);
    await expectError(
      createClient(server, otherPool, {
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ["code"],
        AllowedOAuthScopes: [`${API}/read`],
        CallbackURLs: [CALLBACK],
      }),
      "ScopeDoesNotExistException",
      `Invalid scope requested: ${API}/read`,
    );
  });

  it("keeps a scope on its clients after its server deletes it, inactive; new clients cannot take it", async () => {
    const identifier = "https://temporary.example.com";
    await server.client.send(
      new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: identifier,
        Name: "Temporary",
        Scopes: [{ ScopeName: "use", ScopeDescription: "Use" }],
      }),
    );
    const client = await oauthClient({ AllowedOAuthScopes: ["openid", `${identifier}/use`] });
    await server.client.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: identifier }));
    expect((await described(client.clientId))?.AllowedOAuthScopes).toEqual(["openid", `${identifier}/use`]);
    expect(allowedOAuthScopes(await record(client.clientId))).toContain(`${identifier}/use`);
    expect(await customScopesOf(server.services.store, poolId)).not.toContain(`${identifier}/use`);
    await expectError(
      oauthClient({ AllowedOAuthScopes: [`${identifier}/use`] }),
      "ScopeDoesNotExistException",
      `Invalid scope requested: ${identifier}/use`,
    );
  });
});

describe("callback and logout URLs", () => {
  it("takes https, loopback http on any port, and custom schemes", async () => {
    const CallbackURLs = [
      CALLBACK,
      "http://localhost/cb",
      "http://localhost:3000/cb",
      "http://127.0.0.1:8080/cb",
      "http://[::1]:9000/cb",
      "myapp://callback",
      "com.example.app:/oauth2redirect",
    ];
    const LogoutURLs = ["https://app.example.com/", "http://localhost:3000/signed-out", "myapp://signout"];
    const client = await oauthClient({
      CallbackURLs,
      LogoutURLs,
      DefaultRedirectURI: "http://localhost:3000/cb",
    });
    expect(await described(client.clientId)).toMatchObject({
      CallbackURLs,
      LogoutURLs,
      DefaultRedirectURI: "http://localhost:3000/cb",
    });
  });

  it("refuses plain http to another host, a fragment, or a relative URL", async () => {
    for (const url of [
      "http://app.example.com/cb",
      "http://127.0.0.2/cb",
      "https://app.example.com/cb#done",
      "https://app.example.com/cb#",
      "/callback",
      "app.example.com/cb",
    ]) {
      await expectError(
        oauthClient({ CallbackURLs: [CALLBACK, url] }),
        "InvalidParameterException",
        `Invalid CallbackURLs: ${url}`,
      );
      await expectError(
        oauthClient({ LogoutURLs: [url] }),
        "InvalidParameterException",
        `Invalid LogoutURLs: ${url}`,
      );
    }
  });

  it("refuses an empty entry, as Cognito words it", async () => {
    await expectError(
      oauthClient({ CallbackURLs: [""] }),
      "InvalidParameterException",
      "1 validation error detected: Value '[]' at 'callbackURLs' failed to satisfy constraint: Member must satisfy constraint: [Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+]",
    );
  });

  it("refuses a DefaultRedirectURI that is not one of the callback URLs", async () => {
    await expectError(
      oauthClient({ DefaultRedirectURI: "https://app.example.com/other" }),
      "InvalidParameterException",
      "Invalid DefaultRedirectURI: https://app.example.com/other",
    );
    await expectError(
      createClient(server, poolId, { DefaultRedirectURI: CALLBACK }),
      "InvalidParameterException",
      `Invalid DefaultRedirectURI: ${CALLBACK}`,
    );
  });

  it("checks the URLs on UpdateUserPoolClient too, and with the switch off", async () => {
    const client = await createClient(server, poolId);
    await expectError(
      update(client.clientId, { CallbackURLs: ["http://app.example.com/cb"] }),
      "InvalidParameterException",
      "Invalid CallbackURLs: http://app.example.com/cb",
    );
  });
});

describe("identity providers", () => {
  it("takes COGNITO", async () => {
    const client = await oauthClient({ SupportedIdentityProviders: ["COGNITO"] });
    expect((await described(client.clientId))?.SupportedIdentityProviders).toEqual(["COGNITO"]);
  });

  it("refuses a provider the pool does not have", async () => {
    for (const provider of ["Google", "cognito"]) {
      await expectError(
        oauthClient({ SupportedIdentityProviders: ["COGNITO", provider] }),
        "InvalidParameterException",
        `The provider ${provider} does not exist for User Pool ${poolId}.`,
      );
    }
    const client = await oauthClient();
    await expectError(
      update(client.clientId, { SupportedIdentityProviders: ["SAML-Corp"] }),
      "InvalidParameterException",
      `The provider SAML-Corp does not exist for User Pool ${poolId}.`,
    );
  });
});

describe("with the master switch off", () => {
  const STORED = {
    AllowedOAuthFlows: ["client_credentials", "code"] as ("client_credentials" | "code")[],
    AllowedOAuthScopes: ["openid", "not-a-scope"],
  };

  it("accepts and stores flows and scopes the switch would refuse", async () => {
    const client = await createClient(server, poolId, STORED);
    expect(await described(client.clientId)).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: false,
      ...STORED,
    });
    const stored = await record(client.clientId);
    expect(oauthEnabled(stored)).toBe(false);
    expect(allowedOAuthFlows(stored)).toEqual(STORED.AllowedOAuthFlows);
  });

  it("checks them once an update turns the switch on", async () => {
    const client = await createClient(server, poolId, STORED);
    await expectError(
      update(client.clientId, { ...STORED, AllowedOAuthFlowsUserPoolClient: true }),
      "InvalidOAuthFlowException",
      "client_credentials flow can not be selected along with code flow or implicit flow.",
    );
    await update(client.clientId, {
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid"],
      CallbackURLs: [CALLBACK],
    });
    expect(oauthEnabled(await record(client.clientId))).toBe(true);
  });
});

describe("accessors", () => {
  it("read a client without OAuth settings as having none, switched off", async () => {
    const stored = await record((await createClient(server, poolId)).clientId);
    expect(oauthEnabled(stored)).toBe(false);
    expect(allowedOAuthFlows(stored)).toEqual([]);
    expect(allowedOAuthScopes(stored)).toEqual([]);
    expect(callbackUrls(stored)).toEqual([]);
    expect(logoutUrls(stored)).toEqual([]);
    expect(supportedIdentityProviders(stored)).toEqual([]);
  });

  it("read the stored settings", async () => {
    const client = await oauthClient({
      AllowedOAuthFlows: ["code", "implicit"],
      AllowedOAuthScopes: ["openid", `${API}/read`],
      LogoutURLs: ["https://app.example.com/bye"],
      SupportedIdentityProviders: ["COGNITO"],
    });
    const stored = await record(client.clientId);
    expect(oauthEnabled(stored)).toBe(true);
    expect(allowedOAuthFlows(stored)).toEqual(["code", "implicit"]);
    expect(allowedOAuthScopes(stored)).toEqual(["openid", `${API}/read`]);
    expect(callbackUrls(stored)).toEqual([CALLBACK]);
    expect(logoutUrls(stored)).toEqual(["https://app.example.com/bye"]);
    expect(supportedIdentityProviders(stored)).toEqual(["COGNITO"]);
  });
});
