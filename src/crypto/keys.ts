/**
 * Per-pool RSA-2048 signing keys (TOKENS.md §1): one pair signs ID tokens, another access tokens.
 * Created on first use and stored, never shared between pools. Rotation: a new key becomes
 * current and the old one stays in the JWKS (verifying, not signing) until it is retired.
 * Imported keys are cached: importing costs far more than a signature.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type { PublicJwk, SigningKeyRecord, TokenUse } from "../store/signing-keys.js";
import type { Store } from "../store/store.js";
import { importSigningKey, jwtHeaderSegment, type SigningKey } from "./jwt.js";

export type { TokenUse };

const generateRsaKeyPair = promisify(generateKeyPair);

/**
 * A new RSA-2048 pair as PEM text (PKCS#8 private, SPKI public). Node 20 can deadlock when a key
 * made by generateKeyPair is exported while a garbage collection destroys the job that made it
 * (they share one mutex), so the job hands over PEM text and keys are parsed from it.
 */
export function generateRsaPemPair(): Promise<{ privateKey: string; publicKey: string }> {
  return generateRsaKeyPair("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

/** A new RSA-2048 pair as KeyObjects that no key-generation job shares (see generateRsaPemPair). */
async function generateFreeKeyPair(): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  const pem = await generateRsaPemPair();
  return { privateKey: createPrivateKey(pem.privateKey), publicKey: createPublicKey(pem.publicKey) };
}
const TOKEN_USES: readonly TokenUse[] = ["id", "access"];
/** Cached keys are reread this often, for rotations made by other instances sharing the database. */
const CACHE_TTL_MS = 60_000;

/** The key that signs one kind of token now. */
export interface ActiveKey {
  kid: string;
  /** The base64url JWT header `{"kid":…,"alg":"RS256"}`, computed once. */
  header: string;
  privateKey: SigningKey;
}

export interface VerificationKey {
  use: TokenUse;
  publicKey: KeyObject;
}

/** A JWKS entry as Cognito publishes it. */
export interface Jwk extends PublicJwk {
  alg: "RS256";
  kid: string;
  use: "sig";
}

export interface PoolKeys {
  signing: Record<TokenUse, ActiveKey>;
  verifying: Map<string, VerificationKey>;
  jwks: Jwk[];
}

/** Opaque, like Cognito's: standard base64 of the SHA-256 of the public key (44 characters). */
function keyId(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("base64");
}

async function newKeyRecord(poolId: string, use: TokenUse, now: Date): Promise<SigningKeyRecord> {
  const { privateKey, publicKey } = await generateFreeKeyPair();
  const jwk = publicKey.export({ format: "jwk" });
  return {
    poolId,
    kid: keyId(publicKey),
    use,
    status: "current",
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    publicJwk: { kty: "RSA", n: jwk.n as string, e: jwk.e as string },
    createdAt: now,
    updatedAt: now,
  };
}

/** The signing key of each use: its current key (the store keeps at most one per use). */
function currentOf(records: SigningKeyRecord[], use: TokenUse): SigningKeyRecord | undefined {
  return records.find((r) => r.use === use && r.status === "current");
}

async function toPoolKeys(records: SigningKeyRecord[]): Promise<PoolKeys> {
  const signing = {} as Record<TokenUse, ActiveKey>;
  for (const use of TOKEN_USES) {
    const record = currentOf(records, use);
    if (!record) throw new Error(`no current ${use} signing key`);
    const der = createPrivateKey(record.privateKey).export({ type: "pkcs8", format: "der" });
    signing[use] = {
      kid: record.kid,
      header: jwtHeaderSegment(record.kid),
      privateKey: importSigningKey(der),
    };
  }
  const verifying = new Map<string, VerificationKey>();
  for (const r of records) {
    verifying.set(r.kid, {
      use: r.use,
      publicKey: createPublicKey({ key: { ...r.publicJwk }, format: "jwk" }),
    });
  }
  const jwks = records.map(
    (r): Jwk => ({ alg: "RS256", e: r.publicJwk.e, kid: r.kid, kty: "RSA", n: r.publicJwk.n, use: "sig" }),
  );
  return { signing, verifying, jwks };
}

interface CacheEntry {
  keys: Promise<PoolKeys>;
  /** When the entry was loaded or last refreshed (Date.now()). */
  checkedAt: number;
}

export class KeyRing {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly store: Store) {}

  /**
   * The pool's keys, created on first use. Cached keys older than CACHE_TTL_MS are reread in the
   * background (the cached ones serve meanwhile), so a rotation by another instance reaches this
   * one's JWKS and signing within that time.
   */
  forPool(poolId: string, now: Date): Promise<PoolKeys> {
    const entry = this.cache.get(poolId);
    if (!entry) return this.loadInto(poolId, now);
    if (Date.now() - entry.checkedAt >= CACHE_TTL_MS) {
      entry.checkedAt = Date.now();
      this.load(poolId, now).then(
        (fresh) => {
          if (this.cache.get(poolId) === entry)
            this.cache.set(poolId, { keys: Promise.resolve(fresh), checkedAt: Date.now() });
        },
        () => undefined, // keep serving the cached keys; the next check tries again
      );
    }
    return entry.keys;
  }

  private loadInto(poolId: string, now: Date): Promise<PoolKeys> {
    const entry: CacheEntry = { keys: this.load(poolId, now), checkedAt: Date.now() };
    this.cache.set(poolId, entry);
    // A failed load must not stick: the next use tries again.
    entry.keys.catch(() => {
      if (this.cache.get(poolId) === entry) this.cache.delete(poolId);
    });
    return entry.keys;
  }

  /**
   * The key that verifies `kid` for this pool. A kid the cache lacks is looked up in the store (one
   * keyed read): another instance may have made it; then the pool's keys are reread.
   */
  async verificationKey(poolId: string, kid: string, now: Date): Promise<VerificationKey | undefined> {
    const found = (await this.forPool(poolId, now)).verifying.get(kid);
    if (found || !(await this.store.signingKeys.isLive(poolId, kid))) return found;
    this.forget(poolId);
    return (await this.forPool(poolId, now)).verifying.get(kid);
  }

  /** Makes a new key current for `use`; the old one keeps verifying until retired. Returns the new kid. */
  async rotate(poolId: string, use: TokenUse, now: Date): Promise<string> {
    const record = await newKeyRecord(poolId, use, now);
    await this.store.transaction(async (tx) => {
      await tx.signingKeys.demoteCurrent(poolId, use, now);
      await tx.signingKeys.insert(record);
    });
    this.forget(poolId);
    return record.kid;
  }

  /** Retires a key that rotation replaced: it leaves the JWKS, and tokens it signed stop verifying. */
  async retire(poolId: string, kid: string, now: Date): Promise<boolean> {
    const retired = await this.store.signingKeys.retire(poolId, kid, now);
    this.forget(poolId);
    return retired;
  }

  /** Deletes a pool's keys (with the pool). */
  async deletePool(poolId: string): Promise<void> {
    await this.store.signingKeys.deleteForPool(poolId);
    this.forget(poolId);
  }

  /** Drops the cached keys of a pool; the next use reads them again. */
  forget(poolId: string): void {
    this.cache.delete(poolId);
  }

  private async load(poolId: string, now: Date): Promise<PoolKeys> {
    let records = await this.store.signingKeys.listLive(poolId);
    const missing = TOKEN_USES.filter((use) => !currentOf(records, use));
    if (missing.length > 0) {
      const created = await Promise.all(missing.map((use) => newKeyRecord(poolId, use, now)));
      // Another instance may be creating this pool's keys too: the first stored wins, both read it.
      for (const record of created) await this.store.signingKeys.insertFirst(record);
      records = await this.store.signingKeys.listLive(poolId);
    }
    return toPoolKeys(records);
  }
}
