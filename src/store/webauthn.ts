/**
 * Passkeys: each pool's WebAuthn configuration (as SetUserPoolMfaConfig set it), users' registered
 * credentials, and the registration each user may have in progress.
 */
import { refuseDuplicate } from "./duplicates.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { WebAuthnConfigsTable, WebAuthnCredentialsTable, WebAuthnRegistrationsTable } from "./schema.js";
import type { Db } from "./store.js";

export interface WebAuthnConfigRecord {
  poolId: string;
  /** Null: the pool's domain is the relying party, if it has one. */
  relyingPartyId: string | null;
  userVerification: "required" | "preferred";
  factorConfiguration: "SINGLE_FACTOR" | "MULTI_FACTOR_WITH_USER_VERIFICATION";
  updatedAt: Date;
}

export interface WebAuthnCredentialRecord {
  poolId: string;
  /** base64url. */
  credentialId: string;
  usernameKey: string;
  /** The owner's sub, so a user created again under the same name does not inherit the passkey. */
  sub: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  signCount: number;
  transports: string[];
  attachment: string | null;
  friendlyName: string;
  relyingPartyId: string;
  createdAt: Date;
}

/** A registration StartWebAuthnRegistration began and CompleteWebAuthnRegistration must finish. */
export interface WebAuthnRegistrationRecord {
  poolId: string;
  sub: string;
  usernameKey: string;
  clientId: string;
  /** base64url. */
  challenge: string;
  relyingPartyId: string;
  userVerification: "required" | "preferred";
  expiresAt: Date;
}

function configRecord(row: WebAuthnConfigsTable): WebAuthnConfigRecord {
  return {
    poolId: row.pool_id,
    relyingPartyId: row.relying_party_id,
    userVerification: row.user_verification as WebAuthnConfigRecord["userVerification"],
    factorConfiguration: row.factor_configuration as WebAuthnConfigRecord["factorConfiguration"],
    updatedAt: date(row.updated_at),
  };
}

function credentialRecord(row: WebAuthnCredentialsTable): WebAuthnCredentialRecord {
  return {
    poolId: row.pool_id,
    credentialId: row.credential_id,
    usernameKey: row.username_key,
    sub: row.sub,
    publicKey: row.public_key,
    signCount: Number(row.sign_count),
    transports: fromJson<string[]>(row.transports, []),
    attachment: row.attachment,
    friendlyName: row.friendly_name,
    relyingPartyId: row.relying_party_id,
    createdAt: date(row.created_at),
  };
}

function registrationRecord(row: WebAuthnRegistrationsTable): WebAuthnRegistrationRecord {
  return {
    poolId: row.pool_id,
    sub: row.sub,
    usernameKey: row.username_key,
    clientId: row.client_id,
    challenge: row.challenge,
    relyingPartyId: row.relying_party_id,
    userVerification: row.user_verification as WebAuthnRegistrationRecord["userVerification"],
    expiresAt: date(row.expires_at),
  };
}

export class WebAuthnRepository {
  constructor(private readonly db: Db) {}

  async getConfig(poolId: string): Promise<WebAuthnConfigRecord | undefined> {
    const row = await this.db
      .selectFrom("webauthn_configs")
      .selectAll()
      .where("pool_id", "=", poolId)
      .executeTakeFirst();
    return row && configRecord(row);
  }

  async putConfig(config: WebAuthnConfigRecord): Promise<void> {
    const values = {
      relying_party_id: config.relyingPartyId,
      user_verification: config.userVerification,
      factor_configuration: config.factorConfiguration,
      updated_at: ms(config.updatedAt),
    };
    await this.db
      .insertInto("webauthn_configs")
      .values({ pool_id: config.poolId, ...values })
      .onConflict((oc) => oc.column("pool_id").doUpdateSet(values))
      .execute();
  }

  async getCredential(poolId: string, credentialId: string): Promise<WebAuthnCredentialRecord | undefined> {
    const row = await this.db
      .selectFrom("webauthn_credentials")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("credential_id", "=", credentialId)
      .executeTakeFirst();
    return row && credentialRecord(row);
  }

  /** Stores a new passkey; DuplicateKeyError when the credential is registered already. */
  async insertCredential(credential: WebAuthnCredentialRecord): Promise<void> {
    await refuseDuplicate(this.db, "webauthn_credentials", () =>
      this.db
        .insertInto("webauthn_credentials")
        .values({
          pool_id: credential.poolId,
          credential_id: credential.credentialId,
          username_key: credential.usernameKey,
          sub: credential.sub,
          public_key: credential.publicKey,
          sign_count: credential.signCount,
          transports: toJson(credential.transports),
          attachment: credential.attachment,
          friendly_name: credential.friendlyName,
          relying_party_id: credential.relyingPartyId,
          created_at: ms(credential.createdAt),
        })
        .execute(),
    );
  }

  /** One user's passkeys in credential-id order, after `afterId`; at most `limit`. */
  async listCredentials(
    poolId: string,
    sub: string,
    limit: number,
    afterId?: string,
  ): Promise<WebAuthnCredentialRecord[]> {
    let query = this.db
      .selectFrom("webauthn_credentials")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("sub", "=", sub);
    if (afterId !== undefined) query = query.where("credential_id", ">", afterId);
    const rows = await query.orderBy("credential_id").limit(limit).execute();
    return rows.map(credentialRecord);
  }

  async countCredentials(poolId: string, sub: string): Promise<number> {
    const row = await this.db
      .selectFrom("webauthn_credentials")
      .select((eb) => eb.fn.countAll().as("count"))
      .where("pool_id", "=", poolId)
      .where("sub", "=", sub)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /**
   * Moves a passkey's signature counter from `from` to `to`; false when another sign-in moved it
   * first (the two assertions cannot both be fresh).
   */
  async advanceSignCount(poolId: string, credentialId: string, from: number, to: number): Promise<boolean> {
    const result = await this.db
      .updateTable("webauthn_credentials")
      .set({ sign_count: to })
      .where("pool_id", "=", poolId)
      .where("credential_id", "=", credentialId)
      .where("sign_count", "=", from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Deletes one of a user's passkeys; false when the user has no such passkey. */
  async deleteCredential(poolId: string, sub: string, credentialId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom("webauthn_credentials")
      .where("pool_id", "=", poolId)
      .where("sub", "=", sub)
      .where("credential_id", "=", credentialId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** Starts a registration, replacing the user's earlier unfinished one. */
  async putRegistration(registration: WebAuthnRegistrationRecord): Promise<void> {
    const values = {
      username_key: registration.usernameKey,
      client_id: registration.clientId,
      challenge: registration.challenge,
      relying_party_id: registration.relyingPartyId,
      user_verification: registration.userVerification,
      expires_at: ms(registration.expiresAt),
    };
    await this.db
      .insertInto("webauthn_registrations")
      .values({ pool_id: registration.poolId, sub: registration.sub, ...values })
      .onConflict((oc) => oc.columns(["pool_id", "sub"]).doUpdateSet(values))
      .execute();
  }

  async getRegistration(poolId: string, sub: string): Promise<WebAuthnRegistrationRecord | undefined> {
    const row = await this.db
      .selectFrom("webauthn_registrations")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("sub", "=", sub)
      .executeTakeFirst();
    return row && registrationRecord(row);
  }

  /** Ends the registration with this challenge; false when it ended already (or was replaced). */
  async takeRegistration(poolId: string, sub: string, challenge: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom("webauthn_registrations")
      .where("pool_id", "=", poolId)
      .where("sub", "=", sub)
      .where("challenge", "=", challenge)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
