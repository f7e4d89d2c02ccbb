/**
 * App clients and IdP-initiated SAML providers (FEDERATION.md §2.5): a client that lists a SAML
 * provider with IDPInit="true" may list only SAML providers — not COGNITO, social or OIDC — on
 * CreateUserPoolClient and UpdateUserPoolClient; and UpdateIdentityProvider does not turn IDPInit on
 * for a provider a client already lists beside such providers (docs/decisions/federation.md).
 */
import {
  CreateIdentityProviderCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createPool, expectError } from "../../support/fixtures.js";
import {
  certificate,
  GOOGLE_DETAILS as GOOGLE,
  OIDC_DETAILS as OIDC,
  REDIRECT,
  samlMetadata,
} from "../../support/idp-documents.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const mix = (saml: string, other: string) =>
  `The provider ${other} cannot be used with ${saml}: an app client that supports an IdP-initiated SAML provider can support only SAML providers.`;
const turnOnRefused = (name: string, clientId: string, other: string) =>
  `IDPInit cannot be enabled for ${name}: app client ${clientId} supports it with ${other}, and an app client that supports an IdP-initiated SAML provider can support only SAML providers.`;

let server: TestServer;
let poolId: string;
let metadata: string;

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
  metadata = samlMetadata({
    signing: [await certificate()],
    sso: [[REDIRECT, "https://idp.example.com/sso"]],
  });
  const saml = (name: string, details: Record<string, string> = {}) =>
    server.client.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: name,
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: metadata, ...details },
      }),
    );
  await saml("Init", { IDPInit: "true" });
  await saml("Plain");
  await saml("Other", { IDPInit: "false" });
  await server.client.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: "Corp",
      ProviderType: "OIDC",
      ProviderDetails: OIDC,
    }),
  );
  await server.client.send(
    new CreateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: "Google",
      ProviderType: "Google",
      ProviderDetails: GOOGLE,
    }),
  );
});
afterAll(async () => server?.stop());

async function providersOf(clientId: string) {
  const out = await server.client.send(
    new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
  );
  return out.UserPoolClient?.SupportedIdentityProviders;
}

function updateClient(clientId: string, providers: string[]) {
  return server.client.send(
    new UpdateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      SupportedIdentityProviders: providers,
    }),
  );
}

function setIdpInit(name: string, value: "true" | "false") {
  return server.client.send(
    new UpdateIdentityProviderCommand({
      UserPoolId: poolId,
      ProviderName: name,
      ProviderDetails: { MetadataFile: metadata, IDPInit: value },
    }),
  );
}

async function idpInitOf(name: string) {
  const out = await server.client.send(
    new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: name }),
  );
  return out.IdentityProvider?.ProviderDetails?.IDPInit;
}

describe("CreateUserPoolClient and UpdateUserPoolClient", () => {
  it("refuse COGNITO, social and OIDC providers beside an IdP-initiated SAML provider", async () => {
    const refusals: [string[], string, string][] = [
      [["Init", "COGNITO"], "Init", "COGNITO"],
      [["COGNITO", "Plain", "Init"], "Init", "COGNITO"],
      [["Plain", "Init", "Corp"], "Init", "Corp"],
      [["Google", "Init"], "Init", "Google"],
    ];
    for (const [providers, saml, other] of refusals) {
      await expectError(
        createClient(server, poolId, { SupportedIdentityProviders: providers }),
        "InvalidParameterException",
        mix(saml, other),
      );
    }
    const client = await createClient(server, poolId, { SupportedIdentityProviders: ["Plain"] });
    for (const [providers, saml, other] of refusals) {
      await expectError(
        updateClient(client.clientId, providers),
        "InvalidParameterException",
        mix(saml, other),
      );
    }
    expect(await providersOf(client.clientId)).toEqual(["Plain"]);
  });

  it("accept several SAML providers, one of them IdP-initiated, and any mix without one", async () => {
    const client = await createClient(server, poolId, {
      SupportedIdentityProviders: ["Plain", "Init", "Other"],
    });
    expect(await providersOf(client.clientId)).toEqual(["Plain", "Init", "Other"]);
    await updateClient(client.clientId, ["Init"]);
    expect(await providersOf(client.clientId)).toEqual(["Init"]);
    await updateClient(client.clientId, ["COGNITO", "Plain", "Other", "Corp", "Google"]);
    expect(await providersOf(client.clientId)).toEqual(["COGNITO", "Plain", "Other", "Corp", "Google"]);
  });

  it("still name an unknown provider first", async () => {
    await expectError(
      createClient(server, poolId, { SupportedIdentityProviders: ["Init", "COGNITO", "Nobody"] }),
      "InvalidParameterException",
      `The provider Nobody does not exist for User Pool ${poolId}.`,
    );
  });
});

describe("UpdateIdentityProvider turning IDPInit on", () => {
  it("is refused while a client lists the provider beside a non-SAML one, and the provider is left as it was", async () => {
    await server.client.send(
      new CreateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: "Later",
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: metadata, IDPInit: "false" },
      }),
    );
    const mixed = await createClient(server, poolId, { SupportedIdentityProviders: ["Later", "COGNITO"] });
    const samlOnly = await createClient(server, poolId, { SupportedIdentityProviders: ["Plain", "Later"] });
    await expectError(
      setIdpInit("Later", "true"),
      "InvalidParameterException",
      turnOnRefused("Later", mixed.clientId, "COGNITO"),
    );
    expect(await idpInitOf("Later")).toBe("false");

    await updateClient(mixed.clientId, ["Later", "Corp"]);
    await expectError(
      setIdpInit("Later", "true"),
      "InvalidParameterException",
      turnOnRefused("Later", mixed.clientId, "Corp"),
    );
    expect(await idpInitOf("Later")).toBe("false");

    await updateClient(mixed.clientId, ["COGNITO", "Corp"]);
    await setIdpInit("Later", "true");
    expect(await idpInitOf("Later")).toBe("true");
    expect(await providersOf(samlOnly.clientId)).toEqual(["Plain", "Later"]);
    await expectError(
      updateClient(mixed.clientId, ["COGNITO", "Later"]),
      "InvalidParameterException",
      mix("Later", "COGNITO"),
    );

    // Turned off again, it may stand beside anything.
    await setIdpInit("Later", "false");
    await updateClient(mixed.clientId, ["COGNITO", "Later"]);
    expect(await providersOf(mixed.clientId)).toEqual(["COGNITO", "Later"]);
  });
});
