/**
 * Tokens (TOKENS.md): ID and access JWTs with Cognito's claims, signed with the pool's keys, and
 * opaque refresh tokens kept only as hashes. A sign-in starts a token family — its `origin_jti`
 * and `event_id` — that every refresh and rotation keeps, and that revocation is keyed by.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { decodeRs256, looksLikeJwt, signJwt } from "../crypto/jwt.js";
import type { PoolKeys } from "../crypto/keys.js";
import type { AuthenticationResultType } from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import type { ClientRecord, GroupRecord, PoolRecord, UserRecord } from "../store/records.js";
import type { RefreshTokenRecord } from "../store/refresh-tokens.js";
import type { Store } from "../store/store.js";
import {
  readableAttributes,
  refreshTokenRotation,
  tokenRevocationEnabled,
  tokenValiditySeconds,
} from "./clients.js";
import { assertRefreshDevice } from "./devices.js";
import { Errors } from "./errors.js";
import { identitiesClaim } from "./identities.js";
import { poolRegion } from "./pools.js";
import { OPENID_SCOPE, SIGNIN_SCOPE, scopedAttributes } from "./scopes.js";
import { customizeClaims, type TokenCustomization } from "./token-customization.js";

export type { RefreshTokenRecord };

/** A user belongs to at most 100 groups (LIMITS.md §7). */
const MAX_GROUPS_PER_USER = 100;
/** The model's pattern for tokens; anything else cannot be one of ours. */
const TOKEN_PATTERN = /^[A-Za-z0-9\-_=.]+$/;

// ---------------------------------------------------------------------------------------------
// Issuer

/**
 * The `iss` of a pool's tokens: `config.server.issuerBaseUrl` + `/<poolId>`; null means this
 * server's own URL, so that any JWT library finds the keys from the issuer; "aws" gives Cognito's
 * own form, which `CognitoJwtVerifier` insists on.
 */
export function issuerFor(services: Services, poolId: string): string {
  const base = services.config.server.issuerBaseUrl;
  if (base === "aws") return `https://cognito-idp.${poolRegion(poolId)}.amazonaws.com/${poolId}`;
  return `${trimSlash(base ?? services.baseUrl)}/${poolId}`;
}

/** Where the pool's JWKS is served: under the issuer, or under this server when the issuer is AWS's. */
export function jwksUriFor(services: Services, poolId: string): string {
  const base = services.config.server.issuerBaseUrl;
  const root =
    base === null || base === "aws"
      ? `${trimSlash(services.baseUrl)}/${poolId}`
      : issuerFor(services, poolId);
  return `${root}/.well-known/jwks.json`;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** The pool id of an issuer we produced: its last path segment. */
export function poolIdOfIssuer(iss: string): string {
  return iss.slice(iss.lastIndexOf("/") + 1);
}

// ---------------------------------------------------------------------------------------------
// Claims

/** One sign-in: what every token descended from it shares. */
interface TokenFamily {
  originJti: string;
  eventId: string;
  authTime: Date;
  deviceKey: string | null;
  /** The OAuth scopes granted at a domain endpoint; null for API sign-in (SIGNIN_SCOPE only). */
  scopes: readonly string[] | null;
  /** The resource the authorization request bound the access tokens to (their `aud`); else null. */
  resource: string | null;
}

/** What an OAuth grant adds to the tokens of one issuance (OAUTH.md §8). */
export interface OAuthGrant {
  scopes: readonly string[];
  /** The authorization request's nonce, copied into the ID token. */
  nonce?: string;
  /** False for the implicit grant, which never gets a refresh token. */
  refreshToken: boolean;
  /** The authorization request's `resource`: the access tokens' `aud` (src/oauth/resource-binding.ts). */
  resource?: string;
}

interface ClaimContext {
  services: Services;
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  groups: GroupRecord[];
  family: TokenFamily;
  now: Date;
  nonce?: string;
}

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Groups by precedence (lowest number first, unset last), then name: the first is the preferred one. */
function byPrecedence(groups: GroupRecord[]): GroupRecord[] {
  const rank = (g: GroupRecord) => g.precedence ?? Number.POSITIVE_INFINITY;
  return [...groups].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * `cognito:preferred_role` is the role of the highest-priority group that has one; groups that
 * tie on precedence with different roles leave it unset.
 */
function preferredRole(sorted: GroupRecord[]): string | undefined {
  const withRole = sorted.filter((g) => g.roleArn);
  if (withRole.length === 0) return undefined;
  const top = withRole.filter((g) => g.precedence === withRole[0].precedence);
  const roles = new Set(top.map((g) => g.roleArn));
  return roles.size === 1 ? (withRole[0].roleArn as string) : undefined;
}

export interface GroupClaims {
  "cognito:groups"?: string[];
  "cognito:preferred_role"?: string;
  "cognito:roles"?: string[];
}

function groupClaims(groups: GroupRecord[], withRoles: boolean): GroupClaims {
  if (groups.length === 0) return {};
  const sorted = byPrecedence(groups);
  const claims: GroupClaims = { "cognito:groups": sorted.map((g) => g.name) };
  if (!withRoles) return claims;
  const role = preferredRole(sorted);
  const roles = [...new Set(sorted.flatMap((g) => (g.roleArn ? [g.roleArn] : [])))];
  if (role) claims["cognito:preferred_role"] = role;
  if (roles.length > 0) claims["cognito:roles"] = roles;
  return claims;
}

/** The user's groups as the ID token shows them: PreTokenGeneration's groupConfiguration. */
export async function userGroupClaims(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
): Promise<GroupClaims> {
  return groupClaims(await store.groups.listForUser(pool.id, user.usernameKey, MAX_GROUPS_PER_USER), true);
}

/** `jti` and `origin_jti` appear only when the client has token revocation enabled. */
function revocationClaims(ctx: ClaimContext): { origin_jti?: string; jti?: string } {
  return tokenRevocationEnabled(ctx.client) ? { origin_jti: ctx.family.originJti, jti: randomUUID() } : {};
}

const VERIFIED_FLAGS = ["email_verified", "phone_number_verified"] as const;
/** Attributes that are not plain strings in an ID token. */
function attributeClaim(name: string, value: string): unknown {
  if (name === "updated_at") return Number(value);
  if (name === "address") return { formatted: value };
  return value;
}

/**
 * The user's attributes the client may read and the scopes release (all readable ones without
 * scopes), never `sub` or `dev:*`: the verification flags apart, as booleans — false where the
 * address or number is set and the flag is not — and every other attribute as stored. The ID token
 * and the userInfo endpoint both show these.
 */
export function releasedAttributes(
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  scopes: readonly string[] | undefined,
): { flags: Record<string, boolean>; values: Record<string, string> } {
  const readable = new Set(scopedAttributes(readableAttributes(pool, client), scopes));
  const attributes = user.attributes;
  const flags: Record<string, boolean> = {};
  for (const flag of VERIFIED_FLAGS) {
    const base = flag.replace("_verified", "");
    if (readable.has(flag) && (attributes[flag] !== undefined || attributes[base] !== undefined)) {
      flags[flag] = attributes[flag] === "true";
    }
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "sub" || name.startsWith("dev:") || !readable.has(name)) continue;
    if ((VERIFIED_FLAGS as readonly string[]).includes(name)) continue;
    values[name] = value;
  }
  return { flags, values };
}

/** The released attributes as the ID token types them. */
function attributeClaims(ctx: ClaimContext): {
  flags: Record<string, boolean>;
  rest: Record<string, unknown>;
} {
  const { flags, values } = releasedAttributes(
    ctx.pool,
    ctx.client,
    ctx.user,
    ctx.family.scopes ?? undefined,
  );
  const rest = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, attributeClaim(name, value)]),
  );
  return { flags, rest };
}

/** base64url of the left half of the SHA-256 of the access token (OIDC Core §3.1.3.6). */
export function accessTokenHash(accessToken: string): string {
  return createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");
}

/** ID token claims in the order Cognito emits them (TOKENS.md §2); `at_hash` and `nonce` for OAuth grants. */
function idTokenClaims(ctx: ClaimContext, issuedAt: number, atHash?: string): Record<string, unknown> {
  const { flags, rest } = attributeClaims(ctx);
  const { origin_jti, jti } = revocationClaims(ctx);
  return {
    at_hash: atHash,
    sub: ctx.user.sub,
    ...groupClaims(ctx.groups, true),
    ...flags,
    iss: issuerFor(ctx.services, ctx.pool.id),
    "cognito:username": ctx.user.username,
    nonce: ctx.nonce,
    origin_jti,
    aud: ctx.client.id,
    identities: identitiesClaim(ctx.user),
    event_id: ctx.family.eventId,
    token_use: "id",
    auth_time: epochSeconds(ctx.family.authTime),
    exp: issuedAt + tokenValiditySeconds(ctx.client, "IdToken"),
    iat: issuedAt,
    jti,
    ...rest,
  };
}

/** Access token claims in the order Cognito emits them (TOKENS.md §3). */
function accessTokenClaims(ctx: ClaimContext, issuedAt: number): Record<string, unknown> {
  const { origin_jti, jti } = revocationClaims(ctx);
  return {
    sub: ctx.user.sub,
    device_key: ctx.family.deviceKey ?? undefined,
    ...groupClaims(ctx.groups, false),
    iss: issuerFor(ctx.services, ctx.pool.id),
    // Tokens of the OAuth endpoints say `version: 2`; API sign-in's do not [OBS].
    version: ctx.family.scopes ? 2 : undefined,
    client_id: ctx.client.id,
    // Only with resource binding, and then the bound resource, never the client [DG].
    aud: ctx.family.resource ?? undefined,
    origin_jti,
    event_id: ctx.family.eventId,
    token_use: "access",
    scope: ctx.family.scopes ? ctx.family.scopes.join(" ") : SIGNIN_SCOPE,
    auth_time: epochSeconds(ctx.family.authTime),
    exp: issuedAt + tokenValiditySeconds(ctx.client, "AccessToken"),
    iat: issuedAt,
    jti,
    username: ctx.user.username,
  };
}

export interface SignedPair {
  AccessToken: string;
  /** Absent for an OAuth grant without the `openid` scope. */
  IdToken?: string;
  ExpiresIn: number;
  TokenType: "Bearer";
}

/** An ID token is issued by API sign-in, and by the OAuth endpoints only for the `openid` scope [DG]. */
function wantsIdToken(family: TokenFamily): boolean {
  return family.scopes === null || family.scopes.includes(OPENID_SCOPE);
}

/** Signs the ID and access tokens of a family, with the user's current attributes and groups. */
async function signTokens(
  services: Services,
  args: {
    pool: PoolRecord;
    client: ClientRecord;
    user: UserRecord;
    family: TokenFamily;
    now: Date;
    customization?: TokenCustomization;
    nonce?: string;
  },
): Promise<SignedPair> {
  const [keys, groups] = await Promise.all([
    services.keys.forPool(args.pool.id, args.now),
    services.store.groups.listForUser(args.pool.id, args.user.usernameKey, MAX_GROUPS_PER_USER),
  ]);
  const ctx: ClaimContext = { services, ...args, groups };
  const issuedAt = epochSeconds(args.now);
  const idClaimsFor = (atHash?: string) => {
    const claims = idTokenClaims(ctx, issuedAt, atHash);
    if (args.customization) customizeClaims(claims, args.customization, "id", args.client.id);
    return claims;
  };
  const accessClaims = accessTokenClaims(ctx, issuedAt);
  if (args.customization) customizeClaims(accessClaims, args.customization, "access", args.client.id);
  // The audience the app asked for stands whatever the trigger says of `aud` [UNDOC].
  if (args.family.resource !== null) accessClaims.aud = args.family.resource;
  const pair = { ExpiresIn: tokenValiditySeconds(args.client, "AccessToken"), TokenType: "Bearer" as const };
  if (args.family.scopes === null) {
    // API sign-in: no at_hash, so both tokens are signed at once.
    const [AccessToken, IdToken] = await Promise.all([
      sign(keys, "access", accessClaims),
      sign(keys, "id", idClaimsFor()),
    ]);
    return { AccessToken, IdToken, ...pair };
  }
  const AccessToken = await sign(keys, "access", accessClaims);
  if (!wantsIdToken(args.family)) return { AccessToken, ...pair };
  const IdToken = await sign(keys, "id", idClaimsFor(accessTokenHash(AccessToken)));
  return { AccessToken, IdToken, ...pair };
}

function sign(keys: PoolKeys, use: "id" | "access", claims: Record<string, unknown>): Promise<string> {
  const key = keys.signing[use];
  return signJwt(key.header, claims, key.privateKey);
}

/**
 * Tokens signed earlier — an authorization code's, made when the code was issued — as issued now:
 * `iat` and `exp` move by the time they waited, and the ID token's `at_hash` follows the re-signed
 * access token. Every other claim stays as the sign-in fixed it.
 */
export async function reissuedNow(
  services: Services,
  poolId: string,
  tokens: SignedPair,
  now: Date,
): Promise<SignedPair> {
  const keys = await services.keys.forPool(poolId, now);
  const issuedAt = epochSeconds(now);
  const moved = (token: string): Record<string, unknown> => {
    const payload = decodeRs256(token)?.payload;
    if (!payload || typeof payload.iat !== "number" || typeof payload.exp !== "number")
      throw new Error("not a token this server signed");
    const waited = Math.max(0, issuedAt - payload.iat);
    return { ...payload, iat: payload.iat + waited, exp: payload.exp + waited };
  };
  const AccessToken = await sign(keys, "access", moved(tokens.AccessToken));
  if (tokens.IdToken === undefined) return { ...tokens, AccessToken };
  const id = moved(tokens.IdToken);
  if (id.at_hash !== undefined) id.at_hash = accessTokenHash(AccessToken);
  return { ...tokens, AccessToken, IdToken: await sign(keys, "id", id) };
}

// ---------------------------------------------------------------------------------------------
// Machine-to-machine

/**
 * The access token of a `client_credentials` grant (OAUTH.md §5.2): the client is its subject; no
 * user, groups or sign-in family, no ID or refresh token. Claims in the order Cognito emits them.
 */
export async function issueClientCredentialsToken(
  services: Services,
  args: {
    pool: PoolRecord;
    client: ClientRecord;
    scopes: readonly string[];
    now: Date;
    customization?: TokenCustomization;
    /** A bound resource, where client_credentials may bind one (src/oauth/resource-binding.ts). */
    resource?: string;
  },
): Promise<{ AccessToken: string; ExpiresIn: number; TokenType: "Bearer" }> {
  const { pool, client, now } = args;
  const keys = await services.keys.forPool(pool.id, now);
  const issuedAt = epochSeconds(now);
  const claims: Record<string, unknown> = {
    sub: client.id,
    token_use: "access",
    scope: args.scopes.join(" "),
    auth_time: issuedAt,
    iss: issuerFor(services, pool.id),
    exp: issuedAt + tokenValiditySeconds(client, "AccessToken"),
    iat: issuedAt,
    version: 2,
    jti: randomUUID(),
    client_id: client.id,
    aud: args.resource,
  };
  if (args.customization) customizeClaims(claims, args.customization, "access", client.id);
  return {
    AccessToken: await sign(keys, "access", claims),
    ExpiresIn: tokenValiditySeconds(client, "AccessToken"),
    TokenType: "Bearer",
  };
}

// ---------------------------------------------------------------------------------------------
// Refresh tokens

/** Opaque and unguessable (384 bits), within the model's pattern. */
function newRefreshTokenString(): string {
  return randomBytes(48).toString("base64url");
}

/** An ID or access token (or any JWT) rather than one of our opaque refresh tokens. */
export function isJwt(token: string): boolean {
  return looksLikeJwt(token);
}

export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function newRefreshRecord(
  hash: string,
  args: {
    pool: PoolRecord;
    client: ClientRecord;
    user: UserRecord;
    family: TokenFamily;
    now: Date;
    expiresAt: Date;
  },
): RefreshTokenRecord {
  return {
    tokenHash: hash,
    poolId: args.pool.id,
    clientId: args.client.id,
    usernameKey: args.user.usernameKey,
    username: args.user.username,
    sub: args.user.sub,
    deviceKey: args.family.deviceKey,
    originJti: args.family.originJti,
    eventId: args.family.eventId,
    authTime: args.family.authTime,
    issuedAt: args.now,
    expiresAt: args.expiresAt,
    revokedAt: null,
    rotatedAt: null,
    scopes: args.family.scopes === null ? null : [...args.family.scopes],
    resource: args.family.resource,
  };
}

function familyOf(record: RefreshTokenRecord): TokenFamily {
  return {
    originJti: record.originJti,
    eventId: record.eventId,
    authTime: record.authTime,
    deviceKey: record.deviceKey,
    scopes: record.scopes,
    // Refreshes, rotated tokens and the JSON API's refreshes keep the binding [DG token endpoint;
    // UNDOC for the JSON API, where Cognito offers no binding].
    resource: record.resource,
  };
}

export interface SignInGrant {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  now: Date;
  /** Time of the authentication; defaults to `now`. */
  authTime?: Date;
  deviceKey?: string;
  /** What the PreTokenGeneration trigger changes in the tokens. */
  customization?: TokenCustomization;
  /** The `event_id` to carry: the sign-in's auth event (threat protection); else a new one. */
  eventId?: string;
  /** Set when the grant comes from a domain endpoint (authorization code, implicit, session). */
  oauth?: OAuthGrant;
}

/**
 * Signs ID + access tokens, creates and stores a refresh token (hashed); returns Cognito's
 * AuthenticationResult. The refresh token is committed before this returns, so every token a
 * client receives survives a crash.
 */
export async function issueTokens(services: Services, grant: SignInGrant): Promise<AuthenticationResultType> {
  const { pool, client, user, now } = grant;
  const family: TokenFamily = {
    originJti: randomUUID(),
    eventId: grant.eventId ?? randomUUID(),
    authTime: grant.authTime ?? now,
    deviceKey: grant.deviceKey ?? null,
    scopes: grant.oauth ? grant.oauth.scopes : null,
    resource: grant.oauth?.resource ?? null,
  };
  const signArgs = {
    pool,
    client,
    user,
    family,
    now,
    customization: grant.customization,
    nonce: grant.oauth?.nonce,
  };
  // The implicit grant hands out no refresh token; its sign-in is recorded all the same, under a
  // token no one holds and only as long as its tokens live, so that sign-out reaches them.
  const withRefreshToken = grant.oauth?.refreshToken !== false;
  const refreshToken = newRefreshTokenString();
  const lifetime = withRefreshToken
    ? tokenValiditySeconds(client, "RefreshToken")
    : Math.max(tokenValiditySeconds(client, "AccessToken"), tokenValiditySeconds(client, "IdToken"));
  const expiresAt = new Date(now.getTime() + lifetime * 1000);
  const record = newRefreshRecord(hashRefreshToken(refreshToken), {
    pool,
    client,
    user,
    family,
    now,
    expiresAt,
  });
  const [tokens] = await Promise.all([
    signTokens(services, signArgs),
    services.store.refreshTokens.insert(record),
  ]);
  sweepNowAndThen(services, now);
  return {
    AccessToken: tokens.AccessToken,
    ExpiresIn: tokens.ExpiresIn,
    TokenType: "Bearer",
    RefreshToken: withRefreshToken ? refreshToken : undefined,
    IdToken: tokens.IdToken,
  };
}

/** The stored record of a token string, if it was issued to this client. */
async function findForClient(services: Services, client: ClientRecord, refreshToken: string) {
  if (!TOKEN_PATTERN.test(refreshToken)) return undefined;
  const record = await services.store.refreshTokens.get(hashRefreshToken(refreshToken));
  return record && record.clientId === client.id && record.poolId === client.poolId ? record : undefined;
}

/** A token bound to a device must be presented with that device's key. */
function assertDevice(record: RefreshTokenRecord, deviceKey: string | undefined): void {
  if (record.deviceKey && record.deviceKey !== deviceKey) throw Errors.invalidRefreshToken();
}

/** Revoked, rotated out beyond the grace period, or expired. */
function assertUsable(record: RefreshTokenRecord, client: ClientRecord, now: Date): void {
  if (record.revokedAt) throw Errors.refreshTokenRevoked();
  if (record.rotatedAt) {
    const graceEnds =
      record.rotatedAt.getTime() + refreshTokenRotation(client).retryGracePeriodSeconds * 1000;
    if (now.getTime() > graceEnds) throw Errors.refreshTokenReused();
  }
  if (now.getTime() >= record.expiresAt.getTime()) throw Errors.refreshTokenExpired();
}

export interface RefreshRequest {
  pool: PoolRecord;
  client: ClientRecord;
  refreshToken: string;
  now: Date;
  /** `DEVICE_KEY` / `DeviceKey` of the request, if any. */
  deviceKey?: string;
  /** What a deleted user gives: `Invalid Refresh Token.` (InitiateAuth) or `User does not exist.` (GetTokensFromRefreshToken). */
  missingUser: "invalidToken" | "userNotFound";
}

/**
 * The whole refresh-token check in Cognito's order: unknown / other client / wrong device →
 * invalid; deleted user; disabled user (`User is disabled.`, even though disabling also revoked the
 * token); then revoked, rotated out, expired. Returns the record and the user, ready for
 * `issueRefreshedTokens`.
 */
export async function resolveRefreshToken(
  services: Services,
  request: RefreshRequest,
): Promise<{ record: RefreshTokenRecord; user: UserRecord }> {
  const { client, now } = request;
  const record = await findForClient(services, client, request.refreshToken);
  if (!record) throw Errors.invalidRefreshToken();
  assertDevice(record, request.deviceKey);
  await assertRefreshDevice(services.store, record);
  const user = await services.store.users.get(record.poolId, record.usernameKey);
  // A user deleted and created again under the same name is another user (another sub).
  if (!user || user.sub !== record.sub) {
    throw request.missingUser === "userNotFound" ? Errors.userNotFound() : Errors.invalidRefreshToken();
  }
  if (!user.enabled) throw Errors.userDisabled();
  assertUsable(record, client, now);
  return { record, user };
}

/** New ID + access tokens from a refresh token (same auth_time, origin_jti, event_id; fresh attributes and groups); no RefreshToken. */
export async function issueRefreshedTokens(
  services: Services,
  args: {
    pool: PoolRecord;
    client: ClientRecord;
    user: UserRecord;
    record: RefreshTokenRecord;
    now: Date;
    customization?: TokenCustomization;
  },
): Promise<AuthenticationResultType> {
  const tokens = await signTokens(services, { ...args, family: familyOf(args.record) });
  return {
    AccessToken: tokens.AccessToken,
    ExpiresIn: tokens.ExpiresIn,
    TokenType: "Bearer",
    IdToken: tokens.IdToken,
  };
}

/**
 * Another request rotated the token first (perhaps at the same moment, on another instance): this
 * one may rotate it again only as a retry within the client's grace period, counted from that
 * first rotation. Without a grace period exactly one of two concurrent rotations wins.
 */
async function assertRetryWithinGrace(tx: Store, tokenHash: string, client: ClientRecord, now: Date) {
  const rotatedAt = (await tx.refreshTokens.get(tokenHash))?.rotatedAt;
  const graceMs = refreshTokenRotation(client).retryGracePeriodSeconds * 1000;
  if (!rotatedAt || graceMs === 0 || now.getTime() > rotatedAt.getTime() + graceMs) {
    throw Errors.refreshTokenReused();
  }
}

/**
 * Rotation (RefreshTokenRotation ENABLED): a new refresh token of the same family that expires
 * when the old one does; the old one stays usable for the client's grace period.
 */
export async function rotateRefreshToken(
  services: Services,
  args: { pool: PoolRecord; client: ClientRecord; user: UserRecord; record: RefreshTokenRecord; now: Date },
): Promise<string> {
  const refreshToken = newRefreshTokenString();
  const record = newRefreshRecord(hashRefreshToken(refreshToken), {
    ...args,
    family: familyOf(args.record),
    expiresAt: args.record.expiresAt,
  });
  await services.store.transaction(async (tx) => {
    if (!(await tx.refreshTokens.markRotated(args.record.tokenHash, args.now))) {
      await assertRetryWithinGrace(tx, args.record.tokenHash, args.client, args.now);
    }
    await tx.refreshTokens.insert(record);
  });
  return refreshToken;
}

// ---------------------------------------------------------------------------------------------
// Sweeping expired refresh tokens

/** How often (in sign-ins) expired refresh tokens are swept away. */
const SWEEP_EVERY_SIGN_INS = 1000;
/**
 * Access and ID tokens live at most a day (TOKENS.md §4); a refresh token's row, which carries the
 * revocation of every token of its sign-in, is kept that long past its own expiry.
 */
const LONGEST_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
const signInsSinceSweep = new WeakMap<Services, number>();

/** Deletes refresh tokens that expired long enough ago that no token of their sign-in can still be alive. */
export async function sweepExpiredRefreshTokens(services: Services, now: Date): Promise<number> {
  return services.store.refreshTokens.deleteExpired(new Date(now.getTime() - LONGEST_TOKEN_LIFETIME_MS));
}

/** Every SWEEP_EVERY_SIGN_INS-th sign-in also sweeps, in the background; a failed sweep waits for the next. */
function sweepNowAndThen(services: Services, now: Date): void {
  const count = (signInsSinceSweep.get(services) ?? 0) + 1;
  signInsSinceSweep.set(services, count % SWEEP_EVERY_SIGN_INS);
  if (count < SWEEP_EVERY_SIGN_INS) return;
  sweepExpiredRefreshTokens(services, now).catch(() => undefined);
}

// ---------------------------------------------------------------------------------------------
// Revocation

/** Revokes one sign-in: its refresh tokens and every access and ID token descended from it. */
export async function revokeFamily(store: Store, record: RefreshTokenRecord, now: Date): Promise<void> {
  await store.refreshTokens.revokeFamily(record.originJti, now);
}

/** Revokes every refresh token of the user and the access tokens descended from them (sign-out, disable). */
export async function revokeAllForUser(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  now: Date = new Date(),
): Promise<void> {
  await store.refreshTokens.revokeAllForUser(pool.id, user.usernameKey, now);
}
