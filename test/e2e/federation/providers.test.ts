/**
 * The identity provider resource (FEDERATION.md §1): social providers' details as Cognito fills
 * them in, names, AttributeMapping, IdpIdentifiers, the automatic group, updates, listing,
 * deletion and its effects, and the provider names app clients may list.
 */
import {
  CreateIdentityProviderCommand,
  type CreateIdentityProviderCommandInput,
  DeleteIdentityProviderCommand,
  DeleteUserPoolCommand,
  DescribeIdentityProviderCommand,
  DescribeUserPoolClientCommand,
  GetGroupCommand,
  GetIdentityProviderByIdentifierCommand,
  GetSigningCertificateCommand,
  ListIdentityProvidersCommand,
  UpdateIdentityProviderCommand,
  UpdateUserPoolClientCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advanceClock, createClient, createPool, expectError, resetClock } from "../../support/fixtures.js";
import { GOOGLE_DETAILS as GOOGLE, OIDC_DETAILS as OIDC } from "../../support/idp-documents.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const MISSING_POOL = "us-east-1_Missing00";

let server: TestServer;
let poolId: string;
beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server, {
    Schema: [
      { Name: "dept", AttributeDataType: "String", Mutable: true },
      { Name: "badge", AttributeDataType: "String", Mutable: false },
    ],
  });
});
afterAll(async () => server.stop());

function create(
  input: Partial<CreateIdentityProviderCommandInput> & { ProviderName: string },
  pool = poolId,
) {
  return server.client.send(
    new CreateIdentityProviderCommand({
      UserPoolId: pool,
      ProviderType: "OIDC",
      ProviderDetails: OIDC,
      ...input,
    }),
  );
}

async function describeProvider(name: string, pool = poolId) {
  const out = await server.client.send(
    new DescribeIdentityProviderCommand({ UserPoolId: pool, ProviderName: name }),
  );
  return out.IdentityProvider;
}

/** `count` providers P000, P001… made directly in the store (quicker than as many requests), a millisecond apart. */
async function fillPool(pool: string, count: number) {
  const start = Date.now();
  for (let i = 0; i < count; i++) {
    const at = new Date(start + i);
    await server.services.store.identityProviders.insert({
      poolId: pool,
      name: `P${String(i).padStart(3, "0")}`,
      type: "OIDC",
      details: OIDC,
      attributeMapping: { username: "sub" },
      idpIdentifiers: [],
      samlMetadata: null,
      encryptionKey: null,
      createdAt: at,
      updatedAt: at,
    });
  }
}

function remove(name: string, pool = poolId) {
  return server.client.send(new DeleteIdentityProviderCommand({ UserPoolId: pool, ProviderName: name }));
}

describe("CreateIdentityProvider and DescribeIdentityProvider", () => {
  it("creates an OIDC provider with its endpoints given, adds the username mapping and describes it", async () => {
    const before = Date.now();
    const created = (
      await create({
        ProviderName: "Corp",
        AttributeMapping: { email: "email", "custom:dept": "department" },
        IdpIdentifiers: ["corp.example.com"],
      })
    ).IdentityProvider;
    expect(created).toEqual({
      UserPoolId: poolId,
      ProviderName: "Corp",
      ProviderType: "OIDC",
      ProviderDetails: { ...OIDC, attributes_url_add_attributes: "false" },
      AttributeMapping: { email: "email", "custom:dept": "department", username: "sub" },
      IdpIdentifiers: ["corp.example.com"],
      CreationDate: expect.any(Date),
      LastModifiedDate: expect.any(Date),
    });
    expect(created?.CreationDate?.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(created?.LastModifiedDate).toEqual(created?.CreationDate);
    expect(await describeProvider("Corp")).toEqual(created);
  });

  it("fills in Google's endpoints, ignoring any the request gives", async () => {
    const created = (
      await create({
        ProviderName: "Google",
        ProviderType: "Google",
        ProviderDetails: { ...GOOGLE, authorize_url: "https://evil.example.com/auth", extra_key: "kept" },
        AttributeMapping: { email: "email", username: "email" },
      })
    ).IdentityProvider;
    expect(created?.ProviderDetails).toEqual({
      ...GOOGLE,
      extra_key: "kept",
      authorize_url: "https://accounts.google.com/o/oauth2/v2/auth",
      token_url: "https://www.googleapis.com/oauth2/v4/token",
      token_request_method: "POST",
      attributes_url: "https://people.googleapis.com/v1/people/me?personFields=",
      attributes_url_add_attributes: "true",
      oidc_issuer: "https://accounts.google.com",
    });
    expect(created?.AttributeMapping).toEqual({ email: "email", username: "sub" });
    expect(await describeProvider("Google")).toEqual(created);
  });

  it("fills in Facebook's endpoints for its API version, v17.0 when none is given", async () => {
    const pool = await createPool(server);
    const details = {
      client_id: "fb",
      client_secret: "fb-secret",
      authorize_scopes: "public_profile, email",
    };
    const given = (
      await create(
        {
          ProviderName: "Facebook",
          ProviderType: "Facebook",
          ProviderDetails: { ...details, api_version: "v18.0" },
        },
        pool,
      )
    ).IdentityProvider;
    expect(given?.ProviderDetails).toEqual({
      ...details,
      api_version: "v18.0",
      authorize_url: "https://www.facebook.com/v18.0/dialog/oauth",
      token_url: "https://graph.facebook.com/v18.0/oauth/access_token",
      token_request_method: "GET",
      attributes_url: "https://graph.facebook.com/v18.0/me?fields=",
      attributes_url_add_attributes: "true",
    });
    expect(given?.AttributeMapping).toEqual({ username: "id" });
    await remove("Facebook", pool);
    const defaulted = (
      await create({ ProviderName: "Facebook", ProviderType: "Facebook", ProviderDetails: details }, pool)
    ).IdentityProvider;
    expect(defaulted?.ProviderDetails?.api_version).toBe("v17.0");
    expect(defaulted?.ProviderDetails?.authorize_url).toBe("https://www.facebook.com/v17.0/dialog/oauth");
  });

  it("fills in Login with Amazon's endpoints", async () => {
    const details = {
      client_id: "amzn",
      client_secret: "amzn-secret",
      authorize_scopes: "profile postal_code",
    };
    const created = (
      await create({
        ProviderName: "LoginWithAmazon",
        ProviderType: "LoginWithAmazon",
        ProviderDetails: details,
      })
    ).IdentityProvider;
    expect(created?.ProviderDetails).toEqual({
      ...details,
      authorize_url: "https://www.amazon.com/ap/oa",
      token_url: "https://api.amazon.com/auth/o2/token",
      token_request_method: "POST",
      attributes_url: "https://api.amazon.com/user/profile",
      attributes_url_add_attributes: "false",
    });
    expect(created?.AttributeMapping).toEqual({ username: "user_id" });
  });

  it("fills in Sign in with Apple's endpoints and never shows its private key", async () => {
    const details = {
      client_id: "com.example.app",
      team_id: "TEAM123456",
      key_id: "KEY1234567",
      private_key: "MIGTAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBHkwdwIBAQQg-secret",
      authorize_scopes: "email name",
    };
    const created = (
      await create({
        ProviderName: "SignInWithApple",
        ProviderType: "SignInWithApple",
        ProviderDetails: details,
      })
    ).IdentityProvider;
    const { private_key: _hidden, ...shown } = details;
    const expected = {
      ...shown,
      authorize_url: "https://appleid.apple.com/auth/authorize",
      token_url: "https://appleid.apple.com/auth/token",
      token_request_method: "POST",
      oidc_issuer: "https://appleid.apple.com",
      attributes_url_add_attributes: "false",
    };
    expect(created?.ProviderDetails).toEqual(expected);
    expect((await describeProvider("SignInWithApple"))?.ProviderDetails).toEqual(expected);
    expect(created?.AttributeMapping).toEqual({ username: "sub" });

    // An update from what Describe showed keeps the key; a new key replaces it.
    await server.client.send(
      new UpdateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: "SignInWithApple",
        ProviderDetails: { ...shown, authorize_scopes: "email" },
      }),
    );
    const stored = await server.services.store.identityProviders.get(poolId, "SignInWithApple");
    expect(stored?.details.private_key).toBe(details.private_key);
    expect(stored?.details.authorize_scopes).toBe("email");
    await server.client.send(
      new UpdateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: "SignInWithApple",
        ProviderDetails: { ...details, private_key: "new-key" },
      }),
    );
    expect(
      (await server.services.store.identityProviders.get(poolId, "SignInWithApple"))?.details.private_key,
    ).toBe("new-key");
  });

  it("refuses a social provider without its credentials", async () => {
    const pool = await createPool(server);
    for (const type of ["Google", "Facebook", "LoginWithAmazon"] as const) {
      await expectError(
        create(
          {
            ProviderName: type,
            ProviderType: type,
            ProviderDetails: { client_id: "x", authorize_scopes: "email" },
          },
          pool,
        ),
        "InvalidParameterException",
        "client_id, client_secret and authorize_scopes are all required idp details.",
      );
    }
    await expectError(
      create(
        {
          ProviderName: "SignInWithApple",
          ProviderType: "SignInWithApple",
          ProviderDetails: { client_id: "x", team_id: "t", key_id: "k", authorize_scopes: "email" },
        },
        pool,
      ),
      "InvalidParameterException",
      "client_id, team_id, key_id, private_key and authorize_scopes are all required idp details.",
    );
    await expectError(
      create({ ProviderName: "Okta", ProviderDetails: { client_id: "x", client_secret: "y" } }, pool),
      "InvalidParameterException",
      "client_id, client_secret, attributes_request_method, oidc_issuer and authorize_scopes are all required idp details.",
    );
    await expectError(
      create(
        { ProviderName: "Google", ProviderType: "Google", ProviderDetails: { ...GOOGLE, client_secret: "" } },
        pool,
      ),
      "InvalidParameterException",
      "client_id, client_secret and authorize_scopes are all required idp details.",
    );
  });

  it("refuses comma-separated scopes for providers whose scopes are space-separated", async () => {
    await expectError(
      create(
        {
          ProviderName: "Google",
          ProviderType: "Google",
          ProviderDetails: { ...GOOGLE, authorize_scopes: "profile,email" },
        },
        await createPool(server),
      ),
      "InvalidParameterException",
      "The idp detail authorize_scopes must be separated by spaces.",
    );
  });

  it("refuses OIDC scopes without openid and an unknown attributes request method", async () => {
    await expectError(
      create({ ProviderName: "NoOpenId", ProviderDetails: { ...OIDC, authorize_scopes: "email profile" } }),
      "InvalidParameterException",
      "The idp detail authorize_scopes must include openid.",
    );
    await expectError(
      create({ ProviderName: "BadMethod", ProviderDetails: { ...OIDC, attributes_request_method: "PUT" } }),
      "InvalidParameterException",
      "The idp detail attributes_request_method must be GET or POST.",
    );
    await expectError(
      create({
        ProviderName: "Slash",
        ProviderDetails: { ...OIDC, oidc_issuer: "https://idp.example.com/" },
      }),
      "InvalidParameterException",
      "The idp detail oidc_issuer must be an https URL on port 443 or 80, without a trailing slash: https://idp.example.com/",
    );
    await expectError(
      create({ ProviderName: "Plain", ProviderDetails: { ...OIDC, oidc_issuer: "http://idp.example.com" } }),
      "InvalidParameterException",
      "The idp detail oidc_issuer must be an https URL on port 443 or 80, without a trailing slash: http://idp.example.com",
    );
    await expectError(
      create({
        ProviderName: "Port",
        ProviderDetails: { ...OIDC, jwks_uri: "https://idp.example.com:8443/jwks" },
      }),
      "InvalidParameterException",
      "The idp detail jwks_uri must be an https URL on port 443 or 80: https://idp.example.com:8443/jwks",
    );
    const port80 = { ...OIDC, jwks_uri: "https://idp.example.com:80/jwks" };
    const created = await create({ ProviderName: "Port80", ProviderDetails: port80 });
    expect(created.IdentityProvider?.ProviderDetails?.jwks_uri).toBe("https://idp.example.com:80/jwks");
    await expectError(
      create({
        ProviderName: "BadUrl",
        ProviderDetails: { ...OIDC, token_url: "ftp://idp.example.com/token" },
      }),
      "InvalidParameterException",
      "The idp detail token_url must be an https URL on port 443 or 80: ftp://idp.example.com/token",
    );
  });

  it("refuses a pool that does not exist", async () => {
    await expectError(
      create({ ProviderName: "Corp2" }, MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      describeProvider("Corp", MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });

  it("refuses a provider that does not exist", async () => {
    await expectError(
      describeProvider("Nobody"),
      "ResourceNotFoundException",
      "Identity provider Nobody does not exist.",
    );
    await expectError(
      describeProvider("COGNITO"),
      "ResourceNotFoundException",
      "Identity provider COGNITO does not exist.",
    );
  });
});

describe("provider names", () => {
  it("requires a social provider to be named as its type", async () => {
    await expectError(
      create({ ProviderName: "MyGoogle", ProviderType: "Google", ProviderDetails: GOOGLE }),
      "InvalidParameterException",
      "Provider MyGoogle cannot be of type Google.",
    );
  });

  it("refuses a second provider of the same name, case-sensitively", async () => {
    await create({ ProviderName: "Twice" });
    await expectError(
      create({ ProviderName: "Twice" }),
      "DuplicateProviderException",
      `Twice already exists in user pool ${poolId}`,
    );
    await expectError(
      create({ ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE }),
      "DuplicateProviderException",
      `Google already exists in user pool ${poolId}`,
    );
    expect((await create({ ProviderName: "twice" })).IdentityProvider?.ProviderName).toBe("twice");
  });

  it("reserves COGNITO, in any case, for the pool's own users", async () => {
    for (const name of ["COGNITO", "Cognito", "cognito"]) {
      await expectError(
        create({ ProviderName: name }),
        "InvalidParameterException",
        `The provider name ${name} is reserved for the user pool's own users.`,
      );
    }
  });

  it("validates the name against the model's pattern", async () => {
    await expectError(
      create({ ProviderName: "_Corp" }),
      "InvalidParameterException",
      "1 validation error detected: Value '_Corp' at 'providerName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^_\\p{Z}][\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}][^_\\p{Z}]+",
    );
  });

  it("allows at most 300 providers in a pool", async () => {
    const pool = await createPool(server);
    await fillPool(pool, 300);
    await expectError(
      create({ ProviderName: "One-more" }, pool),
      "LimitExceededException",
      "A user pool can have at most 300 identity providers.",
    );
  });
});

describe("AttributeMapping", () => {
  it("maps only attributes of the pool's schema, not sub, and custom ones only when mutable", async () => {
    await expectError(
      create({ ProviderName: "Map1", AttributeMapping: { email: "email", favourite: "x", sub: "sub" } }),
      "InvalidParameterException",
      "AttributeMapping contains invalid mapping: [favourite, sub]",
    );
    await expectError(
      create({ ProviderName: "Map2", AttributeMapping: { "custom:badge": "badge" } }),
      "InvalidParameterException",
      "AttributeMapping contains invalid mapping: [custom:badge]",
    );
    await expectError(
      create({ ProviderName: "Map3", AttributeMapping: { identities: "x" } }),
      "InvalidParameterException",
      "AttributeMapping contains invalid mapping: [identities]",
    );
  });

  it("fixes the username to the provider's subject, and gives SAML none", async () => {
    const created = await create({
      ProviderName: "Map4",
      AttributeMapping: { username: "email", name: "name" },
    });
    expect(created.IdentityProvider?.AttributeMapping).toEqual({ name: "name", username: "sub" });
  });
});

describe("IdpIdentifiers and GetIdentityProviderByIdentifier", () => {
  it("finds a provider by any of its identifiers", async () => {
    await create({ ProviderName: "Ids", IdpIdentifiers: ["ids.example.com", "ids.example.org"] });
    const out = await server.client.send(
      new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: "ids.example.org" }),
    );
    expect(out.IdentityProvider).toEqual(await describeProvider("Ids"));
  });

  it("refuses an identifier another provider of the pool has, or one given twice", async () => {
    await expectError(
      create({ ProviderName: "Ids2", IdpIdentifiers: ["other.example.com", "ids.example.com"] }),
      "DuplicateProviderException",
      `Identifier ids.example.com already exists in user pool ${poolId}`,
    );
    await expectError(
      create({ ProviderName: "Ids3", IdpIdentifiers: ["twice.example.com", "twice.example.com"] }),
      "DuplicateProviderException",
      `Identifier twice.example.com already exists in user pool ${poolId}`,
    );
    await expectError(
      describeProvider("Ids2"),
      "ResourceNotFoundException",
      "Identity provider Ids2 does not exist.",
    );
    // Another pool may use the same identifier.
    const other = await createPool(server);
    await create({ ProviderName: "Ids", IdpIdentifiers: ["ids.example.com"] }, other);
  });

  it("lets an update keep or move the provider's own identifiers", async () => {
    await server.client.send(
      new UpdateIdentityProviderCommand({
        UserPoolId: poolId,
        ProviderName: "Ids",
        IdpIdentifiers: ["ids.example.org", "ids.example.net"],
      }),
    );
    await expectError(
      server.client.send(
        new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: "ids.example.com" }),
      ),
      "ResourceNotFoundException",
      "No identity provider has the identifier ids.example.com.",
    );
    // The freed identifier can go to another provider.
    await create({ ProviderName: "Ids4", IdpIdentifiers: ["ids.example.com"] });
    const found = await server.client.send(
      new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: "ids.example.net" }),
    );
    expect(found.IdentityProvider?.ProviderName).toBe("Ids");
  });

  it("refuses an unknown pool", async () => {
    await expectError(
      server.client.send(
        new GetIdentityProviderByIdentifierCommand({ UserPoolId: MISSING_POOL, IdpIdentifier: "x" }),
      ),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });
});

describe("the provider's group", () => {
  it("is created with the provider, without description, role or precedence, and stays after it", async () => {
    await create({ ProviderName: "Grouped" });
    const group = (
      await server.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: `${poolId}_Grouped` }))
    ).Group;
    expect(group).toEqual({
      GroupName: `${poolId}_Grouped`,
      UserPoolId: poolId,
      CreationDate: expect.any(Date),
      LastModifiedDate: expect.any(Date),
    });
    await remove("Grouped");
    await server.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: `${poolId}_Grouped` }));
    // Re-creating the provider finds its group there.
    await create({ ProviderName: "Grouped" });
  });
});

describe("UpdateIdentityProvider", () => {
  it("replaces the members given, keeps the others and moves LastModifiedDate", async () => {
    const created = (
      await create({
        ProviderName: "Upd",
        AttributeMapping: { email: "email" },
        IdpIdentifiers: ["upd.example.com"],
      })
    ).IdentityProvider;
    advanceClock(server, 5_000);
    try {
      const updated = (
        await server.client.send(
          new UpdateIdentityProviderCommand({
            UserPoolId: poolId,
            ProviderName: "Upd",
            AttributeMapping: { name: "name" },
          }),
        )
      ).IdentityProvider;
      expect(updated).toEqual({
        ...created,
        AttributeMapping: { name: "name", username: "sub" },
        LastModifiedDate: expect.any(Date),
      });
      expect(updated?.LastModifiedDate?.getTime()).toBeGreaterThanOrEqual(
        (created?.CreationDate?.getTime() ?? 0) + 4_000,
      );
      const details = { ...OIDC, authorize_scopes: "openid profile", attributes_url_add_attributes: "true" };
      const again = (
        await server.client.send(
          new UpdateIdentityProviderCommand({
            UserPoolId: poolId,
            ProviderName: "Upd",
            ProviderDetails: details,
          }),
        )
      ).IdentityProvider;
      expect(again?.ProviderDetails).toEqual({
        ...OIDC,
        authorize_scopes: "openid profile",
        attributes_url_add_attributes: "false",
      });
      expect(again?.AttributeMapping).toEqual({ name: "name", username: "sub" });
      expect(again?.IdpIdentifiers).toEqual(["upd.example.com"]);
      expect(await describeProvider("Upd")).toEqual(again);
    } finally {
      resetClock(server);
    }
  });

  it("checks what it is given as Create does", async () => {
    await expectError(
      server.client.send(
        new UpdateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: "Upd",
          AttributeMapping: { nope: "x" },
        }),
      ),
      "InvalidParameterException",
      "AttributeMapping contains invalid mapping: [nope]",
    );
    await expectError(
      server.client.send(
        new UpdateIdentityProviderCommand({
          UserPoolId: poolId,
          ProviderName: "Upd",
          ProviderDetails: { client_id: "x" },
        }),
      ),
      "InvalidParameterException",
      "client_id, client_secret, attributes_request_method, oidc_issuer and authorize_scopes are all required idp details.",
    );
  });

  it("refuses COGNITO, an unknown provider and an unknown pool", async () => {
    await expectError(
      server.client.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "COGNITO" })),
      "UnsupportedIdentityProviderException",
      "COGNITO is not an identity provider that can be changed.",
    );
    await expectError(
      server.client.send(new UpdateIdentityProviderCommand({ UserPoolId: poolId, ProviderName: "Nobody" })),
      "ResourceNotFoundException",
      "Identity provider Nobody does not exist.",
    );
    await expectError(
      server.client.send(
        new UpdateIdentityProviderCommand({ UserPoolId: MISSING_POOL, ProviderName: "Upd" }),
      ),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });
});

describe("ListIdentityProviders", () => {
  it("lists summaries in creation order, 50 at most a page, with a NextToken", async () => {
    const pool = await createPool(server);
    const names = ["Zeta", "Alpha", "Mid"];
    for (const name of names) {
      await create({ ProviderName: name }, pool);
      advanceClock(server, 1_000);
    }
    resetClock(server);
    const all = await server.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool }));
    expect(all.Providers?.map((p) => p.ProviderName)).toEqual(names);
    expect(all.Providers?.[0]).toEqual({
      ProviderName: "Zeta",
      ProviderType: "OIDC",
      CreationDate: expect.any(Date),
      LastModifiedDate: expect.any(Date),
    });
    expect(all.NextToken).toBeUndefined();

    const first = await server.client.send(
      new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 2 }),
    );
    expect(first.Providers?.map((p) => p.ProviderName)).toEqual(["Zeta", "Alpha"]);
    const second = await server.client.send(
      new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.Providers?.map((p) => p.ProviderName)).toEqual(["Mid"]);
    expect(second.NextToken).toBeUndefined();
  });

  it("pages 50 at a time even when asked for more", async () => {
    const pool = await createPool(server);
    await fillPool(pool, 51);
    const page = await server.client.send(
      new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 60 }),
    );
    expect(page.Providers).toHaveLength(50);
    const rest = await server.client.send(
      new ListIdentityProvidersCommand({ UserPoolId: pool, NextToken: page.NextToken }),
    );
    expect(rest.Providers?.map((p) => p.ProviderName)).toEqual(["P050"]);
  });

  it("refuses a NextToken it did not give and an unknown pool", async () => {
    await expectError(
      server.client.send(new ListIdentityProvidersCommand({ UserPoolId: poolId, NextToken: "bogus" })),
      "InvalidParameterException",
      "Invalid pagination token.",
    );
    await expectError(
      server.client.send(new ListIdentityProvidersCommand({ UserPoolId: MISSING_POOL })),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });
});

describe("app clients' SupportedIdentityProviders", () => {
  it("accepts the pool's providers and drops a deleted one from every client", async () => {
    const pool = await createPool(server);
    await create({ ProviderName: "Okta" }, pool);
    await create({ ProviderName: "Google", ProviderType: "Google", ProviderDetails: GOOGLE }, pool);
    const a = await createClient(server, pool, { SupportedIdentityProviders: ["COGNITO", "Okta", "Google"] });
    const b = await createClient(server, pool, { SupportedIdentityProviders: ["Okta"] });
    const c = await createClient(server, pool, { SupportedIdentityProviders: ["Google"] });
    await expectError(
      server.client.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: pool,
          ClientId: c.clientId,
          SupportedIdentityProviders: ["Corp"],
        }),
      ),
      "InvalidParameterException",
      `The provider Corp does not exist for User Pool ${pool}.`,
    );
    await remove("Okta", pool);
    const providersOf = async (clientId: string) =>
      (await server.client.send(new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId })))
        .UserPoolClient?.SupportedIdentityProviders;
    expect(await providersOf(a.clientId)).toEqual(["COGNITO", "Google"]);
    expect(await providersOf(b.clientId)).toEqual([]);
    expect(await providersOf(c.clientId)).toEqual(["Google"]);
    await expectError(
      createClient(server, pool, { SupportedIdentityProviders: ["Okta"] }),
      "InvalidParameterException",
      `The provider Okta does not exist for User Pool ${pool}.`,
    );
  });
});

describe("DeleteIdentityProvider", () => {
  it("deletes the provider and its identifiers", async () => {
    await create({ ProviderName: "Gone", IdpIdentifiers: ["gone.example.com"] });
    expect(await remove("Gone")).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    await expectError(
      describeProvider("Gone"),
      "ResourceNotFoundException",
      "Identity provider Gone does not exist.",
    );
    await expectError(
      server.client.send(
        new GetIdentityProviderByIdentifierCommand({ UserPoolId: poolId, IdpIdentifier: "gone.example.com" }),
      ),
      "ResourceNotFoundException",
      "No identity provider has the identifier gone.example.com.",
    );
    await create({ ProviderName: "Other", IdpIdentifiers: ["gone.example.com"] });
  });

  it("refuses COGNITO, an unknown provider and an unknown pool", async () => {
    await expectError(
      remove("Cognito"),
      "UnsupportedIdentityProviderException",
      "Cognito is not an identity provider that can be changed.",
    );
    await expectError(remove("Gone"), "ResourceNotFoundException", "Identity provider Gone does not exist.");
    await expectError(
      remove("Gone", MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });
});

describe("DeleteUserPool", () => {
  it("deletes the pool's providers, identifiers and signing key", async () => {
    const pool = await createPool(server);
    await create({ ProviderName: "Doomed", IdpIdentifiers: ["doomed.example.com"] }, pool);
    await server.client.send(new GetSigningCertificateCommand({ UserPoolId: pool }));
    expect(await server.services.store.samlSigningKeys.get(pool)).toBeDefined();
    await server.client.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    const { store } = server.services;
    expect(await store.identityProviders.list(pool, 10)).toEqual([]);
    expect(await store.identityProviders.getByIdentifier(pool, "doomed.example.com")).toBeUndefined();
    expect(await store.samlSigningKeys.get(pool)).toBeUndefined();
  });
});
