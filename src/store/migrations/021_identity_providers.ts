import type { Kysely } from "kysely";

/**
 * Federation (FEDERATION.md §1, §4): a pool's outside identity providers with the identifiers
 * that name them, the pool's SAML signing key and certificate, and the links that make an outside
 * identity sign in as an existing user.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("identity_providers")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    // SAML, OIDC, Google, Facebook, LoginWithAmazon or SignInWithApple.
    .addColumn("provider_type", "text", (c) => c.notNull())
    // JSON object: ProviderDetails as stored (with the keys Describe hides, such as Apple's private_key).
    .addColumn("details", "text", (c) => c.notNull())
    // JSON object: pool attribute → the provider's attribute name.
    .addColumn("attribute_mapping", "text", (c) => c.notNull())
    // JSON array, in the order given; each also has a row in identity_provider_identifiers.
    .addColumn("idp_identifiers", "text", (c) => c.notNull())
    // SAML: JSON of what the metadata says (entity ID, signing certificates, redirect URLs).
    .addColumn("saml_metadata", "text")
    // SAML with EncryptedResponses: the provider's decryption key (PKCS#8 PEM) and its certificate (base64 DER).
    .addColumn("encryption_private_key", "text")
    .addColumn("encryption_certificate", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("identity_providers_pk", ["pool_id", "name"])
    .execute();
  // ListIdentityProviders pages in creation order.
  await db.schema
    .createIndex("identity_providers_created")
    .on("identity_providers")
    .columns(["pool_id", "created_at", "name"])
    .execute();

  // An identifier names one provider in the whole pool.
  await db.schema
    .createTable("identity_provider_identifiers")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("identifier", "text", (c) => c.notNull())
    .addColumn("provider_name", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("identity_provider_identifiers_pk", ["pool_id", "identifier"])
    .execute();

  // One key pair per pool signs its SAML requests; GetSigningCertificate returns the certificate.
  await db.schema
    .createTable("saml_signing_keys")
    .addColumn("pool_id", "text", (c) => c.primaryKey())
    // PKCS#8 PEM.
    .addColumn("private_key", "text", (c) => c.notNull())
    // base64 DER.
    .addColumn("certificate", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  // An outside identity (provider, attribute name, value) that signs in as the user username_key.
  await db.schema
    .createTable("identity_links")
    .addColumn("pool_id", "text", (c) => c.notNull())
    .addColumn("provider_name", "text", (c) => c.notNull())
    // Cognito_Subject, or a pool attribute the provider's mapping fills.
    .addColumn("attribute_name", "text", (c) => c.notNull())
    .addColumn("attribute_value", "text", (c) => c.notNull())
    .addColumn("username_key", "text", (c) => c.notNull())
    // The provider's subject: the value of a link by Cognito_Subject, and of a link by attribute
    // once an identity has signed in through it.
    .addColumn("subject", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("identity_links_pk", [
      "pool_id",
      "provider_name",
      "attribute_name",
      "attribute_value",
    ])
    .execute();
  await db.schema
    .createIndex("identity_links_user")
    .on("identity_links")
    .columns(["pool_id", "username_key"])
    .execute();
  // Sign-in finds the link of an identity by its subject.
  await db.schema
    .createIndex("identity_links_subject")
    .on("identity_links")
    .columns(["pool_id", "provider_name", "subject"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("identity_links").execute();
  await db.schema.dropTable("saml_signing_keys").execute();
  await db.schema.dropTable("identity_provider_identifiers").execute();
  await db.schema.dropTable("identity_providers").execute();
}
