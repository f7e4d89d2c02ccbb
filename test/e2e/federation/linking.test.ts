/**
 * Linking outside identities to users (FEDERATION.md §4): AdminLinkProviderForUser and
 * AdminDisableProviderForUser with each rule and error, the `identities` attribute AdminGetUser and
 * ListUsers show (§3.3), and what deleting a user or a provider does to links.
 */
import {
  AdminDeleteUserAttributesCommand,
  AdminDeleteUserCommand,
  AdminDisableProviderForUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminLinkProviderForUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  CreateIdentityProviderCommand,
  type CreateIdentityProviderCommandInput,
  DeleteIdentityProviderCommand,
  DeleteUserCommand,
  ListUsersCommand,
  type ProviderUserIdentifierType,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFederatedUser,
  findUserForIdentity,
  type OutsideIdentity,
  updateFederatedUser,
} from "../../../src/domain/federated-users.js";
import { createClient, createPool, createUser, expectError, PASSWORD } from "../../support/fixtures.js";
import { certificate, OIDC_DETAILS as OIDC, REDIRECT, samlMetadata } from "../../support/idp-documents.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const MISSING_POOL = "us-east-1_Missing00";
const ENTITY_ID = "https://idp.example.com/saml";

let server: TestServer;
let poolId: string;
let clientId: string;
beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server, {
    Schema: [
      { Name: "dept", AttributeDataType: "String", Mutable: true },
      { Name: "badge", AttributeDataType: "String", Mutable: false },
    ],
  });
  clientId = (await createClient(server, poolId)).clientId;
  await provider({
    ProviderName: "Google",
    ProviderType: "Google",
    ProviderDetails: { client_id: "g", client_secret: "gs", authorize_scopes: "openid email" },
    AttributeMapping: { email: "email" },
  });
  await provider({
    ProviderName: "Corp",
    AttributeMapping: {
      email: "email",
      name: "name",
      given_name: "given_name",
      family_name: "family_name",
      nickname: "nickname",
      preferred_username: "preferred_username",
      "custom:dept": "dept",
    },
  });
  await provider({
    ProviderName: "Corp-SAML",
    ProviderType: "SAML",
    ProviderDetails: {
      MetadataFile: samlMetadata({
        entityId: ENTITY_ID,
        signing: [await certificate()],
        sso: [[REDIRECT, "https://idp.example.com/sso"]],
      }),
    },
    AttributeMapping: { email: "mail" },
  });
});
afterAll(async () => server.stop());

async function provider(
  input: Partial<CreateIdentityProviderCommandInput> & { ProviderName: string },
  pool = poolId,
) {
  await server.client.send(
    new CreateIdentityProviderCommand({
      UserPoolId: pool,
      ProviderType: "OIDC",
      ProviderDetails: OIDC,
      ...input,
    }),
  );
}

const local = (username: string): ProviderUserIdentifierType => ({
  ProviderName: "Cognito",
  ProviderAttributeValue: username,
});

const subject = (providerName: string, value: string): ProviderUserIdentifierType => ({
  ProviderName: providerName,
  ProviderAttributeName: "Cognito_Subject",
  ProviderAttributeValue: value,
});

function link(destination: ProviderUserIdentifierType, source: ProviderUserIdentifierType, pool = poolId) {
  return server.client.send(
    new AdminLinkProviderForUserCommand({
      UserPoolId: pool,
      DestinationUser: destination,
      SourceUser: source,
    }),
  );
}

function disable(user: ProviderUserIdentifierType, pool = poolId) {
  return server.client.send(new AdminDisableProviderForUserCommand({ UserPoolId: pool, User: user }));
}

async function attributesOf(username: string): Promise<Record<string, string>> {
  const out = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
  return Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name as string, a.Value as string]));
}

/** The `identities` attribute, parsed: a JSON string of an array [OBS]. */
async function identitiesOf(username: string): Promise<unknown[] | undefined> {
  const text = (await attributesOf(username)).identities;
  return text === undefined ? undefined : JSON.parse(text);
}

function linksOf(username: string) {
  return server.services.store.identityLinks.listForUser(poolId, username);
}

/** Signs an identity in through the federated-users API, as the federation endpoints will. */
async function signIn(identity: Omit<OutsideIdentity, "provider"> & { provider: string }) {
  const store = server.services.store;
  const pool = await store.pools.get(poolId);
  const outside = await store.identityProviders.get(poolId, identity.provider);
  if (!pool || !outside) throw new Error("no pool or provider");
  const full = { ...identity, provider: outside };
  const found = await findUserForIdentity(store, pool, full);
  return found
    ? updateFederatedUser(store, pool, found, full, new Date())
    : createFederatedUser(store, pool, full, new Date());
}

describe("AdminLinkProviderForUser", () => {
  it("links a provider's subject to a local user, listed in its identities as not primary", async () => {
    await createUser(server, poolId, "alice");
    const before = Date.now();
    expect(await link(local("alice"), subject("Google", "g-100"))).toMatchObject({
      $metadata: { httpStatusCode: 200 },
    });
    const text = (await attributesOf("alice")).identities;
    expect(text).toMatch(
      /^\[\{"userId":"g-100","providerName":"Google","providerType":"Google","issuer":null,"primary":false,"dateCreated":\d+\}\]$/,
    );
    const [identity] = JSON.parse(text) as { dateCreated: number }[];
    expect(identity.dateCreated).toBeGreaterThanOrEqual(before);
    const listed = await server.client.send(
      new ListUsersCommand({ UserPoolId: poolId, Filter: 'username = "alice"' }),
    );
    expect(listed.Users?.[0].Attributes).toContainEqual({ Name: "identities", Value: text });
    expect(await linksOf("alice")).toMatchObject([
      { providerName: "Google", attributeName: "Cognito_Subject", attributeValue: "g-100", subject: "g-100" },
    ]);
  });

  it("links the same source to the same user again without change", async () => {
    const text = (await attributesOf("alice")).identities;
    await link(local("alice"), subject("Google", "g-100"));
    expect((await attributesOf("alice")).identities).toBe(text);
    expect(await linksOf("alice")).toHaveLength(1);
  });

  it("refuses a source linked to another user", async () => {
    await createUser(server, poolId, "bob");
    await expectError(
      link(local("bob"), subject("Google", "g-100")),
      "InvalidParameterException",
      "SourceUser is already linked to DestinationUser",
    );
  });

  it("links a SAML subject with the provider's entity ID as issuer", async () => {
    await link(local("bob"), subject("Corp-SAML", "bob@corp.example.com"));
    expect(await identitiesOf("bob")).toEqual([
      {
        userId: "bob@corp.example.com",
        providerName: "Corp-SAML",
        providerType: "SAML",
        issuer: ENTITY_ID,
        primary: false,
        dateCreated: expect.any(Number),
      },
    ]);
  });

  it("links an OIDC identity by a mapped attribute, listed once it signs in", async () => {
    await createUser(server, poolId, "carol", {
      attributes: [{ Name: "email", Value: "carol@corp.example.com" }],
    });
    await link(local("carol"), {
      ProviderName: "Corp",
      ProviderAttributeName: "email",
      ProviderAttributeValue: "carol@corp.example.com",
    });
    expect(await identitiesOf("carol")).toBeUndefined();
    const signedIn = await signIn({
      provider: "Corp",
      subject: "corp-carol",
      attributes: { email: "carol@corp.example.com", name: "Carol C" },
    });
    expect(signedIn.username).toBe("carol");
    expect(await identitiesOf("carol")).toMatchObject([
      { userId: "corp-carol", providerName: "Corp", primary: false },
    ]);
    expect((await attributesOf("carol")).name).toBe("Carol C");
  });

  it("finds the destination by alias or sub, and may link to a federated profile", async () => {
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "bob" }));
    const sub = user.UserAttributes?.find((a) => a.Name === "sub")?.Value as string;
    await link(local(sub), subject("Google", "g-bob"));
    expect(await linksOf("bob")).toHaveLength(2);
    await signIn({ provider: "Corp", subject: "corp-dan", attributes: {} });
    await link({ ProviderName: "Corp", ProviderAttributeValue: "corp-dan" }, subject("Google", "g-dan"));
    expect(await identitiesOf("Corp_corp-dan")).toMatchObject([
      { userId: "corp-dan", providerName: "Corp", primary: true },
      { userId: "g-dan", providerName: "Google", primary: false },
    ]);
  });

  it("refuses a source that signed in already, with a profile of its own", async () => {
    await signIn({ provider: "Google", subject: "g-signed-up", attributes: {} });
    await expectError(
      link(local("alice"), subject("Google", "g-signed-up")),
      "InvalidParameterException",
      "Merging is not currently supported, provide a SourceUser that has not been signed up in order to link",
    );
  });

  it("refuses a local user as the source", async () => {
    for (const name of ["Cognito", "COGNITO"]) {
      await expectError(
        link(local("alice"), subject(name, "bob")),
        "InvalidParameterException",
        "Invalid SourceUser: Cognito users with a username/password may not be passed in as a SourceUser, only as a DestinationUser",
      );
    }
  });

  it("refuses a provider the pool does not have", async () => {
    await expectError(
      link(local("alice"), subject("Okta", "o-1")),
      "InvalidParameterException",
      "Provider Okta does not exist.",
    );
  });

  it("links social identities by subject only, others by subject or a mapped attribute", async () => {
    await expectError(
      link(local("alice"), {
        ProviderName: "Google",
        ProviderAttributeName: "email",
        ProviderAttributeValue: "a@x.com",
      }),
      "InvalidParameterException",
      "ProviderAttributeName must be Cognito_Subject for Google identity providers.",
    );
    await expectError(
      link(local("alice"), {
        ProviderName: "Corp",
        ProviderAttributeName: "website",
        ProviderAttributeValue: "x",
      }),
      "InvalidParameterException",
      "ProviderAttributeName website is neither Cognito_Subject nor an attribute that the attribute mapping of Corp fills.",
    );
    await expectError(
      link(local("alice"), {
        ProviderName: "Corp",
        ProviderAttributeName: "username",
        ProviderAttributeValue: "x",
      }),
      "InvalidParameterException",
      "ProviderAttributeName username is neither Cognito_Subject nor an attribute that the attribute mapping of Corp fills.",
    );
  });

  it("refuses a destination that does not exist", async () => {
    await expectError(
      link(local("nobody"), subject("Google", "g-x")),
      "UserNotFoundException",
      "User does not exist.",
    );
    await expectError(
      link({ ProviderName: "Corp", ProviderAttributeValue: "never-signed-in" }, subject("Google", "g-x")),
      "UserNotFoundException",
      "User does not exist.",
    );
  });

  it("refuses a destination with an immutable custom attribute", async () => {
    await createUser(server, poolId, "badged", { attributes: [{ Name: "custom:badge", Value: "B-1" }] });
    await expectError(
      link(local("badged"), subject("Google", "g-badged")),
      "InvalidParameterException",
      "The DestinationUser has the immutable attribute custom:badge: only users whose attributes are all mutable can be linked.",
    );
  });

  it("links at most five identities to a user", async () => {
    await createUser(server, poolId, "many");
    for (let i = 0; i < 5; i++) await link(local("many"), subject("Google", `g-many-${i}`));
    await expectError(
      link(local("many"), subject("Google", "g-many-5")),
      "LimitExceededException",
      "A user can have at most 5 linked identities.",
    );
  });

  it("lets a provider's links use at most five attribute names", async () => {
    const pool = await createPool(server);
    await provider(
      {
        ProviderName: "Corp",
        AttributeMapping: { email: "e", name: "n", nickname: "k", locale: "l", zoneinfo: "z", website: "w" },
      },
      pool,
    );
    await createUser(server, pool, "u1");
    await createUser(server, pool, "u2");
    for (const attribute of ["Cognito_Subject", "email", "name", "nickname"]) {
      await link(
        local("u1"),
        { ProviderName: "Corp", ProviderAttributeName: attribute, ProviderAttributeValue: "v1" },
        pool,
      );
    }
    await link(
      local("u2"),
      { ProviderName: "Corp", ProviderAttributeName: "locale", ProviderAttributeValue: "v2" },
      pool,
    );
    // A name in use already is fine; a sixth is not.
    await link(
      local("u2"),
      { ProviderName: "Corp", ProviderAttributeName: "email", ProviderAttributeValue: "v2" },
      pool,
    );
    await expectError(
      link(
        local("u2"),
        { ProviderName: "Corp", ProviderAttributeName: "zoneinfo", ProviderAttributeValue: "v2" },
        pool,
      ),
      "LimitExceededException",
      "The links of Corp can use at most 5 different ProviderAttributeName values.",
    );
  });

  it("needs every member that names the two users", async () => {
    await expectError(
      link({}, { ProviderName: "Google" }),
      "InvalidParameterException",
      "4 validation errors detected: Value null at 'destinationUser.providerName' failed to satisfy constraint: Member must not be null; Value null at 'destinationUser.providerAttributeValue' failed to satisfy constraint: Member must not be null; Value null at 'sourceUser.providerAttributeName' failed to satisfy constraint: Member must not be null; Value null at 'sourceUser.providerAttributeValue' failed to satisfy constraint: Member must not be null",
    );
  });

  it("refuses an unknown pool", async () => {
    await expectError(
      link(local("alice"), subject("Google", "g-1"), MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });
});

describe("the identities attribute", () => {
  it("cannot be written or deleted directly", async () => {
    await expectError(
      server.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: poolId,
          Username: "alice",
          UserAttributes: [{ Name: "identities", Value: "[]" }],
        }),
      ),
      "InvalidParameterException",
      "user.identities: Attribute does not exist in the schema.",
    );
    await expectError(
      server.client.send(
        new AdminDeleteUserAttributesCommand({
          UserPoolId: poolId,
          Username: "alice",
          UserAttributeNames: ["identities"],
        }),
      ),
      "InvalidParameterException",
      "user.identities: Attribute does not exist in the schema.",
    );
    expect(await identitiesOf("alice")).toHaveLength(1);
  });
});

describe("AdminDisableProviderForUser", () => {
  it("removes a link by subject, and the identity from the user", async () => {
    await createUser(server, poolId, "erin");
    await link(local("erin"), subject("Google", "g-erin"));
    expect(await disable(subject("Google", "g-erin"))).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    expect(await linksOf("erin")).toEqual([]);
    expect(await attributesOf("erin")).not.toHaveProperty("identities");
    // The identity is free again: it may be linked anew.
    await link(local("bob"), subject("Google", "g-erin"));
  });

  it("removes a link by attribute as it was made, or by subject once it was used", async () => {
    await createUser(server, poolId, "fay");
    const byEmail = {
      ProviderName: "Corp",
      ProviderAttributeName: "email",
      ProviderAttributeValue: "fay@corp.example.com",
    };
    await link(local("fay"), byEmail);
    await disable(byEmail);
    expect(await linksOf("fay")).toEqual([]);

    await link(local("fay"), byEmail);
    await signIn({ provider: "Corp", subject: "corp-fay", attributes: { email: "fay@corp.example.com" } });
    expect(await identitiesOf("fay")).toHaveLength(1);
    await disable(subject("Corp", "corp-fay"));
    expect(await linksOf("fay")).toEqual([]);
    expect(await attributesOf("fay")).not.toHaveProperty("identities");
    // The next sign-in of that identity makes a profile of its own.
    const next = await signIn({
      provider: "Corp",
      subject: "corp-fay",
      attributes: { email: "fay@corp.example.com" },
    });
    expect(next.username).toBe("Corp_corp-fay");
  });

  it("stops a local user's password sign-in, keeping the user", async () => {
    await createUser(server, poolId, "gus");
    const signInWithPassword = () =>
      server.client.send(
        new AdminInitiateAuthCommand({
          UserPoolId: poolId,
          ClientId: clientId,
          AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "gus", PASSWORD },
        }),
      );
    await signInWithPassword();
    await disable({
      ProviderName: "Cognito",
      ProviderAttributeName: "Cognito_Subject",
      ProviderAttributeValue: "gus",
    });
    const user = await server.client.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "gus" }));
    expect(user).toMatchObject({ Username: "gus", UserStatus: "CONFIRMED", Enabled: true });
    await expectError(signInWithPassword(), "NotAuthorizedException", "Incorrect username or password.");
    // An administrator can give it a password again.
    await server.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: "gus",
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    await signInWithPassword();
  });

  it("refuses a link or a local user that does not exist", async () => {
    await expectError(
      disable(subject("Google", "g-unknown")),
      "UserNotFoundException",
      "User does not exist.",
    );
    await expectError(
      disable({
        ProviderName: "Corp",
        ProviderAttributeName: "email",
        ProviderAttributeValue: "nobody@x.com",
      }),
      "UserNotFoundException",
      "User does not exist.",
    );
    await expectError(disable(local("nobody")), "UserNotFoundException", "User does not exist.");
  });

  it("refuses an unknown provider and a social identity named by another attribute", async () => {
    await expectError(
      disable(subject("Okta", "o-1")),
      "InvalidParameterException",
      "Provider Okta does not exist.",
    );
    await expectError(
      disable({ ProviderName: "Google", ProviderAttributeName: "email", ProviderAttributeValue: "a@x.com" }),
      "InvalidParameterException",
      "ProviderAttributeName must be Cognito_Subject for Google identity providers.",
    );
  });

  it("needs the members that name the identity", async () => {
    await expectError(
      disable({}),
      "InvalidParameterException",
      "2 validation errors detected: Value null at 'user.providerName' failed to satisfy constraint: Member must not be null; Value null at 'user.providerAttributeValue' failed to satisfy constraint: Member must not be null",
    );
    await expectError(
      disable({ ProviderName: "Google", ProviderAttributeValue: "g-1" }),
      "InvalidParameterException",
      "1 validation error detected: Value null at 'user.providerAttributeName' failed to satisfy constraint: Member must not be null",
    );
  });

  it("refuses an unknown pool", async () => {
    await expectError(
      disable(subject("Google", "g-1"), MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });
});

describe("deleting users and providers", () => {
  it("AdminDeleteUser deletes the user's links: the identities may be linked again", async () => {
    await createUser(server, poolId, "hal");
    await link(local("hal"), subject("Google", "g-hal"));
    await link(local("hal"), {
      ProviderName: "Corp",
      ProviderAttributeName: "email",
      ProviderAttributeValue: "hal@x.com",
    });
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: "hal" }));
    expect(await linksOf("hal")).toEqual([]);
    await createUser(server, poolId, "ida");
    await link(local("ida"), subject("Google", "g-hal"));
    await link(local("ida"), {
      ProviderName: "Corp",
      ProviderAttributeName: "email",
      ProviderAttributeValue: "hal@x.com",
    });
  });

  it("DeleteUser deletes the user's links", async () => {
    await createUser(server, poolId, "jo");
    await link(local("jo"), subject("Google", "g-jo"));
    const { AuthenticationResult } = await server.client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
        AuthParameters: { USERNAME: "jo", PASSWORD },
      }),
    );
    await server.client.send(new DeleteUserCommand({ AccessToken: AuthenticationResult?.AccessToken }));
    expect(await linksOf("jo")).toEqual([]);
    await expectError(disable(subject("Google", "g-jo")), "UserNotFoundException", "User does not exist.");
  });

  it("deleting a profile lets its identity sign in again as a new profile, and be linked", async () => {
    const first = await signIn({ provider: "Google", subject: "g-kim", attributes: {} });
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: first.username }));
    await link(local("alice"), subject("Google", "g-kim"));
    const again = await signIn({ provider: "Google", subject: "g-kim", attributes: { email: "kim@x.com" } });
    expect(again.username).toBe("alice");
  });

  it("deleting a provider deletes its links and its identities from linked users; its profiles stay", async () => {
    const pool = await createPool(server);
    await provider({ ProviderName: "Okta", AttributeMapping: { email: "email" } }, pool);
    await provider(
      {
        ProviderName: "Google",
        ProviderType: "Google",
        ProviderDetails: { client_id: "g", client_secret: "gs", authorize_scopes: "openid" },
      },
      pool,
    );
    await createUser(server, pool, "lee");
    await link(local("lee"), subject("Okta", "o-lee"), pool);
    await link(local("lee"), subject("Google", "g-lee"), pool);
    await link(
      local("lee"),
      { ProviderName: "Okta", ProviderAttributeName: "email", ProviderAttributeValue: "lee@x.com" },
      pool,
    );
    await server.client.send(new DeleteIdentityProviderCommand({ UserPoolId: pool, ProviderName: "Okta" }));
    expect(await server.services.store.identityLinks.listForUser(pool, "lee")).toMatchObject([
      { providerName: "Google", attributeValue: "g-lee" },
    ]);
    const lee = await server.client.send(new AdminGetUserCommand({ UserPoolId: pool, Username: "lee" }));
    const identities = JSON.parse(lee.UserAttributes?.find((a) => a.Name === "identities")?.Value ?? "[]");
    expect(identities).toMatchObject([{ userId: "g-lee", providerName: "Google" }]);
  });
});
