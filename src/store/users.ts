import { CompiledInsert, CompiledLookup } from "./compiled.js";
import { forUpdate, startsWith } from "./dialect.js";
import { refuseDuplicate } from "./duplicates.js";
import { date, fromJson, ms, toJson } from "./json.js";
import type { UserRecord } from "./records.js";
import type { UserAliasesTable, UsersTable } from "./schema.js";
import type { Db } from "./store.js";

/** Attributes kept as columns so ListUsers can filter in the database. */
export const FILTER_COLUMNS = [
  "email",
  "phone_number",
  "name",
  "given_name",
  "family_name",
  "preferred_username",
] as const;
export type FilterColumn = (typeof FILTER_COLUMNS)[number];

/** What ListUsers may search: an attribute column, the username, the sub or the status. */
export interface UserFilter {
  field: FilterColumn | "username" | "sub" | "status" | "enabled";
  op: "=" | "^=";
  value: string;
}

function toRecord(row: UsersTable): UserRecord {
  return {
    poolId: row.pool_id,
    username: row.username,
    usernameKey: row.username_key,
    sub: row.sub,
    status: row.status as UserRecord["status"],
    enabled: Number(row.enabled) === 1,
    attributes: fromJson(row.attributes, {}),
    password:
      row.password_salt && row.password_verifier
        ? { salt: row.password_salt, verifier: row.password_verifier, setAt: date(row.password_set_at ?? 0) }
        : null,
    passwordHistory: fromJson(row.password_history, []),
    extra: fromJson(row.extra, {}),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

function toRow(user: UserRecord): UsersTable {
  const column = (name: FilterColumn) => user.attributes[name] ?? null;
  return {
    pool_id: user.poolId,
    username: user.username,
    username_key: user.usernameKey,
    sub: user.sub,
    status: user.status,
    enabled: user.enabled ? 1 : 0,
    attributes: toJson(user.attributes),
    email: column("email"),
    phone_number: column("phone_number"),
    name: column("name"),
    given_name: column("given_name"),
    family_name: column("family_name"),
    preferred_username: column("preferred_username"),
    password_salt: user.password?.salt ?? null,
    password_verifier: user.password?.verifier ?? null,
    password_set_at: user.password ? ms(user.password.setAt) : null,
    password_history: toJson(user.passwordHistory),
    extra: toJson(user.extra),
    created_at: ms(user.createdAt),
    updated_at: ms(user.updatedAt),
  };
}

/** A list in slices of at most `size` items, for statements with a bounded number of values. */
function slices<T>(items: T[], size = 500): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

// User import writes users and aliases many at a time (insertMany), compiled once per row count.
const insertUsers = new CompiledInsert((db: Db, rows: UsersTable[]) => db.insertInto("users").values(rows));
const insertAliases = new CompiledInsert((db: Db, rows: UserAliasesTable[]) =>
  db.insertInto("user_aliases").values(rows),
);

const userByKey = new CompiledLookup((db: Db, poolId: string, usernameKey: string) =>
  db.selectFrom("users").selectAll().where("pool_id", "=", poolId).where("username_key", "=", usernameKey),
);

export class UserRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, usernameKey: string): Promise<UserRecord | undefined> {
    const row = await userByKey.executeTakeFirst(this.db, poolId, usernameKey);
    return row && toRecord(row);
  }

  /**
   * Reads the user for a read-modify-write inside `store.transaction()`: a concurrent writer of
   * the same user waits until this transaction ends, so neither update is lost.
   */
  async getForUpdate(poolId: string, usernameKey: string): Promise<UserRecord | undefined> {
    const query = this.db
      .selectFrom("users")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey);
    const row = await forUpdate(this.db, query).executeTakeFirst();
    return row && toRecord(row);
  }

  async getBySub(poolId: string, sub: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom("users")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("sub", "=", sub)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** The user an alias (`email:…`, `phone_number:…`, `preferred_username:…`) points to. */
  async getByAlias(poolId: string, aliasKey: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom("user_aliases")
      .innerJoin("users", (j) =>
        j
          .onRef("users.pool_id", "=", "user_aliases.pool_id")
          .onRef("users.username_key", "=", "user_aliases.username_key"),
      )
      .selectAll("users")
      .where("user_aliases.pool_id", "=", poolId)
      .where("user_aliases.alias_key", "=", aliasKey)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Throws DuplicateKeyError when the pool has a user with the same key or the same sub. */
  async insert(user: UserRecord): Promise<void> {
    await refuseDuplicate(this.db, "users", () => this.db.insertInto("users").values(toRow(user)).execute());
  }

  async update(user: UserRecord): Promise<void> {
    const { pool_id, username_key, ...rest } = toRow(user);
    await this.db
      .updateTable("users")
      .set(rest)
      .where("pool_id", "=", pool_id)
      .where("username_key", "=", username_key)
      .execute();
  }

  /** Deletes the user with its aliases, group memberships and the links of outside identities to it. */
  async delete(poolId: string, usernameKey: string): Promise<void> {
    for (const table of [
      "user_aliases",
      "group_members",
      "codes",
      "lockouts",
      "devices",
      "webauthn_credentials",
      "webauthn_registrations",
      "identity_links",
      "user_attempts",
      "users",
    ] as const) {
      await this.db
        .deleteFrom(table)
        .where("pool_id", "=", poolId)
        .where("username_key", "=", usernameKey)
        .execute();
    }
  }

  /** Of these username keys, the ones the pool has a user under. */
  async existingKeys(poolId: string, keys: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const slice of slices(keys)) {
      const rows = await this.db
        .selectFrom("users")
        .select("username_key")
        .where("pool_id", "=", poolId)
        .where("username_key", "in", slice)
        .execute();
      for (const row of rows) found.add(row.username_key);
    }
    return found;
  }

  /** Of these alias keys, the ones a user of the pool holds. */
  async existingAliases(poolId: string, aliasKeys: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const slice of slices(aliasKeys)) {
      const rows = await this.db
        .selectFrom("user_aliases")
        .select("alias_key")
        .where("pool_id", "=", poolId)
        .where("alias_key", "in", slice)
        .execute();
      for (const row of rows) found.add(row.alias_key);
    }
    return found;
  }

  /**
   * Inserts new users with their aliases, many rows a statement (user import). DuplicateKeyError
   * when one of them is taken: some may have been written, so the caller rolls its transaction back.
   */
  async insertMany(users: { user: UserRecord; aliasKeys: string[] }[]): Promise<void> {
    const aliases = users.flatMap(({ user, aliasKeys }) =>
      aliasKeys.map((alias_key) => ({ pool_id: user.poolId, alias_key, username_key: user.usernameKey })),
    );
    await refuseDuplicate(this.db, "users", async () => {
      // Forty users a statement: SQL short enough for SQLite's statement cache (sqlite-driver.ts).
      for (const slice of slices(users, 40)) {
        await insertUsers.execute(
          this.db,
          slice.map(({ user }) => toRow(user)),
        );
      }
      for (const slice of slices(aliases, 64)) await insertAliases.execute(this.db, slice);
    });
  }

  /** Replaces the aliases that point to a user; DuplicateKeyError if another user holds one. */
  async setAliases(poolId: string, usernameKey: string, aliasKeys: string[]): Promise<void> {
    await this.db
      .deleteFrom("user_aliases")
      .where("pool_id", "=", poolId)
      .where("username_key", "=", usernameKey)
      .execute();
    if (aliasKeys.length === 0) return;
    await refuseDuplicate(this.db, "user_aliases", () =>
      this.db
        .insertInto("user_aliases")
        .values(aliasKeys.map((alias_key) => ({ pool_id: poolId, alias_key, username_key: usernameKey })))
        .execute(),
    );
  }

  /** Removes an alias from whichever user holds it (an alias moves to the user who claims it). */
  async releaseAlias(poolId: string, aliasKey: string): Promise<void> {
    await this.db
      .deleteFrom("user_aliases")
      .where("pool_id", "=", poolId)
      .where("alias_key", "=", aliasKey)
      .execute();
  }

  async count(poolId: string): Promise<number> {
    const row = await this.db
      .selectFrom("users")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("pool_id", "=", poolId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Users in username-key order after `afterKey`, optionally filtered. */
  async list(poolId: string, limit: number, afterKey?: string, filter?: UserFilter): Promise<UserRecord[]> {
    let q = this.db
      .selectFrom("users")
      .selectAll()
      .where("pool_id", "=", poolId)
      .orderBy("username_key")
      .limit(limit);
    if (afterKey !== undefined) q = q.where("username_key", ">", afterKey);
    if (filter) {
      const field = filter.field === "enabled" ? "enabled" : filter.field;
      if (field === "enabled") {
        q = q.where("enabled", "=", filter.value === "true" ? 1 : 0);
      } else if (filter.op === "=") {
        q = q.where(field, "=", filter.value);
      } else {
        q = q.where(startsWith(field, filter.value));
      }
    }
    return (await q.execute()).map(toRecord);
  }

  /** Users of a group, in username-key order after `afterKey`. */
  async listInGroup(poolId: string, group: string, limit: number, afterKey?: string): Promise<UserRecord[]> {
    let q = this.db
      .selectFrom("group_members")
      .innerJoin("users", (j) =>
        j
          .onRef("users.pool_id", "=", "group_members.pool_id")
          .onRef("users.username_key", "=", "group_members.username_key"),
      )
      .selectAll("users")
      .where("group_members.pool_id", "=", poolId)
      .where("group_members.group_name", "=", group)
      .orderBy("users.username_key")
      .limit(limit);
    if (afterKey !== undefined) q = q.where("users.username_key", ">", afterKey);
    return (await q.execute()).map(toRecord);
  }
}
