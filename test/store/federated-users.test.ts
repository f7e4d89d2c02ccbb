/**
 * The federated-users API the federation endpoints sign in through (FEDERATION.md §3, §4.5),
 * against a real store on each database: the first sign-in's profile, later sign-ins, identities
 * linked by subject and by attribute, and the attribute rules of §3.4.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { federationConfigSchema } from "../../src/config/federation.js";
import {
  createFederatedUser,
  findUserForIdentity,
  type OutsideIdentity,
  updateFederatedUser,
} from "../../src/domain/federated-users.js";
import { identitiesOf } from "../../src/domain/identities.js";
import { linkProviderForUser } from "../../src/domain/identity-links.js";
import { createIdentityProvider } from "../../src/domain/identity-providers.js";
import { newPoolConfig } from "../../src/domain/pools.js";
import { newUser, saveUser } from "../../src/domain/users.js";
import type { CreateUserPoolRequest } from "../../src/protocol/types.generated.js";
import type { IdentityProviderRecord } from "../../src/store/identity-providers.js";
import type { PoolRecord, UserRecord } from "../../src/store/records.js";
import type { Store } from "../../src/store/store.js";
import { certificate, REDIRECT, samlMetadata } from "../support/idp-documents.js";
import { dialects, type TestDatabase } from "./databases.js";
import { client, T0, T1 } from "./fixtures.js";

const OIDC = {
  client_id: "c",
  client_secret: "s",
  authorize_scopes: "openid email",
  attributes_request_method: "GET",
  oidc_issuer: "https://idp.example.com",
  authorize_url: "https://idp.example.com/authorize",
  token_url: "https://idp.example.com/token",
  attributes_url: "https://idp.example.com/userinfo",
  jwks_uri: "https://idp.example.com/jwks",
};
const MAPPING = {
  email: "email",
  name: "name",
  given_name: "given_name",
  nickname: "nick",
  "custom:dept": "dept",
};
const STRICT = federationConfigSchema.parse({ allowInsecureIdpUrls: false });
const ENTITY_ID = "https://idp.example.com/saml";

let metadata: string;
beforeAll(async () => {
  metadata = samlMetadata({
    entityId: ENTITY_ID,
    signing: [await certificate()],
    sso: [[REDIRECT, "https://idp.example.com/sso"]],
  });
});

describe.each(await dialects())("federated users on $name", (dialect) => {
  const test = dialect.skipReason ? it.skip : it;
  if (dialect.skipReason) it.skip(`skipped: ${dialect.skipReason}`, () => {});

  let db: TestDatabase;
  let store: Store;
  let pools = 0;
  beforeAll(async () => {
    if (dialect.skipReason) return;
    db = await dialect.open();
    store = db.store;
  });
  afterAll(async () => {
    if (dialect.skipReason) return;
    await db.close();
  });

  /** A pool with a mutable custom attribute, an immutable nickname (and `input.Schema`), and an OIDC provider "Corp". */
  async function poolWithProvider(input: Partial<CreateUserPoolRequest> = {}) {
    const pool: PoolRecord = {
      id: `us-east-1_fed${++pools}`,
      name: "federation",
      config: newPoolConfig({
        PoolName: "federation",
        ...input,
        Schema: [
          { Name: "dept", AttributeDataType: "String", Mutable: true },
          { Name: "nickname", AttributeDataType: "String", Mutable: false },
          ...(input.Schema ?? []),
        ],
      }),
      createdAt: T0,
      updatedAt: T0,
    };
    await store.pools.insert(pool);
    const provider = await createIdentityProvider(
      store,
      STRICT,
      {
        UserPoolId: pool.id,
        ProviderName: "Corp",
        ProviderType: "OIDC",
        ProviderDetails: OIDC,
        AttributeMapping: MAPPING,
      },
      T0,
    );
    return { pool, provider };
  }

  async function localUser(pool: PoolRecord, username: string, attributes: Record<string, string> = {}) {
    const user: UserRecord = { ...newUser(pool, { username, status: "CONFIRMED", now: T0 }), attributes };
    await saveUser(store, pool, user, { isNew: true });
    return user;
  }

  /** One sign-in as the federation endpoints make it: find, then update or create. */
  async function signIn(pool: PoolRecord, identity: OutsideIdentity, now = T1) {
    const found = await findUserForIdentity(store, pool, identity);
    return found
      ? updateFederatedUser(store, pool, found, identity, now)
      : createFederatedUser(store, pool, identity, now);
  }

  const identity = (
    provider: IdentityProviderRecord,
    subject: string,
    attributes: Record<string, string> = {},
  ) => ({
    provider,
    subject,
    attributes,
  });

  test("a first sign-in creates the profile: EXTERNAL_PROVIDER, mapped attributes, primary identity, the provider's group", async () => {
    const { pool, provider } = await poolWithProvider({ AliasAttributes: ["email"] });
    expect(await findUserForIdentity(store, pool, identity(provider, "sub-1"))).toBeUndefined();
    const claims = { email: "ann@corp.example.com", name: "Ann", dept: "R&D", unmapped: "x" };
    const user = await createFederatedUser(store, pool, identity(provider, "sub-1", claims), T1);
    expect(user).toMatchObject({
      username: "Corp_sub-1",
      status: "EXTERNAL_PROVIDER",
      enabled: true,
      password: null,
    });
    expect(user.sub).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await store.users.get(pool.id, "Corp_sub-1");
    expect(stored?.attributes).toEqual({
      email: "ann@corp.example.com",
      email_verified: "false",
      name: "Ann",
      "custom:dept": "R&D",
      identities: JSON.stringify([
        {
          userId: "sub-1",
          providerName: "Corp",
          providerType: "OIDC",
          issuer: null,
          primary: true,
          dateCreated: T1.getTime(),
        },
      ]),
    });
    expect((await store.groups.listForUser(pool.id, "Corp_sub-1", 10)).map((g) => g.name)).toEqual([
      `${pool.id}_Corp`,
    ]);
    // A federated email is not a sign-in alias: a local user may hold it.
    expect(await store.users.getByAlias(pool.id, "email:ann@corp.example.com")).toBeUndefined();
  });

  test("an email the provider vouches for keeps its verification", async () => {
    const { pool } = await poolWithProvider();
    const provider = await createIdentityProvider(
      store,
      STRICT,
      {
        UserPoolId: pool.id,
        ProviderName: "Google",
        ProviderType: "Google",
        ProviderDetails: { client_id: "g", client_secret: "s", authorize_scopes: "openid email" },
        AttributeMapping: { email: "email", email_verified: "email_verified" },
      },
      T0,
    );
    const user = await createFederatedUser(
      store,
      pool,
      identity(provider, "g-1", { email: "g@x.com", email_verified: "true" }),
      T1,
    );
    expect(user.username).toBe("Google_g-1");
    expect(user.attributes).toMatchObject({ email: "g@x.com", email_verified: "true" });
  });

  test("a later sign-in finds the profile and writes the mapped attributes again", async () => {
    const { pool, provider } = await poolWithProvider();
    await signIn(
      pool,
      identity(provider, "sub-2", { email: "bo@x.com", name: "Bo", given_name: "B", dept: "Ops" }),
      T0,
    );
    const found = await findUserForIdentity(store, pool, identity(provider, "sub-2"));
    expect(found?.user.username).toBe("Corp_sub-2");
    expect(found?.link).toBeUndefined();
    // name changes, dept is not sent (kept), given_name is sent empty (removed).
    const updated = await updateFederatedUser(
      store,
      pool,
      found as NonNullable<typeof found>,
      identity(provider, "sub-2", { email: "bo@x.com", name: "Bo Brown", given_name: "" }),
      T1,
    );
    expect(updated.updatedAt).toEqual(T1);
    const stored = await store.users.get(pool.id, "Corp_sub-2");
    expect(stored?.attributes).toMatchObject({ name: "Bo Brown", "custom:dept": "Ops" });
    expect(stored?.attributes).not.toHaveProperty("given_name");
    expect(identitiesOf(stored as UserRecord)).toEqual([
      {
        userId: "sub-2",
        providerName: "Corp",
        providerType: "OIDC",
        issuer: null,
        primary: true,
        dateCreated: T0.getTime(),
      },
    ]);
  });

  test("in a case-insensitive pool the whole username is lower-cased, the identity keeps the provider's name", async () => {
    const { pool, provider } = await poolWithProvider({ UsernameConfiguration: { CaseSensitive: false } });
    const user = await signIn(pool, identity(provider, "AbC-123"));
    expect(user.username).toBe("corp_abc-123");
    expect(identitiesOf(user)[0]).toMatchObject({ userId: "AbC-123", providerName: "Corp" });
    expect((await findUserForIdentity(store, pool, identity(provider, "AbC-123")))?.user.username).toBe(
      "corp_abc-123",
    );
  });

  test("a SAML identity's profile names the provider's entity ID as issuer", async () => {
    const { pool } = await poolWithProvider();
    const saml = await createIdentityProvider(
      store,
      STRICT,
      {
        UserPoolId: pool.id,
        ProviderName: "Corp-SAML",
        ProviderType: "SAML",
        ProviderDetails: { MetadataFile: metadata },
        AttributeMapping: { email: "mail" },
      },
      T0,
    );
    const user = await signIn(
      pool,
      identity(saml, "carl@corp.example.com", { mail: "carl@corp.example.com" }),
    );
    expect(user.username).toBe("Corp-SAML_carl@corp.example.com");
    expect(identitiesOf(user)).toEqual([
      {
        userId: "carl@corp.example.com",
        providerName: "Corp-SAML",
        providerType: "SAML",
        issuer: ENTITY_ID,
        primary: true,
        dateCreated: T1.getTime(),
      },
    ]);
  });

  test("an identity linked by subject signs in as the linked user, its attributes written, listed once", async () => {
    const { pool, provider } = await poolWithProvider({ AliasAttributes: ["email"] });
    const dee = await localUser(pool, "dee", { email: "dee@x.com", email_verified: "true" });
    await linkProviderForUser(
      store,
      pool,
      {
        UserPoolId: pool.id,
        DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "dee" },
        SourceUser: {
          ProviderName: "Corp",
          ProviderAttributeName: "Cognito_Subject",
          ProviderAttributeValue: "sub-dee",
        },
      },
      T0,
    );
    const found = await findUserForIdentity(store, pool, identity(provider, "sub-dee"));
    expect(found?.user.username).toBe("dee");
    expect(found?.link).toMatchObject({ attributeName: "Cognito_Subject", subject: "sub-dee" });
    const user = await signIn(pool, identity(provider, "sub-dee", { name: "Dee D" }));
    expect(user).toMatchObject({ username: "dee", sub: dee.sub, status: "CONFIRMED" });
    expect(user.attributes).toMatchObject({ name: "Dee D", email: "dee@x.com", email_verified: "true" });
    expect(identitiesOf(user)).toEqual([
      {
        userId: "sub-dee",
        providerName: "Corp",
        providerType: "OIDC",
        issuer: null,
        primary: false,
        dateCreated: T0.getTime(),
      },
    ]);
    // The linked local user keeps its sign-in alias and joins no provider group.
    expect((await store.users.getByAlias(pool.id, "email:dee@x.com"))?.username).toBe("dee");
    expect(await store.groups.listForUser(pool.id, "dee", 10)).toEqual([]);
    expect(await store.users.get(pool.id, "Corp_sub-dee")).toBeUndefined();
  });

  test("a link by attribute serves the first identity whose mapped attribute matches", async () => {
    const { pool, provider } = await poolWithProvider();
    await localUser(pool, "eve");
    await linkProviderForUser(
      store,
      pool,
      {
        UserPoolId: pool.id,
        DestinationUser: { ProviderName: "Cognito", ProviderAttributeValue: "eve" },
        SourceUser: {
          ProviderName: "Corp",
          ProviderAttributeName: "email",
          ProviderAttributeValue: "eve@corp.example.com",
        },
      },
      T0,
    );
    expect(
      await findUserForIdentity(
        store,
        pool,
        identity(provider, "sub-eve", { email: "other@corp.example.com" }),
      ),
    ).toBeUndefined();
    const user = await signIn(pool, identity(provider, "sub-eve", { email: "eve@corp.example.com" }));
    expect(user.username).toBe("eve");
    expect(identitiesOf(user)).toMatchObject([
      { userId: "sub-eve", primary: false, dateCreated: T1.getTime() },
    ]);
    expect(await store.identityLinks.listForUser(pool.id, "eve")).toMatchObject([
      { attributeName: "email", subject: "sub-eve" },
    ]);
    // Found by its subject from now on, whatever its email.
    expect(
      (await findUserForIdentity(store, pool, identity(provider, "sub-eve", { email: "changed@x.com" })))
        ?.user.username,
    ).toBe("eve");
    // Another identity with the same email gets a profile of its own.
    const other = await signIn(pool, identity(provider, "sub-eve-2", { email: "eve@corp.example.com" }));
    expect(other.username).toBe("Corp_sub-eve-2");
  });

  test("the pool's required attributes must be mapped on a first sign-in", async () => {
    const { pool, provider } = await poolWithProvider({
      Schema: [{ Name: "family_name", AttributeDataType: "String", Mutable: true, Required: true }],
    });
    await expect(
      createFederatedUser(store, pool, identity(provider, "sub-3", { email: "x@x.com" }), T1),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "Attributes did not conform to the schema: family_name: The attribute is required\n",
    });
    expect(await store.users.get(pool.id, "Corp_sub-3")).toBeUndefined();
  });

  test("an immutable attribute is set when the profile is made and may not change afterwards", async () => {
    const { pool, provider } = await poolWithProvider();
    await signIn(pool, identity(provider, "sub-4", { nick: "fox" }), T0);
    const again = await signIn(pool, identity(provider, "sub-4", { nick: "fox", name: "Fox" }));
    expect(again.attributes).toMatchObject({ nickname: "fox", name: "Fox" });
    await expect(signIn(pool, identity(provider, "sub-4", { nick: "wolf" }))).rejects.toMatchObject({
      name: "InvalidParameterException",
      message: "The identity provider would change the immutable attribute nickname.",
    });
  });

  test("a value longer than 2048 characters fails the sign-in", async () => {
    const { pool, provider } = await poolWithProvider();
    await expect(signIn(pool, identity(provider, "sub-5", { name: "n".repeat(2049) }))).rejects.toMatchObject(
      {
        name: "InvalidParameterException",
        message: "The value the identity provider gives for name is longer than 2048 characters.",
      },
    );
  });

  test("a client's WriteAttributes limit what is written; others are skipped", async () => {
    const { pool, provider } = await poolWithProvider();
    const app = client("app", pool.id, { config: { WriteAttributes: ["email", "custom:dept"] } });
    const user = await createFederatedUser(
      store,
      pool,
      identity(provider, "sub-6", { email: "g@x.com", name: "Gil", dept: "HR" }),
      T1,
      { client: app },
    );
    expect(user.attributes).toMatchObject({ email: "g@x.com", "custom:dept": "HR" });
    expect(user.attributes).not.toHaveProperty("name");
  });
});
