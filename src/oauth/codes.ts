/**
 * Authorization codes (OAUTH.md §2.1, §2.5): random, single-use, five minutes, bound to the client,
 * the redirect URI and the PKCE challenge. The grant's tokens are made when the code is issued (so
 * a trigger's refusal still reaches the app as a redirect) and kept sealed under a key derived
 * from the code itself: the database alone cannot give them away.
 */
import { createHash, hkdfSync, randomUUID } from "node:crypto";
import { occasionally } from "../auth/purge.js";
import { Sealer } from "../crypto/seal.js";
import { hashRefreshToken, type SignedPair } from "../domain/tokens.js";
import type { Services } from "../services.js";
import type { AuthorizationCodeRecord } from "../store/authorization-codes.js";

const CODE_LIFETIME_MS = 5 * 60 * 1000;
const SEAL_PURPOSE = "authorization-code";

function codeHash(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}

/** The code's own key: HKDF over the code, which only its holder has. */
function sealerFor(code: string): Sealer {
  return new Sealer(Buffer.from(hkdfSync("sha256", code, "cognate authorization code", SEAL_PURPOSE, 32)));
}

const purgeExpiredCodes = occasionally((store, now) => store.authorizationCodes.deleteExpired(now));

export interface CodeGrant {
  poolId: string;
  clientId: string;
  redirectUri: string;
  codeChallenge?: string;
  /** The tokens the code stands for; they carry a refresh token (the code flow always does). */
  tokens: SignedPair & { RefreshToken: string };
}

/** Stores a new code for the grant and returns it. */
export async function issueCode(services: Services, grant: CodeGrant, now: Date): Promise<string> {
  const code = randomUUID();
  const record: AuthorizationCodeRecord = {
    codeHash: codeHash(code),
    poolId: grant.poolId,
    clientId: grant.clientId,
    redirectUri: grant.redirectUri,
    codeChallenge: grant.codeChallenge ?? null,
    sealedTokens: sealerFor(code).seal(SEAL_PURPOSE, grant.tokens).toString("base64"),
    refreshTokenHash: hashRefreshToken(grant.tokens.RefreshToken),
    expiresAt: new Date(now.getTime() + CODE_LIFETIME_MS),
    consumedAt: null,
  };
  await services.store.authorizationCodes.insert(record);
  await purgeExpiredCodes(services.store, now).catch(() => undefined);
  return code;
}

export type Redemption =
  | { kind: "unknown" }
  | { kind: "replayed"; record: AuthorizationCodeRecord }
  | { kind: "expired"; record: AuthorizationCodeRecord }
  | { kind: "redeemed"; record: AuthorizationCodeRecord; tokens: CodeGrant["tokens"] };

/** Spends a code: its tokens the first time, within its lifetime; what went wrong otherwise. */
export async function redeemCode(services: Services, code: string, now: Date): Promise<Redemption> {
  const spent = await services.store.authorizationCodes.consume(codeHash(code), now);
  if (!spent) return { kind: "unknown" };
  const { record, firstUse } = spent;
  if (!firstUse) return { kind: "replayed", record };
  if (now.getTime() >= record.expiresAt.getTime()) return { kind: "expired", record };
  const tokens = sealerFor(code).open<CodeGrant["tokens"]>(
    SEAL_PURPOSE,
    Buffer.from(record.sealedTokens, "base64"),
  );
  return tokens ? { kind: "redeemed", record, tokens } : { kind: "unknown" };
}
