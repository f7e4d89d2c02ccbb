/**
 * Users: finding one by any name Cognito accepts (username, alias, email/phone used as username,
 * sub), creating one, saving it with its aliases kept unique, and showing it as the API does.
 */
import { newUuid } from "../crypto/random.js";
import type { AliasAttributeType, AttributeType, UserType } from "../protocol/types.generated.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { UserFilter } from "../store/users.js";
import { isEmailFormat, isPhoneFormat, selectAttributes } from "./attributes.js";
import { type CognitoError, Errors } from "./errors.js";
import { decodeNextToken, page } from "./pagination.js";
import { usernameKey } from "./pools.js";

/** Attributes a user can sign in with besides the username. */
type SignInAttribute = AliasAttributeType;

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The pool's alias attributes plus, in email/phone-as-username pools, those attributes. */
function signInAttributes(pool: PoolRecord): SignInAttribute[] {
  return [...(pool.config.AliasAttributes ?? []), ...(pool.config.UsernameAttributes ?? [])];
}

function isUsernameAttribute(pool: PoolRecord, attribute: string): boolean {
  return (pool.config.UsernameAttributes ?? []).some((a) => a === attribute);
}

function aliasKey(pool: PoolRecord, attribute: SignInAttribute, value: string): string {
  return `${attribute}:${usernameKey(pool, value)}`;
}

function aliasAttributeOf(key: string): SignInAttribute {
  return key.slice(0, key.indexOf(":")) as SignInAttribute;
}

/**
 * The sign-in names a user holds: `preferred_username` always; an email or phone number when it
 * is verified, or (in pools that sign in with it) always, since it is the user's name there.
 */
export function aliasKeysFor(pool: PoolRecord, user: UserRecord): string[] {
  const keys: string[] = [];
  for (const attribute of signInAttributes(pool)) {
    const value = user.attributes[attribute];
    if (!value) continue;
    const active =
      attribute === "preferred_username" ||
      isUsernameAttribute(pool, attribute) ||
      user.attributes[`${attribute}_verified`] === "true";
    if (active) keys.push(aliasKey(pool, attribute, value));
  }
  return keys;
}

/**
 * The user a name refers to: the username (with the pool's case rule), else an alias or the
 * email / phone number used as username, else the `sub`.
 */
export async function findUser(
  store: Store,
  pool: PoolRecord,
  name: string,
): Promise<UserRecord | undefined> {
  // No name holds a NUL character (PostgreSQL cannot even compare one): it names no one.
  if (name.includes("\u0000")) return undefined;
  const byUsername = await store.users.get(pool.id, usernameKey(pool, name));
  if (byUsername) return byUsername;
  for (const attribute of signInAttributes(pool)) {
    const byAlias = await store.users.getByAlias(pool.id, aliasKey(pool, attribute, name));
    if (byAlias) return byAlias;
  }
  return UUID_PATTERN.test(name) ? store.users.getBySub(pool.id, name.toLowerCase()) : undefined;
}

/** The user, or `UserNotFoundException` `User does not exist.` (admin operations). */
export async function requireUser(store: Store, pool: PoolRecord, name: string): Promise<UserRecord> {
  const user = await findUser(store, pool, name);
  if (!user) throw Errors.userNotFound();
  return user;
}

/**
 * The user, read for a change inside `store.transaction()`: a concurrent change of the same user
 * waits for this one, so neither is lost. `UserNotFoundException` as `requireUser`.
 */
export async function requireUserForUpdate(tx: Store, pool: PoolRecord, name: string): Promise<UserRecord> {
  const found = await requireUser(tx, pool, name);
  const locked = await tx.users.getForUpdate(pool.id, found.usernameKey);
  if (!locked) throw Errors.userNotFound();
  return locked;
}

/** The user, or `Username/client id combination not found.` (public operations that name a client). */
export async function requireUserForClient(
  store: Store,
  pool: PoolRecord,
  name: string,
): Promise<UserRecord> {
  const user = await findUser(store, pool, name);
  if (!user) throw Errors.userNotFoundForClient();
  return user;
}

/** The user's attributes as the API lists them, `sub` first. */
export function userAttributes(user: UserRecord): AttributeType[] {
  return [
    { Name: "sub", Value: user.sub },
    ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
  ];
}

/** A user as ListUsers, AdminCreateUser and ListUsersInGroup show it. */
export function userType(user: UserRecord, attributesToGet?: string[]): UserType {
  return {
    Username: user.username,
    Attributes: selectAttributes(userAttributes(user), attributesToGet),
    UserCreateDate: user.createdAt,
    UserLastModifiedDate: user.updatedAt,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** What a requested username becomes: the username itself, or (email/phone-as-username) an attribute. */
export interface NewUsername {
  /** Undefined when the pool signs in with email / phone: the username is then the `sub`. */
  username?: string;
  signInAttribute?: { name: "email" | "phone_number"; value: string };
}

function usernameAttributeFor(pool: PoolRecord, requested: string): NewUsername {
  const allowed = pool.config.UsernameAttributes ?? [];
  if (allowed.includes("email") && isEmailFormat(requested)) {
    return { signInAttribute: { name: "email", value: requested } };
  }
  if (allowed.includes("phone_number") && isPhoneFormat(requested)) {
    return { signInAttribute: { name: "phone_number", value: requested } };
  }
  if (allowed.includes("email") && allowed.includes("phone_number"))
    throw Errors.usernameShouldBeEmailOrPhone();
  throw allowed.includes("email") ? Errors.usernameShouldBeEmail() : Errors.usernameShouldBePhone();
}

/**
 * The rules for a new user's name: in email/phone-as-username pools it must be one of those
 * (and the username becomes a UUID); in alias pools it must not look like an alias attribute.
 */
export function resolveNewUsername(pool: PoolRecord, requested: string): NewUsername {
  if (pool.config.UsernameAttributes?.length) return usernameAttributeFor(pool, requested);
  const aliases = pool.config.AliasAttributes ?? [];
  if (aliases.includes("email") && isEmailFormat(requested)) throw Errors.usernameIsEmailFormat();
  if (aliases.includes("phone_number") && isPhoneFormat(requested)) throw Errors.usernameIsPhoneFormat();
  return { username: requested };
}

/** A new user (no password, no attributes yet), with a fresh UUID v4 `sub`. */
export function newUser(
  pool: PoolRecord,
  options: { username?: string; status: UserRecord["status"]; now: Date },
): UserRecord {
  const sub = newUuid();
  const username = options.username ?? sub;
  return {
    poolId: pool.id,
    username,
    usernameKey: usernameKey(pool, username),
    sub,
    status: options.status,
    enabled: true,
    attributes: {},
    password: null,
    passwordHistory: [],
    extra: {},
    createdAt: options.now,
    updatedAt: options.now,
  };
}

/** True when the pool already has a user under this username. */
export async function usernameTaken(store: Store, pool: PoolRecord, username: string): Promise<boolean> {
  return (await store.users.get(pool.id, usernameKey(pool, username))) !== undefined;
}

/** `ForceAliasCreation`: the other user keeps the value but it is no longer verified nor an alias. */
async function takeAlias(store: Store, pool: PoolRecord, holder: UserRecord, attribute: SignInAttribute) {
  const attributes = { ...holder.attributes, [`${attribute}_verified`]: "false" };
  const updated = { ...holder, attributes };
  await store.users.update(updated);
  await store.users.setAliases(pool.id, holder.usernameKey, aliasKeysFor(pool, updated));
}

/** The user's sign-in names that another user holds, with that user. */
async function aliasConflicts(store: Store, pool: PoolRecord, user: UserRecord) {
  const conflicts: { attribute: SignInAttribute; holder: UserRecord }[] = [];
  for (const key of aliasKeysFor(pool, user)) {
    const holder = await store.users.getByAlias(pool.id, key);
    if (holder && holder.usernameKey !== user.usernameKey)
      conflicts.push({ attribute: aliasAttributeOf(key), holder });
  }
  return conflicts;
}

/** The error for a sign-in name held by another user, unless `force` may move it (email / phone aliases). */
function conflictError(pool: PoolRecord, attribute: SignInAttribute, force: boolean) {
  if (isUsernameAttribute(pool, attribute)) return Errors.usernameAttributeExists(attribute);
  if (!force || attribute === "preferred_username") return Errors.aliasExists(attribute);
  return undefined;
}

/** Throws when saving the user would take a sign-in name from another user without `force`. */
export async function assertAliasesAvailable(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  force = false,
): Promise<void> {
  for (const { attribute } of await aliasConflicts(store, pool, user)) {
    const error = conflictError(pool, attribute, force);
    if (error) throw error;
  }
}

/** Checks that no other user holds one of the user's sign-in names; moves it when forced. */
async function claimAliases(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  force: boolean,
): Promise<string[]> {
  for (const { attribute, holder } of await aliasConflicts(store, pool, user)) {
    const error = conflictError(pool, attribute, force);
    if (error) throw error;
    await takeAlias(store, pool, holder, attribute);
  }
  return aliasKeysFor(pool, user);
}

export interface SaveUserOptions {
  /** Insert rather than update. */
  isNew?: boolean;
  /** Move an email / phone alias from the user who holds it instead of failing. */
  forceAliasCreation?: boolean;
  /** The error for a username taken meanwhile (AdminCreateUser's and SignUp's words differ). */
  usernameExists?: () => CognitoError;
}

/**
 * Writes the user and its aliases. An alias another user holds fails with `AliasExistsException`
 * (or `UsernameExistsException` in pools that sign in with that attribute) unless forced.
 * Call it inside `store.transaction()` together with the change that led to it.
 */
export async function saveUser(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  options: SaveUserOptions = {},
): Promise<void> {
  const keys = await claimAliases(store, pool, user, options.forceAliasCreation === true);
  try {
    if (options.isNew) await store.users.insert(user);
    else await store.users.update(user);
    await store.users.setAliases(pool.id, user.usernameKey, keys);
  } catch (error) {
    // A concurrent request took the username or an alias between our check and our write.
    if (!(error instanceof DuplicateKeyError)) throw error;
    if (error.table === "users") throw (options.usernameExists ?? Errors.usernameExists)();
    throw Errors.aliasExists(keys.length ? aliasAttributeOf(keys[0]) : undefined);
  }
}

/** Deletes the user with its aliases, group memberships and codes. */
export async function deleteUser(store: Store, pool: PoolRecord, user: UserRecord): Promise<void> {
  await store.users.delete(pool.id, user.usernameKey);
}

// ---------------------------------------------------------------------------------------------
// ListUsers: the filter grammar and pagination.

/** What a filter name searches [API ListUsers]; custom attributes are not searchable. */
const FILTER_FIELDS: Record<string, UserFilter["field"]> = {
  username: "username",
  email: "email",
  phone_number: "phone_number",
  name: "name",
  given_name: "given_name",
  family_name: "family_name",
  preferred_username: "preferred_username",
  "cognito:user_status": "status",
  status: "enabled",
  sub: "sub",
};

/** `name = "value"` or `name ^= "value"`, spaces optional, `\"` and `\\` escaped in the value. */
const FILTER_PATTERN = /^\s*([^\s=^"]+)\s*(\^=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** A filter that matches no user: a status value other than Enabled / Disabled. */
const MATCHES_NOTHING: UserFilter = { field: "status", op: "=", value: "" };

function filterValue(field: UserFilter["field"], raw: string): string | undefined {
  const value = raw.replace(/\\(.)/g, "$1");
  if (field === "status") return value.toUpperCase(); // cognito:user_status is case-insensitive
  if (field === "enabled") return value === "Enabled" ? "true" : value === "Disabled" ? "false" : undefined;
  return value;
}

/** The ListUsers filter as the store understands it; undefined for an empty filter. */
export function parseUserFilter(filter: string | undefined): UserFilter | undefined {
  if (filter === undefined || filter.trim() === "") return undefined;
  const match = FILTER_PATTERN.exec(filter);
  if (!match) throw Errors.filterParse();
  const [, name, op, raw] = match;
  const field = FILTER_FIELDS[name];
  if (!field) throw Errors.invalidSearchAttribute(name);
  const value = filterValue(field, raw);
  return value === undefined ? MATCHES_NOTHING : { field, op: op as UserFilter["op"], value };
}

/** Page sizes: the model caps Limit at 60, and 0 or absent means the largest page. */
const MAX_PAGE_SIZE = 60;

export function pageSize(limit: number | undefined): number {
  return limit ? Math.min(limit, MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
}

export interface ListUsersQuery {
  filter?: string;
  limit?: number;
  paginationToken?: string;
}

export async function listUsers(
  store: Store,
  pool: PoolRecord,
  query: ListUsersQuery,
): Promise<{ users: UserRecord[]; next?: string }> {
  const filter = parseUserFilter(query.filter);
  const size = pageSize(query.limit);
  const after = decodeNextToken(query.paginationToken);
  const fetched = await store.users.list(pool.id, size + 1, after, filter);
  const { items, nextToken } = page(fetched, size, (u) => u.usernameKey);
  return { users: items, next: nextToken };
}
