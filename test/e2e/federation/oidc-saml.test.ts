/**
 * What Cognito fills in for OIDC and SAML providers (FEDERATION.md §1.3, §1.7): endpoints read from
 * an OIDC discovery document, SAML metadata given as a file or read from a URL, the encryption
 * certificate of a provider with encrypted responses, and the pool's signing certificate. The
 * documents come from a local HTTP server, which `federation.allowInsecureIdpUrls` lets Cognate read.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import {
  CreateIdentityProviderCommand,
  type CreateIdentityProviderCommandInput,
  DescribeIdentityProviderCommand,
  GetSigningCertificateCommand,
  UpdateIdentityProviderCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool, expectError } from "../../support/fixtures.js";
import {
  certificate,
  type DocumentServer,
  discoveryDocument,
  POST,
  REDIRECT,
  samlMetadata,
  startDocumentServer,
} from "../../support/idp-documents.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const MISSING_POOL = "us-east-1_Missing00";
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

let server: TestServer;
let docs: DocumentServer;
let poolId: string;
let signing: string;
beforeAll(async () => {
  [server, docs, signing] = await Promise.all([
    startTestServer({ federation: { allowInsecureIdpUrls: true } }),
    startDocumentServer(),
    certificate(),
  ]);
  poolId = await createPool(server);
});
afterAll(async () => {
  await server.stop();
  await docs.close();
});

function create(
  input: Partial<CreateIdentityProviderCommandInput> & { ProviderName: string },
  pool = poolId,
) {
  return server.client.send(
    new CreateIdentityProviderCommand({
      UserPoolId: pool,
      ProviderType: "OIDC",
      ProviderDetails: {},
      ...input,
    }),
  );
}

function update(name: string, ProviderDetails: Record<string, string>) {
  return server.client.send(
    new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: name, ProviderDetails }),
  );
}

async function describeProvider(name: string) {
  const out = await server.client.send(
    new DescribeIdentityProviderCommand({ UserPoolId: poolId, ProviderName: name }),
  );
  return out.IdentityProvider;
}

function oidc(issuer: string, extra: Record<string, string> = {}) {
  return {
    client_id: "client",
    client_secret: "secret",
    authorize_scopes: "openid email",
    attributes_request_method: "GET",
    oidc_issuer: issuer,
    ...extra,
  };
}

/** Serves a discovery document for `<docs.url><path>` and returns that issuer. */
function issuerAt(path: string, overrides: Record<string, unknown> = {}): string {
  const issuer = `${docs.url}${path}`;
  docs.serve(`${path}/.well-known/openid-configuration`, { body: discoveryDocument(issuer, overrides) });
  return issuer;
}

describe("OIDC discovery", () => {
  it("reads the endpoints it is not given from the issuer's discovery document, once", async () => {
    const issuer = issuerAt("/tenant-a");
    const seen = docs.requests.length;
    const created = (await create({ ProviderName: "TenantA", ProviderDetails: oidc(issuer) }))
      .IdentityProvider;
    expect(created?.ProviderDetails).toEqual({
      ...oidc(issuer),
      authorize_url: `${issuer}/authorize`,
      token_url: `${issuer}/token`,
      attributes_url: `${issuer}/userinfo`,
      jwks_uri: `${issuer}/jwks`,
      attributes_url_add_attributes: "false",
    });
    expect(docs.requests.slice(seen)).toEqual(["/tenant-a/.well-known/openid-configuration"]);
    expect(await describeProvider("TenantA")).toEqual(created);
    expect(docs.requests.length).toBe(seen + 1);
  });

  it("keeps the endpoints it is given, and reads nothing when it is given all four", async () => {
    const issuer = issuerAt("/tenant-b");
    const mine = `${docs.url}/my-token`;
    const partial = (
      await create({ ProviderName: "TenantB", ProviderDetails: oidc(issuer, { token_url: mine }) })
    ).IdentityProvider;
    expect(partial?.ProviderDetails?.token_url).toBe(mine);
    expect(partial?.ProviderDetails?.authorize_url).toBe(`${issuer}/authorize`);

    const seen = docs.requests.length;
    const all = {
      authorize_url: "https://elsewhere.example.com/a",
      token_url: "https://elsewhere.example.com/t",
      attributes_url: "https://elsewhere.example.com/u",
      jwks_uri: "https://elsewhere.example.com/k",
    };
    const given = (
      await create({ ProviderName: "AirGapped", ProviderDetails: oidc(`${docs.url}/nowhere`, all) })
    ).IdentityProvider;
    expect(given?.ProviderDetails).toEqual({
      ...oidc(`${docs.url}/nowhere`, all),
      attributes_url_add_attributes: "false",
    });
    expect(docs.requests.length).toBe(seen);
  });

  it("follows redirects, and leaves out a userInfo endpoint the document does not have", async () => {
    const issuer = `${docs.url}/moved`;
    docs.serve("/moved/.well-known/openid-configuration", { location: "/elsewhere/openid-configuration" });
    docs.serve("/elsewhere/openid-configuration", {
      body: discoveryDocument(issuer, { userinfo_endpoint: undefined }),
    });
    const created = (await create({ ProviderName: "Moved", ProviderDetails: oidc(issuer) })).IdentityProvider;
    expect(created?.ProviderDetails?.jwks_uri).toBe(`${issuer}/jwks`);
    expect(created?.ProviderDetails).not.toHaveProperty("attributes_url");
  });

  it("discovers again when an update gives the details", async () => {
    const issuer = issuerAt("/tenant-c");
    await create({ ProviderName: "TenantC", ProviderDetails: oidc(issuer) });
    issuerAt("/tenant-c", { jwks_uri: `${issuer}/keys-v2` });
    const updated = (await update("TenantC", oidc(issuer))).IdentityProvider;
    expect(updated?.ProviderDetails?.jwks_uri).toBe(`${issuer}/keys-v2`);
  });

  it("refuses a provider whose discovery document cannot be read or is not the issuer's", async () => {
    const at = (path: string) => `${docs.url}${path}/.well-known/openid-configuration`;
    await expectError(
      create({ ProviderName: "Missing", ProviderDetails: oidc(`${docs.url}/missing`) }),
      "InvalidParameterException",
      `Unable to read the OpenID Connect discovery document ${at("/missing")}: it answered with HTTP status 404.`,
    );
    docs.serve("/html/.well-known/openid-configuration", { body: "<html></html>", contentType: "text/html" });
    await expectError(
      create({ ProviderName: "Html", ProviderDetails: oidc(`${docs.url}/html`) }),
      "InvalidParameterException",
      `Unable to read the OpenID Connect discovery document ${at("/html")}: it is not a JSON object.`,
    );
    issuerAt("/impostor", { issuer: "https://real.example.com" });
    await expectError(
      create({ ProviderName: "Impostor", ProviderDetails: oidc(`${docs.url}/impostor`) }),
      "InvalidParameterException",
      `Unable to read the OpenID Connect discovery document ${at("/impostor")}: its issuer is not ${docs.url}/impostor.`,
    );
    issuerAt("/keyless", { jwks_uri: undefined });
    await expectError(
      create({ ProviderName: "Keyless", ProviderDetails: oidc(`${docs.url}/keyless`) }),
      "InvalidParameterException",
      `Unable to read the OpenID Connect discovery document ${at("/keyless")}: it has no jwks_uri.`,
    );
    issuerAt("/ftp", { token_endpoint: "ftp://ftp.example.com/token" });
    await expectError(
      create({ ProviderName: "Ftp", ProviderDetails: oidc(`${docs.url}/ftp`) }),
      "InvalidParameterException",
      "The idp detail token_url must be an http or https URL: ftp://ftp.example.com/token",
    );
    const closed = await startDocumentServer();
    await closed.close();
    await expectError(
      create({ ProviderName: "Down", ProviderDetails: oidc(closed.url) }),
      "InvalidParameterException",
      `Unable to read the OpenID Connect discovery document ${closed.url}/.well-known/openid-configuration: it could not be read.`,
    );
  });
});

describe("SAML metadata", () => {
  const SSO = "https://idp.example.com/sso";
  const SLO = "https://idp.example.com/slo";

  it("reads MetadataFile: the redirect-binding locations are shown, the signing certificates kept", async () => {
    const second = await certificate();
    const metadata = samlMetadata({
      entityId: "https://idp.example.com/entity",
      signing: [signing],
      unspecified: [second],
      encryption: ["bm90IGEgY2VydGlmaWNhdGU="],
      sso: [
        [POST, "https://idp.example.com/sso-post"],
        [REDIRECT, SSO],
      ],
      slo: [[REDIRECT, SLO]],
    });
    const created = (
      await create({
        ProviderName: "Corp-SAML",
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: metadata, IDPSignout: "true" },
        AttributeMapping: {
          email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
          username: "x",
        },
      })
    ).IdentityProvider;
    expect(created?.ProviderDetails).toEqual({
      MetadataFile: metadata,
      IDPSignout: "true",
      SSORedirectBindingURI: SSO,
      SLORedirectBindingURI: SLO,
    });
    expect(created?.AttributeMapping).toEqual({
      email: "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    });
    expect(await describeProvider("Corp-SAML")).toEqual(created);
    const stored = await server.services.store.identityProviders.get(poolId, "Corp-SAML");
    expect(stored?.samlMetadata).toEqual({
      entityId: "https://idp.example.com/entity",
      signingCertificates: [signing, second],
      ssoRedirectUrl: SSO,
      sloRedirectUrl: SLO,
    });
  });

  it("reads MetadataURL when the provider is created and when it is updated", async () => {
    docs.serve("/metadata.xml", {
      body: samlMetadata({ signing: [signing], sso: [[REDIRECT, SSO]] }),
      contentType: "application/xml",
    });
    const url = `${docs.url}/metadata.xml`;
    const created = (
      await create({ ProviderName: "Url-SAML", ProviderType: "SAML", ProviderDetails: { MetadataURL: url } })
    ).IdentityProvider;
    expect(created?.ProviderDetails).toEqual({ MetadataURL: url, SSORedirectBindingURI: SSO });
    docs.serve("/metadata.xml", {
      body: samlMetadata({ signing: [signing], sso: [[REDIRECT, `${SSO}-v2`]], slo: [[REDIRECT, SLO]] }),
    });
    const updated = (
      await update("Url-SAML", { MetadataURL: url, SSORedirectBindingURI: "https://ignored.example.com" })
    ).IdentityProvider;
    expect(updated?.ProviderDetails).toEqual({
      MetadataURL: url,
      SSORedirectBindingURI: `${SSO}-v2`,
      SLORedirectBindingURI: SLO,
    });
  });

  it("refuses details without metadata, or with both kinds", async () => {
    await expectError(
      create({ ProviderName: "NoMeta", ProviderType: "SAML", ProviderDetails: { IDPSignout: "false" } }),
      "InvalidParameterException",
      "At least one of the MetadataURL or MetadataFile should be provided.",
    );
    await expectError(
      create({
        ProviderName: "Both",
        ProviderType: "SAML",
        ProviderDetails: {
          MetadataFile: samlMetadata({ signing: [signing], sso: [[REDIRECT, SSO]] }),
          MetadataURL: `${docs.url}/metadata.xml`,
        },
      }),
      "InvalidParameterException",
      "Only one of the MetadataURL or MetadataFile should be provided.",
    );
  });

  it("refuses metadata that cannot be used", async () => {
    const refused = (name: string, MetadataFile: string, extra: Record<string, string> = {}) =>
      create({ ProviderName: name, ProviderType: "SAML", ProviderDetails: { MetadataFile, ...extra } });
    await expectError(
      refused("Broken", "<md:EntityDescriptor"),
      "InvalidParameterException",
      "Unable to unmarshall metadata",
    );
    await expectError(
      refused("NotIdp", '<EntityDescriptor entityID="x"><SPSSODescriptor/></EntityDescriptor>'),
      "InvalidParameterException",
      "Unable to unmarshall metadata",
    );
    await expectError(
      refused("PostOnly", samlMetadata({ signing: [signing], sso: [[POST, SSO]] })),
      "InvalidParameterException",
      "No SingleSignOn Http redirect binding location found in metadata.",
    );
    await expectError(
      refused("Unsigned", samlMetadata({ encryption: [signing], sso: [[REDIRECT, SSO]] })),
      "InvalidParameterException",
      "No signing certificate found in metadata.",
    );
    const expired = await certificate(new Date(Date.now() - 11 * 365 * 24 * 3600 * 1000));
    const validTo = new X509Certificate(Buffer.from(expired, "base64")).validTo;
    await expectError(
      refused("Expired", samlMetadata({ signing: [signing, expired], sso: [[REDIRECT, SSO]] })),
      "InvalidParameterException",
      `A signing certificate in metadata expired on ${validTo}.`,
    );
    await expectError(
      refused("Garbage", samlMetadata({ signing: ["bm90IGEgY2VydGlmaWNhdGU="], sso: [[REDIRECT, SSO]] })),
      "InvalidParameterException",
      "A signing certificate in metadata is not an X.509 certificate.",
    );
    await expectError(
      refused("Long", samlMetadata({ signing: ["A".repeat(4100)], sso: [[REDIRECT, SSO]] })),
      "InvalidParameterException",
      "A signing certificate in metadata is longer than 4096 characters.",
    );
    const good = samlMetadata({ signing: [signing], sso: [[REDIRECT, SSO]] });
    await expectError(
      refused("NoSlo", good, { IDPSignout: "true" }),
      "InvalidParameterException",
      "No SingleLogout Http redirect binding location found in metadata.",
    );
    await expectError(
      refused("Flag", good, { IDPInit: "yes" }),
      "InvalidParameterException",
      "The idp detail IDPInit must be true or false.",
    );
    await expectError(
      refused("Sha1", good, { RequestSigningAlgorithm: "rsa-sha1" }),
      "InvalidParameterException",
      "The idp detail RequestSigningAlgorithm must be rsa-sha256.",
    );
  });

  it("refuses a MetadataURL that cannot be read", async () => {
    await expectError(
      create({
        ProviderName: "Gone",
        ProviderType: "SAML",
        ProviderDetails: { MetadataURL: `${docs.url}/gone.xml` },
      }),
      "InvalidParameterException",
      `Non-ok status code 404 returned from remote metadata source ${docs.url}/gone.xml`,
    );
    const closed = await startDocumentServer();
    await closed.close();
    await expectError(
      create({
        ProviderName: "Down",
        ProviderType: "SAML",
        ProviderDetails: { MetadataURL: `${closed.url}/m.xml` },
      }),
      "InvalidParameterException",
      `Error retrieving metadata from ${closed.url}/m.xml`,
    );
  });
});

/** A certificate as Cognito makes them: self-signed RSA-2048 for CN=<pool id>, valid ten years. */
function expectPoolCertificate(base64: string | undefined, pool: string): X509Certificate {
  expect(base64).toMatch(/^[A-Za-z0-9+/]+=*$/);
  const cert = new X509Certificate(Buffer.from(base64 as string, "base64"));
  expect(cert.subject).toBe(`CN=${pool}`);
  expect(cert.issuer).toBe(`CN=${pool}`);
  expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
  const validity = new Date(cert.validTo).getTime() - new Date(cert.validFrom).getTime();
  expect(validity).toBeGreaterThanOrEqual(TEN_YEARS_MS);
  expect(cert.verify(cert.publicKey)).toBe(true);
  return cert;
}

describe("encrypted responses", () => {
  it("gives a provider with EncryptedResponses its own encryption certificate, kept across updates", async () => {
    const metadata = samlMetadata({ signing: [signing], sso: [[REDIRECT, "https://idp.example.com/sso"]] });
    const created = (
      await create({
        ProviderName: "Sealed",
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: metadata, EncryptedResponses: "true" },
      })
    ).IdentityProvider;
    const active = created?.ProviderDetails?.ActiveEncryptionCertificate;
    const cert = expectPoolCertificate(active, poolId);
    const stored = await server.services.store.identityProviders.get(poolId, "Sealed");
    expect(cert.checkPrivateKey(createPrivateKey(stored?.encryptionKey?.privateKey as string))).toBe(true);
    expect((await describeProvider("Sealed"))?.ProviderDetails?.ActiveEncryptionCertificate).toBe(active);

    const kept = (
      await update("Sealed", {
        MetadataFile: metadata,
        EncryptedResponses: "true",
        ActiveEncryptionCertificate: "bogus",
      })
    ).IdentityProvider;
    expect(kept?.ProviderDetails?.ActiveEncryptionCertificate).toBe(active);
    const off = (await update("Sealed", { MetadataFile: metadata, EncryptedResponses: "false" }))
      .IdentityProvider;
    expect(off?.ProviderDetails).not.toHaveProperty("ActiveEncryptionCertificate");
    const on = (await update("Sealed", { MetadataFile: metadata, EncryptedResponses: "true" }))
      .IdentityProvider;
    expect(on?.ProviderDetails?.ActiveEncryptionCertificate).toBe(active);
  });
});

describe("GetSigningCertificate", () => {
  it("returns the pool's signing certificate as base64 DER, the same every time", async () => {
    const pool = await createPool(server);
    const first = (await server.client.send(new GetSigningCertificateCommand({ UserPoolId: pool })))
      .Certificate;
    expectPoolCertificate(first, pool);
    const again = (await server.client.send(new GetSigningCertificateCommand({ UserPoolId: pool })))
      .Certificate;
    expect(again).toBe(first);
    const other = (await server.client.send(new GetSigningCertificateCommand({ UserPoolId: poolId })))
      .Certificate;
    expect(other).not.toBe(first);
  });

  it("is made with the pool's first SAML provider, and its key kept", async () => {
    const pool = await createPool(server);
    expect(await server.services.store.samlSigningKeys.get(pool)).toBeUndefined();
    await create(
      {
        ProviderName: "First-SAML",
        ProviderType: "SAML",
        ProviderDetails: {
          MetadataFile: samlMetadata({
            signing: [signing],
            sso: [[REDIRECT, "https://idp.example.com/sso"]],
          }),
        },
      },
      pool,
    );
    const key = await server.services.store.samlSigningKeys.get(pool);
    const returned = (await server.client.send(new GetSigningCertificateCommand({ UserPoolId: pool })))
      .Certificate;
    expect(returned).toBe(key?.certificate);
    const cert = expectPoolCertificate(returned, pool);
    expect(cert.checkPrivateKey(createPrivateKey(key?.privateKey as string))).toBe(true);
  });

  it("refuses an unknown pool", async () => {
    await expectError(
      server.client.send(new GetSigningCertificateCommand({ UserPoolId: MISSING_POOL })),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });
});
