/**
 * The one store conformance suite: every repository operation, run unchanged on SQLite and on
 * PostgreSQL. A behaviour that differs between the two fails here.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DuplicateKeyError } from "../../src/store/duplicates.js";
import type { Store } from "../../src/store/store.js";
import { dialects, type TestDatabase } from "./databases.js";
import {
  authEvent,
  authSession,
  byteOrder,
  client,
  code,
  device,
  fullAuthEvent,
  group,
  message,
  pool,
  refreshToken,
  signingKey,
  T0,
  T1,
  user,
} from "./fixtures.js";

const P = "us-east-1_pool1";
const OTHER = "us-east-1_pool2";

/** Text that sorts differently by bytes than by any human locale (case, accents, punctuation). */
const MIXED_KEYS = ["b", "B", "a", "A", "_x", "é", "e", "z", "Z9", "a-b", "ab", "~"];

describe.each(await dialects())("store on $name", (dialect) => {
  const test = dialect.skipReason ? it.skip : it;
  if (dialect.skipReason) it.skip(`skipped: ${dialect.skipReason}`, () => {});

  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    if (dialect.skipReason) return;
    db = await dialect.open();
    store = db.store;
  });
  beforeEach(async () => {
    if (dialect.skipReason) return;
    await db.reset();
  });
  afterAll(async () => {
    if (dialect.skipReason) return;
    await db.close();
  });

  async function insertUsers(keys: string[], poolId = P): Promise<void> {
    for (const key of keys) await store.users.insert(user(poolId, key));
  }

  describe("pools", () => {
    test("round-trips a pool, updates it and deletes it", async () => {
      await store.pools.insert(pool(P));
      expect(await store.pools.get(P)).toEqual(pool(P));
      const changed = pool(P, { name: "renamed", config: { MfaConfiguration: "ON" }, updatedAt: T1 });
      await store.pools.update(changed);
      expect(await store.pools.get(P)).toEqual(changed);
      await store.pools.delete(P);
      expect(await store.pools.get(P)).toBeUndefined();
    });

    test("refuses a second pool with the same id", async () => {
      await store.pools.insert(pool(P));
      await expect(store.pools.insert(pool(P, { name: "again" }))).rejects.toBeInstanceOf(DuplicateKeyError);
      expect((await store.pools.get(P))?.name).toBe(`pool ${P}`);
    });

    test("lists pools in byte order of id, a page at a time", async () => {
      const ids = MIXED_KEYS.map((k) => `us-east-1_${k}`);
      for (const id of ids) await store.pools.insert(pool(id));
      const expected = byteOrder(ids);
      const first = await store.pools.list(5);
      expect(first.map((p) => p.id)).toEqual(expected.slice(0, 5));
      const rest = await store.pools.list(100, first[4].id);
      expect(rest.map((p) => p.id)).toEqual(expected.slice(5));
    });

    test("deleting a pool deletes everything in it and nothing in other pools", async () => {
      for (const id of [P, OTHER]) {
        await store.pools.insert(pool(id));
        await store.clients.insert(client(`client-${id}`, id));
        await store.users.insert(user(id, "alice"));
        await store.users.setAliases(id, "alice", ["email:alice@example.com"]);
        await store.groups.insert(group(id, "admins"));
        await store.groups.addMember(id, "admins", "alice");
        await store.outbox.insert(message(`m-${id}`, { poolId: id }));
        await store.codes.put(code(id, "alice"));
        await store.authSessions.insert(authSession(`s-${id}`, { poolId: id }));
        await store.lockouts.addFailure(id, "alice", T0, 60_000);
        await store.signingKeys.insert(signingKey(`k-${id}`, { poolId: id }));
        await store.refreshTokens.insert(refreshToken(`r-${id}`, { poolId: id }));
        await store.devices.insert(device(`d-${id}`, { poolId: id }));
      }
      await store.pools.delete(P);
      expect(await store.clients.get(`client-${P}`)).toBeUndefined();
      expect(await store.users.get(P, "alice")).toBeUndefined();
      expect(await store.users.getByAlias(P, "email:alice@example.com")).toBeUndefined();
      expect(await store.groups.get(P, "admins")).toBeUndefined();
      expect(await store.groups.listForUser(P, "alice", 10)).toEqual([]);
      expect(await store.outbox.list({ poolId: P })).toEqual([]);
      expect(await store.codes.get(P, "alice", "signup")).toBeUndefined();
      expect(await store.authSessions.get(`s-${P}`)).toBeUndefined();
      expect(await store.lockouts.get(P, "alice")).toBeUndefined();
      expect(await store.signingKeys.listLive(P)).toEqual([]);
      expect(await store.refreshTokens.get(`r-${P}`)).toBeUndefined();
      expect(await store.devices.get(P, `d-${P}`)).toBeUndefined();

      expect(await store.pools.get(OTHER)).toBeDefined();
      expect(await store.clients.get(`client-${OTHER}`)).toBeDefined();
      expect((await store.users.getByAlias(OTHER, "email:alice@example.com"))?.usernameKey).toBe("alice");
      expect((await store.groups.listForUser(OTHER, "alice", 10)).map((g) => g.name)).toEqual(["admins"]);
      expect(await store.outbox.list({ poolId: OTHER })).toHaveLength(1);
      expect(await store.codes.get(OTHER, "alice", "signup")).toBeDefined();
      expect(await store.authSessions.get(`s-${OTHER}`)).toBeDefined();
      expect(await store.lockouts.get(OTHER, "alice")).toBeDefined();
      expect(await store.signingKeys.listLive(OTHER)).toHaveLength(1);
      expect(await store.refreshTokens.get(`r-${OTHER}`)).toBeDefined();
      expect(await store.devices.get(OTHER, `d-${OTHER}`)).toBeDefined();
    });
  });

  describe("clients", () => {
    test("round-trips a client with and without a secret, updates and deletes it", async () => {
      const plain = client("c1", P);
      const secret = client("c2", P, { secrets: [{ id: "c2--1", value: "s".repeat(51), createdAt: T0 }] });
      await store.clients.insert(plain);
      await store.clients.insert(secret);
      expect(await store.clients.get("c1")).toEqual(plain);
      expect(await store.clients.get("c2")).toEqual(secret);
      const changed = client("c1", P, {
        name: "renamed",
        config: { RefreshTokenValidity: 5 },
        updatedAt: T1,
      });
      await store.clients.update(changed);
      expect(await store.clients.get("c1")).toEqual(changed);
      await store.clients.delete("c1");
      expect(await store.clients.get("c1")).toBeUndefined();
      expect(await store.clients.get("c2")).toEqual(secret);
    });

    test("refuses a second client with the same id", async () => {
      await store.clients.insert(client("c1", P));
      await expect(store.clients.insert(client("c1", OTHER))).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    test("lists a pool's clients in byte order of id, a page at a time", async () => {
      for (const id of MIXED_KEYS) await store.clients.insert(client(id, P));
      await store.clients.insert(client("elsewhere", OTHER));
      const expected = byteOrder(MIXED_KEYS);
      const first = await store.clients.list(P, 4);
      expect(first.map((c) => c.id)).toEqual(expected.slice(0, 4));
      const rest = await store.clients.list(P, 100, first[3].id);
      expect(rest.map((c) => c.id)).toEqual(expected.slice(4));
    });
  });

  describe("resource servers", () => {
    const server = (
      poolId: string,
      identifier: string,
      scopes = [{ ScopeName: "read", ScopeDescription: "Read" }],
    ) => ({
      poolId,
      identifier,
      name: `server ${identifier}`,
      scopes,
    });

    test("round-trips, updates, counts and deletes a pool's servers", async () => {
      await store.resourceServers.insert(server(P, "https://api.example.com"));
      await store.resourceServers.insert(server(OTHER, "https://api.example.com", []));
      expect(await store.resourceServers.get(P, "https://api.example.com")).toEqual(
        server(P, "https://api.example.com"),
      );
      const changed = { ...server(P, "https://api.example.com", []), name: "renamed" };
      await store.resourceServers.update(changed);
      expect(await store.resourceServers.get(P, "https://api.example.com")).toEqual(changed);
      expect(await store.resourceServers.count(P)).toBe(1);
      await store.resourceServers.delete(P, "https://api.example.com");
      expect(await store.resourceServers.get(P, "https://api.example.com")).toBeUndefined();
      expect(await store.resourceServers.get(OTHER, "https://api.example.com")).toEqual(
        server(OTHER, "https://api.example.com", []),
      );
    });

    test("refuses a second server with the same identifier in a pool", async () => {
      await store.resourceServers.insert(server(P, "api"));
      await expect(store.resourceServers.insert(server(P, "api", []))).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
    });

    test("lists a pool's servers in byte order of identifier, a page at a time", async () => {
      for (const id of MIXED_KEYS) await store.resourceServers.insert(server(P, id));
      const expected = byteOrder(MIXED_KEYS);
      const first = await store.resourceServers.list(P, 4);
      expect(first.map((s) => s.identifier)).toEqual(expected.slice(0, 4));
      const rest = await store.resourceServers.list(P, 100, first[3].identifier);
      expect(rest.map((s) => s.identifier)).toEqual(expected.slice(4));
    });

    test("go with their pool", async () => {
      await store.pools.insert(pool(P));
      await store.resourceServers.insert(server(P, "api"));
      await store.pools.delete(P);
      expect(await store.resourceServers.count(P)).toBe(0);
    });
  });

  describe("users", () => {
    test("round-trips every field of a user", async () => {
      const disabled = user(P, "alice", { enabled: false, status: "FORCE_CHANGE_PASSWORD", updatedAt: T1 });
      await store.users.insert(disabled);
      expect(await store.users.get(P, "alice")).toEqual(disabled);
      const noPassword = user(P, "bob", { password: null, passwordHistory: [], extra: {}, attributes: {} });
      await store.users.insert(noPassword);
      expect(await store.users.get(P, "bob")).toEqual(noPassword);
    });

    test("finds a user by sub, only in its own pool", async () => {
      await store.users.insert(user(P, "alice", { sub: "sub-1" }));
      expect((await store.users.getBySub(P, "sub-1"))?.usernameKey).toBe("alice");
      expect(await store.users.getBySub(OTHER, "sub-1")).toBeUndefined();
      expect(await store.users.getBySub(P, "SUB-1")).toBeUndefined();
    });

    test("refuses a second user with the same key or the same sub in a pool", async () => {
      await store.users.insert(user(P, "alice", { sub: "sub-1" }));
      await expect(store.users.insert(user(P, "alice", { sub: "sub-2" }))).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
      await expect(store.users.insert(user(P, "bob", { sub: "sub-1" }))).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
      expect(await store.users.get(P, "bob")).toBeUndefined();
      expect(await store.users.count(P)).toBe(1);
    });

    test("allows the same key and sub in another pool", async () => {
      await store.users.insert(user(P, "alice", { sub: "sub-1" }));
      await store.users.insert(user(OTHER, "alice", { sub: "sub-1" }));
      expect(await store.users.count(P)).toBe(1);
      expect(await store.users.count(OTHER)).toBe(1);
    });

    test("keys are case-sensitive: alice and Alice are two users", async () => {
      await store.users.insert(user(P, "alice"));
      await store.users.insert(user(P, "Alice"));
      expect((await store.users.get(P, "Alice"))?.usernameKey).toBe("Alice");
      expect((await store.users.get(P, "alice"))?.usernameKey).toBe("alice");
      expect(await store.users.get(P, "ALICE")).toBeUndefined();
    });

    test("an update changes every field, including the columns filters search", async () => {
      await store.users.insert(user(P, "alice"));
      const changed = user(P, "alice", {
        username: "Alice",
        status: "RESET_REQUIRED",
        enabled: false,
        attributes: { email: "new@example.com", family_name: "Smith" },
        password: { salt: "ffff", verifier: "eeee", setAt: T1 },
        passwordHistory: [],
        extra: { lockout: 2 },
        updatedAt: T1,
      });
      await store.users.update(changed);
      expect(await store.users.get(P, "alice")).toEqual(changed);
      const byNewEmail = await store.users.list(P, 10, undefined, {
        field: "email",
        op: "=",
        value: "new@example.com",
      });
      expect(byNewEmail.map((u) => u.usernameKey)).toEqual(["alice"]);
      const byOldEmail = await store.users.list(P, 10, undefined, {
        field: "email",
        op: "=",
        value: "alice@example.com",
      });
      expect(byOldEmail).toEqual([]);
      const byGivenName = await store.users.list(P, 10, undefined, {
        field: "given_name",
        op: "=",
        value: "Given",
      });
      expect(byGivenName).toEqual([]);
    });

    test("aliases point to a user, are replaced whole, and move when released", async () => {
      await insertUsers(["alice", "bob"]);
      await store.users.setAliases(P, "alice", ["email:a@example.com", "phone_number:+15550100"]);
      expect((await store.users.getByAlias(P, "email:a@example.com"))?.usernameKey).toBe("alice");
      expect((await store.users.getByAlias(P, "phone_number:+15550100"))?.usernameKey).toBe("alice");
      expect(await store.users.getByAlias(OTHER, "email:a@example.com")).toBeUndefined();

      await store.users.setAliases(P, "alice", ["email:a2@example.com"]);
      expect(await store.users.getByAlias(P, "email:a@example.com")).toBeUndefined();
      expect(await store.users.getByAlias(P, "phone_number:+15550100")).toBeUndefined();
      expect((await store.users.getByAlias(P, "email:a2@example.com"))?.usernameKey).toBe("alice");

      await store.users.releaseAlias(P, "email:a2@example.com");
      await store.users.setAliases(P, "bob", ["email:a2@example.com"]);
      expect((await store.users.getByAlias(P, "email:a2@example.com"))?.usernameKey).toBe("bob");

      await store.users.setAliases(P, "bob", []);
      expect(await store.users.getByAlias(P, "email:a2@example.com")).toBeUndefined();
    });

    test("an alias another user holds is refused; alias keys are case-sensitive", async () => {
      await insertUsers(["alice", "bob"]);
      await store.users.setAliases(P, "alice", ["email:a@example.com"]);
      await expect(store.users.setAliases(P, "bob", ["email:a@example.com"])).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
      expect((await store.users.getByAlias(P, "email:a@example.com"))?.usernameKey).toBe("alice");
      await store.users.setAliases(P, "bob", ["email:A@example.com"]);
      expect((await store.users.getByAlias(P, "email:A@example.com"))?.usernameKey).toBe("bob");
    });

    test("deleting a user deletes its aliases, memberships, codes, lockout and devices, and only its own", async () => {
      await insertUsers(["alice", "bob"]);
      await store.groups.insert(group(P, "g"));
      for (const key of ["alice", "bob"]) {
        await store.users.setAliases(P, key, [`email:${key}@example.com`]);
        await store.groups.addMember(P, "g", key);
        await store.codes.put(code(P, key));
        await store.lockouts.addFailure(P, key, T0, 60_000);
        await store.devices.insert(device(`us-east-1_${key}`, { poolId: P, usernameKey: key }));
      }
      await store.users.delete(P, "alice");
      expect(await store.users.get(P, "alice")).toBeUndefined();
      expect(await store.users.getByAlias(P, "email:alice@example.com")).toBeUndefined();
      expect(await store.codes.get(P, "alice", "signup")).toBeUndefined();
      expect((await store.users.listInGroup(P, "g", 10)).map((u) => u.usernameKey)).toEqual(["bob"]);
      expect((await store.users.getByAlias(P, "email:bob@example.com"))?.usernameKey).toBe("bob");
      expect(await store.codes.get(P, "bob", "signup")).toBeDefined();
      expect(await store.lockouts.get(P, "alice")).toBeUndefined();
      expect(await store.lockouts.get(P, "bob")).toBeDefined();
      expect(await store.devices.get(P, "us-east-1_alice")).toBeUndefined();
      expect(await store.devices.get(P, "us-east-1_bob")).toBeDefined();
    });

    test("counts a pool's users as a number", async () => {
      expect(await store.users.count(P)).toBe(0);
      await insertUsers(["a", "b", "c"]);
      await insertUsers(["a"], OTHER);
      const n = await store.users.count(P);
      expect(typeof n).toBe("number");
      expect(n).toBe(3);
    });

    test("lists users in byte order of key, a page at a time, without skipping or repeating", async () => {
      await insertUsers(MIXED_KEYS);
      await insertUsers(["0-other-pool"], OTHER);
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.users.list(P, 5, after);
        if (page.length === 0) break;
        seen.push(...page.map((u) => u.usernameKey));
        after = page[page.length - 1].usernameKey;
      }
      expect(seen).toEqual(byteOrder(MIXED_KEYS));
    });

    test("filters by exact value, case-sensitively", async () => {
      await store.users.insert(user(P, "u1", { attributes: { email: "Ann@example.com" } }));
      await store.users.insert(user(P, "u2", { attributes: { email: "ann@example.com" } }));
      await store.users.insert(user(P, "u3", { attributes: {} }));
      const found = await store.users.list(P, 10, undefined, {
        field: "email",
        op: "=",
        value: "ann@example.com",
      });
      expect(found.map((u) => u.usernameKey)).toEqual(["u2"]);
    });

    test("filters by prefix, case-sensitively", async () => {
      const names = { u1: "Jon", u2: "jonathan", u3: "Jonas", u4: "Jo", u5: "Smith" };
      for (const [key, given_name] of Object.entries(names)) {
        await store.users.insert(user(P, key, { attributes: { given_name } }));
      }
      const found = await store.users.list(P, 10, undefined, { field: "given_name", op: "^=", value: "Jon" });
      expect(found.map((u) => u.usernameKey)).toEqual(["u1", "u3"]);
      const all = await store.users.list(P, 10, undefined, { field: "given_name", op: "^=", value: "" });
      expect(all).toHaveLength(5);
    });

    test("a prefix's LIKE wildcards and backslash match only themselves", async () => {
      const names = { u1: "a%b", u2: "a_b", u3: "axb", u4: "a\\b", u5: "aXb", u6: "a%" };
      for (const [key, family_name] of Object.entries(names)) {
        await store.users.insert(user(P, key, { attributes: { family_name } }));
      }
      const prefix = async (value: string) =>
        (await store.users.list(P, 10, undefined, { field: "family_name", op: "^=", value })).map(
          (u) => u.usernameKey,
        );
      expect(await prefix("a%")).toEqual(["u1", "u6"]);
      expect(await prefix("a_")).toEqual(["u2"]);
      expect(await prefix("a\\")).toEqual(["u4"]);
      expect(await prefix("a%b")).toEqual(["u1"]);
      expect(await prefix("ax")).toEqual(["u3"]);
    });

    test("filters by username, sub, status and enabled", async () => {
      await store.users.insert(user(P, "alice", { username: "Alice", sub: "s-1" }));
      await store.users.insert(user(P, "albert", { status: "UNCONFIRMED", enabled: false, sub: "s-2" }));
      await store.users.insert(user(P, "bob", { sub: "s-3" }));
      const keys = async (filter: Parameters<Store["users"]["list"]>[3]) =>
        (await store.users.list(P, 10, undefined, filter)).map((u) => u.usernameKey);
      expect(await keys({ field: "username", op: "^=", value: "Al" })).toEqual(["alice"]);
      expect(await keys({ field: "username", op: "^=", value: "al" })).toEqual(["albert"]);
      expect(await keys({ field: "sub", op: "=", value: "s-3" })).toEqual(["bob"]);
      expect(await keys({ field: "status", op: "=", value: "UNCONFIRMED" })).toEqual(["albert"]);
      expect(await keys({ field: "enabled", op: "=", value: "false" })).toEqual(["albert"]);
      expect(await keys({ field: "enabled", op: "=", value: "true" })).toEqual(["alice", "bob"]);
    });

    test("a filtered list pages in key order", async () => {
      for (const key of MIXED_KEYS) {
        await store.users.insert(user(P, key, { attributes: { name: key.length === 1 ? "one" : "more" } }));
      }
      const filter = { field: "name", op: "=", value: "one" } as const;
      const expected = byteOrder(MIXED_KEYS.filter((k) => k.length === 1));
      const first = await store.users.list(P, 3, undefined, filter);
      const rest = await store.users.list(P, 100, first[2].usernameKey, filter);
      expect([...first, ...rest].map((u) => u.usernameKey)).toEqual(expected);
    });

    test("lists a group's users in byte order of key, a page at a time", async () => {
      await insertUsers(MIXED_KEYS);
      await store.groups.insert(group(P, "g"));
      await store.groups.insert(group(P, "h"));
      const members = MIXED_KEYS.filter((_, i) => i % 2 === 0);
      for (const key of members) await store.groups.addMember(P, "g", key);
      await store.groups.addMember(P, "h", MIXED_KEYS[1]);
      const expected = byteOrder(members);
      const first = await store.users.listInGroup(P, "g", 2);
      const rest = await store.users.listInGroup(P, "g", 100, first[1].usernameKey);
      expect([...first, ...rest].map((u) => u.usernameKey)).toEqual(expected);
      expect(await store.users.listInGroup(OTHER, "g", 10)).toEqual([]);
    });
  });

  describe("groups", () => {
    test("round-trips a group with and without optional fields, updates and deletes it", async () => {
      const full = group(P, "admins");
      const bare = group(P, "readers", { description: null, roleArn: null, precedence: null });
      await store.groups.insert(full);
      await store.groups.insert(bare);
      expect(await store.groups.get(P, "admins")).toEqual(full);
      expect(await store.groups.get(P, "readers")).toEqual(bare);
      expect(typeof (await store.groups.get(P, "admins"))?.precedence).toBe("number");
      const changed = group(P, "admins", {
        description: "changed",
        precedence: 2_000_000_000,
        updatedAt: T1,
      });
      await store.groups.update(changed);
      expect(await store.groups.get(P, "admins")).toEqual(changed);
      await store.groups.delete(P, "admins");
      expect(await store.groups.get(P, "admins")).toBeUndefined();
    });

    test("refuses a second group of the same name in a pool; names are case-sensitive", async () => {
      await store.groups.insert(group(P, "admins"));
      await expect(store.groups.insert(group(P, "admins"))).rejects.toBeInstanceOf(DuplicateKeyError);
      await store.groups.insert(group(P, "Admins"));
      await store.groups.insert(group(OTHER, "admins"));
      expect((await store.groups.list(P, 10)).map((g) => g.name)).toEqual(["Admins", "admins"]);
    });

    test("lists groups in byte order of name, a page at a time", async () => {
      for (const name of MIXED_KEYS) await store.groups.insert(group(P, name));
      const expected = byteOrder(MIXED_KEYS);
      const first = await store.groups.list(P, 6);
      const rest = await store.groups.list(P, 100, first[5].name);
      expect([...first, ...rest].map((g) => g.name)).toEqual(expected);
    });

    test("members: adding twice is one membership; removing; listing a user's groups in order", async () => {
      await insertUsers(["alice", "bob"]);
      for (const name of MIXED_KEYS) await store.groups.insert(group(P, name));
      for (const name of MIXED_KEYS) await store.groups.addMember(P, name, "alice");
      await store.groups.addMember(P, "a", "alice");
      await store.groups.addMember(P, "a", "bob");
      const expected = byteOrder(MIXED_KEYS);
      const first = await store.groups.listForUser(P, "alice", 5);
      const rest = await store.groups.listForUser(P, "alice", 100, first[4].name);
      expect([...first, ...rest].map((g) => g.name)).toEqual(expected);

      await store.groups.removeMember(P, "a", "alice");
      expect((await store.groups.listForUser(P, "alice", 100)).map((g) => g.name)).not.toContain("a");
      expect((await store.users.listInGroup(P, "a", 10)).map((u) => u.usernameKey)).toEqual(["bob"]);
    });

    test("deleting a group ends its memberships", async () => {
      await insertUsers(["alice"]);
      await store.groups.insert(group(P, "g"));
      await store.groups.addMember(P, "g", "alice");
      await store.groups.delete(P, "g");
      expect(await store.groups.listForUser(P, "alice", 10)).toEqual([]);
      await store.groups.insert(group(P, "g"));
      expect(await store.users.listInGroup(P, "g", 10)).toEqual([]);
    });
  });

  describe("outbox", () => {
    test("lists messages newest first, filtered and limited", async () => {
      await store.outbox.insert(message("0001", { createdAt: T0 }));
      await store.outbox.insert(message("0003", { username: "bob", destination: "bob@example.com" }));
      await store.outbox.insert(message("0002", { poolId: OTHER, channel: "SMS", subject: null }));
      expect((await store.outbox.list({})).map((m) => m.id)).toEqual(["0003", "0002", "0001"]);
      expect(await store.outbox.list({ poolId: OTHER })).toEqual([
        message("0002", { poolId: OTHER, channel: "SMS", subject: null }),
      ]);
      expect((await store.outbox.list({ poolId: P, username: "alice" })).map((m) => m.id)).toEqual(["0001"]);
      expect((await store.outbox.list({ destination: "bob@example.com" })).map((m) => m.id)).toEqual([
        "0003",
      ]);
      expect((await store.outbox.list({ limit: 2 })).map((m) => m.id)).toEqual(["0003", "0002"]);
    });

    test("returns 100 messages unless asked for another number", async () => {
      for (let i = 0; i < 101; i++) await store.outbox.insert(message(String(i).padStart(4, "0")));
      const messages = await store.outbox.list({});
      expect(messages).toHaveLength(100);
      expect(messages[0].id).toBe("0100");
    });

    test("refuses a second message with the same id", async () => {
      await store.outbox.insert(message("0001"));
      await expect(store.outbox.insert(message("0001"))).rejects.toBeInstanceOf(DuplicateKeyError);
    });
  });

  describe("codes", () => {
    test("round-trips a code; a new code for the same purpose replaces it and its attempts", async () => {
      await store.codes.put(code(P, "alice"));
      expect(await store.codes.get(P, "alice", "signup")).toEqual(code(P, "alice"));
      await store.codes.recordAttempt(P, "alice", "signup");
      const replacement = code(P, "alice", { codeHash: "hash-2", expiresAt: T0, createdAt: T1 });
      await store.codes.put(replacement);
      expect(await store.codes.get(P, "alice", "signup")).toEqual(replacement);
    });

    test("keeps one code per user and purpose", async () => {
      await store.codes.put(code(P, "alice", { purpose: "signup", codeHash: "h1" }));
      await store.codes.put(code(P, "alice", { purpose: "forgot-password", codeHash: "h2" }));
      await store.codes.put(code(P, "bob", { purpose: "signup", codeHash: "h3" }));
      expect((await store.codes.get(P, "alice", "signup"))?.codeHash).toBe("h1");
      expect((await store.codes.get(P, "alice", "forgot-password"))?.codeHash).toBe("h2");
      expect((await store.codes.get(P, "bob", "signup"))?.codeHash).toBe("h3");
    });

    test("counts attempts and returns the new count; none for an absent code", async () => {
      await store.codes.put(code(P, "alice"));
      expect(await store.codes.recordAttempt(P, "alice", "signup")).toBe(1);
      expect(await store.codes.recordAttempt(P, "alice", "signup")).toBe(2);
      expect((await store.codes.get(P, "alice", "signup"))?.attempts).toBe(2);
      expect(await store.codes.recordAttempt(P, "bob", "signup")).toBeUndefined();
    });

    test("attempts from two instances at once all count", async () => {
      await store.codes.put(code(P, "alice"));
      const counts = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? db.peer : store).codes.recordAttempt(P, "alice", "signup"),
        ),
      );
      expect([...counts].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      expect((await store.codes.get(P, "alice", "signup"))?.attempts).toBe(12);
    });

    test("a code is consumed once: of two instances deleting it at once, exactly one does", async () => {
      await store.codes.put(code(P, "alice"));
      const results = await Promise.all([
        store.codes.delete(P, "alice", "signup"),
        db.peer.codes.delete(P, "alice", "signup"),
        store.codes.delete(P, "alice", "signup"),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.codes.get(P, "alice", "signup")).toBeUndefined();
      expect(await store.codes.delete(P, "alice", "signup")).toBe(false);
    });
  });

  describe("secrets", () => {
    test("creates a secret once and returns the same value after", async () => {
      expect(await store.secrets.getOrCreate("k", () => "first")).toBe("first");
      expect(await store.secrets.getOrCreate("k", () => "second")).toBe("first");
      expect(await db.peer.secrets.getOrCreate("k", () => "third")).toBe("first");
      expect(await store.secrets.getOrCreate("other", () => "x")).toBe("x");
    });

    test("instances creating the same secret at once agree on one value", async () => {
      const values = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? db.peer : store).secrets.getOrCreate("seal", () => `candidate-${i}`),
        ),
      );
      expect(new Set(values).size).toBe(1);
      expect(values[0]).toMatch(/^candidate-\d$/);
    });
  });

  describe("challenge sessions", () => {
    test("round-trips a session", async () => {
      await store.authSessions.insert(authSession("s1"));
      expect(await store.authSessions.get("s1")).toEqual(authSession("s1"));
      expect(await store.authSessions.get("S1")).toBeUndefined();
    });

    test("is consumed once: of two instances answering at once, exactly one does", async () => {
      await store.authSessions.insert(authSession("s1"));
      const results = await Promise.all([
        store.authSessions.consume("s1", T1),
        db.peer.authSessions.consume("s1", T1),
        store.authSessions.consume("s1", T1),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await store.authSessions.get("s1"))?.usedAt).toEqual(T1);
      expect(await store.authSessions.consume("absent", T1)).toBe(false);
    });

    test("purges the sessions that expired before a time, and only those", async () => {
      await store.authSessions.insert(authSession("old", { expiresAt: new Date(T1.getTime() - 1) }));
      await store.authSessions.insert(authSession("edge", { expiresAt: T1 }));
      await store.authSessions.insert(authSession("new", { expiresAt: new Date(T1.getTime() + 1) }));
      await store.authSessions.purgeExpired(T1);
      expect(await store.authSessions.get("old")).toBeUndefined();
      expect(await store.authSessions.get("edge")).toBeDefined();
      expect(await store.authSessions.get("new")).toBeDefined();
    });
  });

  describe("lockouts", () => {
    const IDLE = 15 * 60_000;
    const at = (ms: number) => new Date(T0.getTime() + ms);

    test("counts consecutive failures, and starts again after an idle period", async () => {
      expect(await store.lockouts.get(P, "alice")).toBeUndefined();
      expect(await store.lockouts.addFailure(P, "alice", at(0), IDLE)).toBe(1);
      expect(await store.lockouts.addFailure(P, "alice", at(1000), IDLE)).toBe(2);
      expect(await store.lockouts.addFailure(P, "alice", at(1000 + IDLE - 1), IDLE)).toBe(3);
      expect(await store.lockouts.get(P, "alice")).toEqual({
        poolId: P,
        usernameKey: "alice",
        failures: 3,
        lockedUntil: null,
        lastFailureAt: at(1000 + IDLE - 1),
      });
      expect(await store.lockouts.addFailure(P, "alice", at(1000 + 2 * IDLE - 1), IDLE)).toBe(1);
      expect(await store.lockouts.addFailure(P, "bob", at(0), IDLE)).toBe(1);
    });

    test("keeps a lock time, and forgets everything on delete", async () => {
      await store.lockouts.addFailure(P, "alice", T0, IDLE);
      await store.lockouts.setLockedUntil(P, "alice", T1);
      expect((await store.lockouts.get(P, "alice"))?.lockedUntil).toEqual(T1);
      await store.lockouts.setLockedUntil(P, "alice", null);
      expect((await store.lockouts.get(P, "alice"))?.lockedUntil).toBeNull();
      await store.lockouts.delete(P, "alice");
      expect(await store.lockouts.get(P, "alice")).toBeUndefined();
    });

    test("failures on two instances at once all count", async () => {
      const counts = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? db.peer : store).lockouts.addFailure(P, "alice", T0, IDLE),
        ),
      );
      expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      expect((await store.lockouts.get(P, "alice"))?.failures).toBe(10);
    });
  });

  describe("signing keys", () => {
    test("lists a pool's live keys oldest first, with their public JWK", async () => {
      await store.signingKeys.insert(signingKey("k2", { createdAt: T1 }));
      await store.signingKeys.insert(signingKey("kB", { use: "access", status: "previous" }));
      await store.signingKeys.insert(signingKey("ka", { use: "access" }));
      await store.signingKeys.insert(signingKey("elsewhere", { poolId: OTHER }));
      const live = await store.signingKeys.listLive("us-east-1_pool1");
      expect(live.map((k) => k.kid)).toEqual(["kB", "ka", "k2"]);
      expect(live[2]).toEqual(signingKey("k2", { createdAt: T1 }));
    });

    test("demotes the current key of one use; retires only a previous key; retired keys are not live", async () => {
      await store.signingKeys.insert(signingKey("id1"));
      await store.signingKeys.insert(signingKey("acc1", { use: "access" }));
      await store.signingKeys.demoteCurrent("us-east-1_pool1", "id", T1);
      const byKid = async () =>
        Object.fromEntries(
          (await store.signingKeys.listLive("us-east-1_pool1")).map((k) => [k.kid, k.status]),
        );
      expect(await byKid()).toEqual({ id1: "previous", acc1: "current" });
      expect(await store.signingKeys.retire("us-east-1_pool1", "acc1", T1)).toBe(false);
      expect(await store.signingKeys.retire("us-east-1_pool1", "id1", T1)).toBe(true);
      expect(await store.signingKeys.retire("us-east-1_pool1", "id1", T1)).toBe(false);
      expect(await byKid()).toEqual({ acc1: "current" });
    });

    test("instances creating a pool's first keys at once agree on one current key per use", async () => {
      await Promise.all(
        ["a", "b", "c", "d"].flatMap((n, i) =>
          (["id", "access"] as const).map((use) =>
            (i % 2 ? db.peer : store).signingKeys.insertFirst(signingKey(`${use}-${n}`, { use })),
          ),
        ),
      );
      const live = await store.signingKeys.listLive("us-east-1_pool1");
      expect(live.map((k) => [k.use, k.status])).toEqual(
        expect.arrayContaining([
          ["id", "current"],
          ["access", "current"],
        ]),
      );
      expect(live).toHaveLength(2);
    });

    test("says whether a key still verifies", async () => {
      await store.signingKeys.insert(signingKey("k1"));
      expect(await store.signingKeys.isLive("us-east-1_pool1", "k1")).toBe(true);
      await store.signingKeys.demoteCurrent("us-east-1_pool1", "id", T1);
      expect(await store.signingKeys.isLive("us-east-1_pool1", "k1")).toBe(true);
      await store.signingKeys.retire("us-east-1_pool1", "k1", T1);
      expect(await store.signingKeys.isLive("us-east-1_pool1", "k1")).toBe(false);
      expect(await store.signingKeys.isLive("us-east-1_pool1", "absent")).toBe(false);
      expect(await store.signingKeys.isLive(OTHER, "k1")).toBe(false);
    });

    test("deletes a pool's keys and no other pool's", async () => {
      await store.signingKeys.insert(signingKey("k1"));
      await store.signingKeys.insert(signingKey("k2", { poolId: OTHER }));
      await store.signingKeys.deleteForPool("us-east-1_pool1");
      expect(await store.signingKeys.listLive("us-east-1_pool1")).toEqual([]);
      expect(await store.signingKeys.listLive(OTHER)).toHaveLength(1);
    });
  });

  describe("refresh tokens", () => {
    test("round-trips tokens written at once, and one written in a transaction", async () => {
      const tokens = Array.from({ length: 20 }, (_, i) =>
        refreshToken(`h${i}`, { deviceKey: i % 2 ? `us-east-1_device${i}` : null }),
      );
      await Promise.all(tokens.map((t) => store.refreshTokens.insert(t)));
      for (const t of tokens) expect(await store.refreshTokens.get(t.tokenHash)).toEqual(t);
      await store.transaction((tx) => tx.refreshTokens.insert(refreshToken("in-tx")));
      expect(await store.refreshTokens.get("in-tx")).toEqual(refreshToken("in-tx"));
      expect(await store.refreshTokens.get("H0")).toBeUndefined();
    });

    test("a token written in a transaction that rolls back is gone", async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.refreshTokens.insert(refreshToken("h1"));
          throw new Error("stop");
        }),
      ).rejects.toThrow("stop");
      expect(await store.refreshTokens.get("h1")).toBeUndefined();
    });

    test("is rotated once, keeping the first rotation time", async () => {
      await store.refreshTokens.insert(refreshToken("h1"));
      expect(await store.refreshTokens.markRotated("h1", T0)).toBe(true);
      expect(await db.peer.refreshTokens.markRotated("h1", T1)).toBe(false);
      expect((await store.refreshTokens.get("h1"))?.rotatedAt).toEqual(T0);
      expect(await store.refreshTokens.markRotated("absent", T0)).toBe(false);
    });

    test("of two instances rotating a token at once, exactly one does", async () => {
      await store.refreshTokens.insert(refreshToken("h1"));
      const results = await Promise.all([
        store.transaction((tx) => tx.refreshTokens.markRotated("h1", T0)),
        db.peer.transaction((tx) => tx.refreshTokens.markRotated("h1", T1)),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test("revokes one sign-in's tokens, or all of a user's, and says whether a family is revoked", async () => {
      await store.refreshTokens.insert(refreshToken("a1", { originJti: "o1", eventId: "e1" }));
      await store.refreshTokens.insert(refreshToken("a2", { originJti: "o1", eventId: "e1" }));
      await store.refreshTokens.insert(refreshToken("b1", { originJti: "o2", eventId: "e2" }));
      await store.refreshTokens.insert(
        refreshToken("c1", { usernameKey: "bob", originJti: "o3", eventId: "e3" }),
      );
      expect(await store.refreshTokens.isFamilyRevoked({ originJti: "o1" })).toBe(false);

      await store.refreshTokens.revokeFamily("o1", T1);
      expect((await store.refreshTokens.get("a1"))?.revokedAt).toEqual(T1);
      expect((await store.refreshTokens.get("a2"))?.revokedAt).toEqual(T1);
      expect((await store.refreshTokens.get("b1"))?.revokedAt).toBeNull();
      expect(await store.refreshTokens.isFamilyRevoked({ originJti: "o1" })).toBe(true);
      expect(await store.refreshTokens.isFamilyRevoked({ eventId: "e1" })).toBe(true);
      expect(await store.refreshTokens.isFamilyRevoked({ originJti: "o2" })).toBe(false);

      await store.refreshTokens.revokeAllForUser("us-east-1_pool1", "alice", T0);
      expect((await store.refreshTokens.get("a1"))?.revokedAt).toEqual(T1);
      expect((await store.refreshTokens.get("b1"))?.revokedAt).toEqual(T0);
      expect((await store.refreshTokens.get("c1"))?.revokedAt).toBeNull();
    });

    test("deletes a user's tokens, and the expired ones, counting them", async () => {
      await store.refreshTokens.insert(refreshToken("a1"));
      await store.refreshTokens.insert(refreshToken("b1", { usernameKey: "bob", expiresAt: T0 }));
      await store.refreshTokens.insert(refreshToken("b2", { usernameKey: "bob", expiresAt: T1 }));
      await store.refreshTokens.deleteForUser("us-east-1_pool1", "alice");
      expect(await store.refreshTokens.get("a1")).toBeUndefined();
      expect(await store.refreshTokens.deleteExpired(T1)).toBe(1);
      expect(await store.refreshTokens.get("b1")).toBeUndefined();
      expect(await store.refreshTokens.get("b2")).toBeDefined();
    });
  });

  describe("devices", () => {
    const confirmed = (key: string, overrides = {}) =>
      device(key, { salt: "5a17", verifier: "7e51", confirmedAt: T1, remembered: true, ...overrides });

    test("round-trips a device, updates, touches and deletes it", async () => {
      await store.devices.insert(device("us-east-1_d1"));
      expect(await store.devices.get("us-east-1_pool1", "us-east-1_d1")).toEqual(device("us-east-1_d1"));
      const changed = confirmed("us-east-1_d1", { name: null, lastIp: "192.0.2.1", updatedAt: T1 });
      await store.devices.update(changed);
      expect(await store.devices.get("us-east-1_pool1", "us-east-1_d1")).toEqual(changed);
      await store.devices.touch("us-east-1_pool1", "us-east-1_d1", T1, null);
      expect(await store.devices.get("us-east-1_pool1", "us-east-1_d1")).toEqual({
        ...changed,
        lastAuthenticatedAt: T1,
      });
      await store.devices.touch("us-east-1_pool1", "us-east-1_d1", T1, "198.51.100.7");
      expect((await store.devices.get("us-east-1_pool1", "us-east-1_d1"))?.lastIp).toBe("198.51.100.7");
      await store.devices.delete("us-east-1_pool1", "us-east-1_d1");
      expect(await store.devices.get("us-east-1_pool1", "us-east-1_d1")).toBeUndefined();
    });

    test("is confirmed once: of two instances confirming at once, exactly one does", async () => {
      await store.devices.insert(device("us-east-1_d1"));
      const results = await Promise.all([
        store.devices.confirm(confirmed("us-east-1_d1", { verifier: "aaaa" })),
        db.peer.devices.confirm(confirmed("us-east-1_d1", { verifier: "bbbb" })),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results[0] ? "aaaa" : "bbbb";
      expect((await store.devices.get("us-east-1_pool1", "us-east-1_d1"))?.verifier).toBe(winner);
    });

    test("lists a user's confirmed devices in byte order of key, a page at a time", async () => {
      const keys = MIXED_KEYS.map((k) => `us-east-1_${k}`);
      for (const key of keys) await store.devices.insert(confirmed(key));
      await store.devices.insert(device("us-east-1_unconfirmed"));
      await store.devices.insert(confirmed("us-east-1_other-sub", { sub: "sub-earlier-alice" }));
      await store.devices.insert(confirmed("us-east-1_bob", { usernameKey: "bob", sub: "sub-bob" }));
      const alice = { usernameKey: "alice", sub: "sub-alice" };
      const first = await store.devices.listConfirmed("us-east-1_pool1", alice, 5);
      const rest = await store.devices.listConfirmed("us-east-1_pool1", alice, 100, first[4].deviceKey);
      expect([...first, ...rest].map((d) => d.deviceKey)).toEqual(byteOrder(keys));
    });
  });

  describe("spent SRP blocks", () => {
    test("a block is spent once: of two instances answering with it at once, exactly one does", async () => {
      const results = await Promise.all([
        store.spentSrpBlocks.spend("b1", T1),
        db.peer.spentSrpBlocks.spend("b1", T1),
        store.spentSrpBlocks.spend("b1", T1),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.spentSrpBlocks.spend("b2", T1)).toBe(true);
    });

    test("forgets the blocks that expired before a time, and only those", async () => {
      await store.spentSrpBlocks.spend("old", new Date(T1.getTime() - 1));
      await store.spentSrpBlocks.spend("edge", T1);
      await store.spentSrpBlocks.purgeExpired(T1);
      expect(await store.spentSrpBlocks.spend("old", T1)).toBe(true);
      expect(await store.spentSrpBlocks.spend("edge", T1)).toBe(false);
    });
  });

  describe("MFA configuration and spent TOTP steps", () => {
    test("replaces a pool's MFA factors", async () => {
      expect(await store.poolMfaConfigs.get(P)).toBeUndefined();
      const first = { poolId: P, factors: { sms: true }, updatedAt: T0 };
      await store.poolMfaConfigs.put(first);
      expect(await store.poolMfaConfigs.get(P)).toEqual(first);
      const second = {
        poolId: P,
        factors: {
          sms: false,
          softwareToken: { Enabled: true },
          email: { Message: "{####}", Subject: "Code" },
        },
        updatedAt: T1,
      };
      await db.peer.poolMfaConfigs.put(second);
      expect(await store.poolMfaConfigs.get(P)).toEqual(second);
      expect(await store.poolMfaConfigs.get(OTHER)).toBeUndefined();
    });

    test("a TOTP step is spent once per user: of two instances at once, exactly one", async () => {
      const results = await Promise.all([
        store.totpSpentSteps.spend(P, "sub-1", 1000, T0, T1),
        db.peer.totpSpentSteps.spend(P, "sub-1", 1000, T0, T1),
        store.totpSpentSteps.spend(P, "sub-1", 1000, T0, T1),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.totpSpentSteps.spend(P, "sub-1", 1001, T0, T1)).toBe(true);
      expect(await store.totpSpentSteps.spend(P, "sub-2", 1000, T0, T1)).toBe(true);
      expect(await store.totpSpentSteps.spend(OTHER, "sub-1", 1000, T0, T1)).toBe(true);
    });

    test("forgets a user's steps once they expire", async () => {
      await store.totpSpentSteps.spend(P, "sub-1", 1000, T0, T1);
      const later = new Date(T1.getTime() + 1);
      expect(
        await store.totpSpentSteps.spend(P, "sub-1", 1000, later, new Date(later.getTime() + 90_000)),
      ).toBe(true);
    });
  });

  describe("risk configurations", () => {
    test("keeps the pool's configuration and each client's apart, replacing each on put", async () => {
      const poolLevel = {
        poolId: P,
        config: { RiskExceptionConfiguration: { BlockedIPRangeList: ["192.0.2.0/24"] } },
        updatedAt: T0,
      };
      const clientLevel = {
        poolId: P,
        clientId: "c1",
        config: { CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: "BLOCK" as const } } },
        updatedAt: T0,
      };
      await store.riskConfigurations.put(poolLevel);
      await store.riskConfigurations.put(clientLevel);
      expect(await store.riskConfigurations.get(P)).toEqual(poolLevel);
      expect(await store.riskConfigurations.get(P, "c1")).toEqual(clientLevel);
      expect(await store.riskConfigurations.get(P, "c2")).toBeUndefined();
      const replaced = { ...poolLevel, config: {}, updatedAt: T1 };
      await store.riskConfigurations.put(replaced);
      expect(await store.riskConfigurations.get(P)).toEqual(replaced);
      await store.riskConfigurations.deleteForClient(P, "c1");
      expect(await store.riskConfigurations.get(P, "c1")).toBeUndefined();
      expect(await store.riskConfigurations.get(P)).toEqual(replaced);
    });
  });

  describe("auth events", () => {
    test("round-trips an event with and without its optional fields, and records feedback", async () => {
      await store.authEvents.insert(authEvent("e1"));
      await store.authEvents.insert(fullAuthEvent("e2"));
      expect(await store.authEvents.get("us-east-1_pool1", "e1")).toEqual(authEvent("e1"));
      expect(await store.authEvents.get("us-east-1_pool1", "e2")).toEqual(fullAuthEvent("e2"));
      await store.authEvents.setFeedback("us-east-1_pool1", "e1", {
        value: "Invalid",
        provider: "User",
        at: T1,
      });
      expect((await store.authEvents.get("us-east-1_pool1", "e1"))?.feedback).toEqual({
        value: "Invalid",
        provider: "User",
        at: T1,
      });
    });

    test("lists a user's events newest first, ties by event id, a page at a time", async () => {
      const events = [
        authEvent("a", { createdAt: T0 }),
        authEvent("B", { createdAt: T1 }),
        authEvent("b", { createdAt: T1 }),
        authEvent("c", { createdAt: T0 }),
        authEvent("other-sub", { sub: "sub-earlier-alice", createdAt: T1 }),
        authEvent("bob", { usernameKey: "bob", sub: "sub-bob", createdAt: T1 }),
      ];
      for (const e of events) await store.authEvents.insert(e);
      const alice = { usernameKey: "alice", sub: "sub-alice" };
      const first = await store.authEvents.listForUser("us-east-1_pool1", alice, 2);
      const last = first[first.length - 1];
      const rest = await store.authEvents.listForUser("us-east-1_pool1", alice, 10, {
        createdAt: last.createdAt,
        eventId: last.eventId,
      });
      expect([...first, ...rest].map((e) => e.eventId)).toEqual(["b", "B", "c", "a"]);
    });

    test("lists a pool's latest events of every user, or of one username, newest first", async () => {
      const events = [
        authEvent("a", { createdAt: T0 }),
        authEvent("b", { createdAt: T1 }),
        authEvent("bob", { usernameKey: "bob", username: "bob", sub: "sub-bob", createdAt: T1 }),
        authEvent("nobody", { usernameKey: "ghost", username: "ghost", sub: "", createdAt: T0 }),
        authEvent("elsewhere", { poolId: "us-east-1_pool2", createdAt: T1 }),
      ];
      for (const e of events) await store.authEvents.insert(e);
      const ids = (list: { eventId: string }[]) => list.map((e) => e.eventId);
      expect(ids(await store.authEvents.listRecent("us-east-1_pool1", 10))).toEqual([
        "bob",
        "b",
        "nobody",
        "a",
      ]);
      expect(ids(await store.authEvents.listRecent("us-east-1_pool1", 2))).toEqual(["bob", "b"]);
      expect(ids(await store.authEvents.listRecent("us-east-1_pool1", 10, "Alice"))).toEqual(["b", "a"]);
    });

    test("counts an IP address's recent sign-in failures, users and attempts as numbers", async () => {
      const at = (ms: number) => new Date(T0.getTime() + ms);
      const ip = "192.0.2.1";
      await store.authEvents.insert(authEvent("1", { ip, response: "Fail", createdAt: at(0) }));
      await store.authEvents.insert(authEvent("2", { ip, response: "Fail", createdAt: at(10) }));
      await store.authEvents.insert(
        authEvent("3", { ip, response: "Fail", usernameKey: "bob", createdAt: at(20) }),
      );
      await store.authEvents.insert(authEvent("4", { ip, response: "Pass", createdAt: at(30) }));
      await store.authEvents.insert(
        authEvent("5", { ip, response: "Fail", eventType: "SignUp", createdAt: at(30) }),
      );
      await store.authEvents.insert(
        authEvent("6", { ip: "198.51.100.1", response: "Fail", createdAt: at(30) }),
      );
      await store.authEvents.insert(authEvent("7", { ip, response: "Fail", createdAt: at(-10) }));
      const counts = await store.authEvents.ipActivity("us-east-1_pool1", ip, at(0), at(15));
      expect(counts).toEqual({ failures: 3, distinctUsers: 2, attemptsSince: 2 });
      expect(await store.authEvents.ipActivity("us-east-1_pool1", "203.0.113.9", at(0), at(0))).toEqual({
        failures: 0,
        distinctUsers: 0,
        attemptsSince: 0,
      });
    });

    test("exports users' events oldest first, and deletes a user's", async () => {
      await store.authEvents.insert(authEvent("late", { createdAt: T1 }));
      await store.authEvents.insert(authEvent("early", { createdAt: T0 }));
      await store.authEvents.insert(authEvent("nobody", { sub: "", usernameKey: "ghost", createdAt: T0 }));
      await store.authEvents.insert(authEvent("elsewhere", { poolId: OTHER, createdAt: T0 }));
      const all = await store.authEvents.listAll({ poolId: "us-east-1_pool1", limit: 10 });
      expect(all.map((e) => e.eventId)).toEqual(["early", "late"]);
      expect((await store.authEvents.listAll({ since: T1, limit: 10 })).map((e) => e.eventId)).toEqual([
        "late",
      ]);
      await store.authEvents.deleteForUser("us-east-1_pool1", "alice");
      expect(await store.authEvents.get("us-east-1_pool1", "early")).toBeUndefined();
      expect(await store.authEvents.get(OTHER, "elsewhere")).toBeDefined();
    });
  });

  describe("transactions", () => {
    test("commit together", async () => {
      await store.transaction(async (tx) => {
        await tx.pools.insert(pool(P));
        await tx.users.insert(user(P, "alice"));
      });
      expect(await store.pools.get(P)).toBeDefined();
      expect(await store.users.get(P, "alice")).toBeDefined();
    });

    test("roll back together when the work throws, and pass the error on", async () => {
      const failure = new Error("stop");
      await expect(
        store.transaction(async (tx) => {
          await tx.pools.insert(pool(P));
          await tx.users.insert(user(P, "alice"));
          await tx.codes.put(code(P, "alice"));
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await store.pools.get(P)).toBeUndefined();
      expect(await store.users.get(P, "alice")).toBeUndefined();
      expect(await store.codes.get(P, "alice", "signup")).toBeUndefined();
    });

    test("a transaction inside a transaction is part of it", async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.transaction(async (inner) => inner.pools.insert(pool(P)));
          throw new Error("stop");
        }),
      ).rejects.toThrow("stop");
      expect(await store.pools.get(P)).toBeUndefined();
    });

    test("a refused duplicate leaves the transaction usable, and the rest commits", async () => {
      await store.users.insert(user(P, "alice", { sub: "taken" }));
      const outcome = await store.transaction(async (tx) => {
        const refused = await tx.users.insert(user(P, "bob", { sub: "taken" })).then(
          () => false,
          (e) => e instanceof DuplicateKeyError,
        );
        await tx.users.insert(user(P, "bob", { sub: "free" }));
        return refused;
      });
      expect(outcome).toBe(true);
      expect((await store.users.get(P, "bob"))?.sub).toBe("free");
    });

    test("read-modify-write of one user by two instances at once loses neither change", async () => {
      await store.users.insert(user(P, "alice", { attributes: {} }));
      let firstHasRead!: () => void;
      const firstRead = new Promise<void>((resolve) => {
        firstHasRead = resolve;
      });
      const addAttribute = (handle: Store, name: string, afterRead: () => Promise<void>) =>
        handle.transaction(async (tx) => {
          const current = (await tx.users.getForUpdate(P, "alice"))!;
          await afterRead();
          await tx.users.update({ ...current, attributes: { ...current.attributes, [name]: "1" } });
        });
      const first = addAttribute(store, "custom:a", async () => {
        firstHasRead();
        // Leave the second instance time to read too, were the row not held.
        await new Promise((resolve) => setTimeout(resolve, 100));
      });
      await firstRead;
      const second = addAttribute(db.peer, "custom:b", async () => {});
      await Promise.all([first, second]);
      expect((await store.users.get(P, "alice"))?.attributes).toEqual({ "custom:a": "1", "custom:b": "1" });
    });
  });

  describe("values", () => {
    test("times keep their milliseconds, from 1970 to beyond 2100", async () => {
      for (const [i, when] of [new Date(0), T0, new Date(4_200_000_000_999)].entries()) {
        await store.outbox.insert(message(`m${i}`, { createdAt: when }));
        const [stored] = await store.outbox.list({ limit: 1 });
        expect(stored.createdAt).toEqual(when);
        expect(stored.createdAt.getTime()).toBe(when.getTime());
      }
    });

    test("text keeps every character: quotes, backslashes, emoji, newlines, NUL-free unicode", async () => {
      const text = `it's "quoted" \\ back\nslash — 日本語 🙂 ${"x".repeat(2048)}`;
      await store.outbox.insert(message("m", { message: text, subject: "'; drop table outbox; --" }));
      const [stored] = await store.outbox.list({});
      expect(stored.message).toBe(text);
      expect(stored.subject).toBe("'; drop table outbox; --");
    });
  });
});
