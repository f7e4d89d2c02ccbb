/** Authorization codes waiting to be exchanged at the token endpoint, kept only as hashes. */
import { CompiledInsert, CompiledLookup } from "./compiled.js";
import { date, ms } from "./json.js";
import type { AuthorizationCodesTable } from "./schema.js";
import type { Db } from "./store.js";

export interface AuthorizationCodeRecord {
  /** Hex SHA-256 of the code; the code itself is never stored. */
  codeHash: string;
  poolId: string;
  clientId: string;
  redirectUri: string;
  /** PKCE S256 challenge, or null. */
  codeChallenge: string | null;
  /** The grant's tokens, sealed under a key only the code gives (base64). */
  sealedTokens: string;
  /** Hex SHA-256 of the grant's refresh token, which names the sign-in to revoke on a replay. */
  refreshTokenHash: string;
  expiresAt: Date;
  consumedAt: Date | null;
}

function toRecord(row: AuthorizationCodesTable): AuthorizationCodeRecord {
  return {
    codeHash: row.code_hash,
    poolId: row.pool_id,
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    codeChallenge: row.code_challenge,
    sealedTokens: row.sealed_tokens,
    refreshTokenHash: row.refresh_token_hash,
    expiresAt: date(row.expires_at),
    consumedAt: row.consumed_at === null ? null : date(row.consumed_at),
  };
}

/** Every code-flow sign-in stores a code, and its exchange reads it back. */
const insertCodes = new CompiledInsert((db: Db, rows: AuthorizationCodesTable[]) =>
  db.insertInto("authorization_codes").values(rows),
);
const codeByHash = new CompiledLookup((db: Db, codeHash: string) =>
  db.selectFrom("authorization_codes").selectAll().where("code_hash", "=", codeHash),
);

export class AuthorizationCodeRepository {
  constructor(private readonly db: Db) {}

  async insert(record: AuthorizationCodeRecord): Promise<void> {
    await insertCodes.execute(this.db, [
      {
        code_hash: record.codeHash,
        pool_id: record.poolId,
        client_id: record.clientId,
        redirect_uri: record.redirectUri,
        code_challenge: record.codeChallenge,
        sealed_tokens: record.sealedTokens,
        refresh_token_hash: record.refreshTokenHash,
        expires_at: ms(record.expiresAt),
        consumed_at: record.consumedAt ? ms(record.consumedAt) : null,
      },
    ]);
  }

  /**
   * Spends a code: `firstUse` is true for exactly one caller, whichever instance it runs on (one
   * conditional UPDATE decides); later callers get the record with `firstUse` false.
   */
  async consume(
    codeHash: string,
    now: Date,
  ): Promise<{ record: AuthorizationCodeRecord; firstUse: boolean } | undefined> {
    const result = await this.db
      .updateTable("authorization_codes")
      .set({ consumed_at: ms(now) })
      .where("code_hash", "=", codeHash)
      .where("consumed_at", "is", null)
      .executeTakeFirst();
    const row = await codeByHash.executeTakeFirst(this.db, codeHash);
    return row && { record: toRecord(row), firstUse: Number(result.numUpdatedRows) === 1 };
  }

  /** Forgets codes that expired before `before`. */
  async deleteExpired(before: Date): Promise<void> {
    await this.db.deleteFrom("authorization_codes").where("expires_at", "<", ms(before)).execute();
  }
}
