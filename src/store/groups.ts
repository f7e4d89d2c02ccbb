import { sql } from "kysely";
import { CompiledLookup } from "./compiled.js";
import { refuseDuplicate } from "./duplicates.js";
import { date, ms } from "./json.js";
import type { GroupRecord } from "./records.js";
import type { GroupsTable } from "./schema.js";
import type { Db } from "./store.js";

function toRecord(row: GroupsTable): GroupRecord {
  return {
    poolId: row.pool_id,
    name: row.name,
    description: row.description,
    roleArn: row.role_arn,
    precedence: row.precedence === null ? null : Number(row.precedence),
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}

function toRow(group: GroupRecord): GroupsTable {
  return {
    pool_id: group.poolId,
    name: group.name,
    description: group.description,
    role_arn: group.roleArn,
    precedence: group.precedence,
    created_at: ms(group.createdAt),
    updated_at: ms(group.updatedAt),
  };
}

/** The user's groups by name. */
function groupsOfUser(db: Db, poolId: string, usernameKey: string) {
  return db
    .selectFrom("group_members")
    .innerJoin("groups", (j) =>
      j
        .onRef("groups.pool_id", "=", "group_members.pool_id")
        .onRef("groups.name", "=", "group_members.group_name"),
    )
    .selectAll("groups")
    .where("group_members.pool_id", "=", poolId)
    .where("group_members.username_key", "=", usernameKey)
    .orderBy("groups.name");
}

/**
 * The first page of a user's groups, per page size. The size is written into the SQL: SQLite
 * plans with a bound LIMIT's value, so a statement with `limit ?` is prepared again at every run.
 */
const firstGroupsOfUser = new Map<number, CompiledLookup<[string, string], GroupsTable>>();

function firstGroupsLookup(limit: number): CompiledLookup<[string, string], GroupsTable> {
  let lookup = firstGroupsOfUser.get(limit);
  if (!lookup) {
    const size = Math.trunc(limit);
    lookup = new CompiledLookup((db: Db, poolId: string, usernameKey: string) =>
      groupsOfUser(db, poolId, usernameKey).limit(sql.lit(size)),
    );
    firstGroupsOfUser.set(limit, lookup);
  }
  return lookup;
}

export class GroupRepository {
  constructor(private readonly db: Db) {}

  async get(poolId: string, name: string): Promise<GroupRecord | undefined> {
    const row = await this.db
      .selectFrom("groups")
      .selectAll()
      .where("pool_id", "=", poolId)
      .where("name", "=", name)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Throws DuplicateKeyError when the pool has a group of that name. */
  async insert(group: GroupRecord): Promise<void> {
    await refuseDuplicate(this.db, "groups", () =>
      this.db.insertInto("groups").values(toRow(group)).execute(),
    );
  }

  async update(group: GroupRecord): Promise<void> {
    const { pool_id, name, ...rest } = toRow(group);
    await this.db
      .updateTable("groups")
      .set(rest)
      .where("pool_id", "=", pool_id)
      .where("name", "=", name)
      .execute();
  }

  async delete(poolId: string, name: string): Promise<void> {
    await this.db
      .deleteFrom("group_members")
      .where("pool_id", "=", poolId)
      .where("group_name", "=", name)
      .execute();
    await this.db.deleteFrom("groups").where("pool_id", "=", poolId).where("name", "=", name).execute();
  }

  /** Groups in name order after `afterName`. */
  async list(poolId: string, limit: number, afterName?: string): Promise<GroupRecord[]> {
    let q = this.db
      .selectFrom("groups")
      .selectAll()
      .where("pool_id", "=", poolId)
      .orderBy("name")
      .limit(limit);
    if (afterName !== undefined) q = q.where("name", ">", afterName);
    return (await q.execute()).map(toRecord);
  }

  /** A user's groups in name order after `afterName`. */
  async listForUser(
    poolId: string,
    usernameKey: string,
    limit: number,
    afterName?: string,
  ): Promise<GroupRecord[]> {
    // The first page (every sign-in reads it for the tokens' claims) is compiled once.
    if (afterName === undefined) {
      return (await firstGroupsLookup(limit).execute(this.db, poolId, usernameKey)).map(toRecord);
    }
    const q = groupsOfUser(this.db, poolId, usernameKey).where("groups.name", ">", afterName).limit(limit);
    return (await q.execute()).map(toRecord);
  }

  async addMember(poolId: string, name: string, usernameKey: string): Promise<void> {
    await this.db
      .insertInto("group_members")
      .values({ pool_id: poolId, group_name: name, username_key: usernameKey })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async removeMember(poolId: string, name: string, usernameKey: string): Promise<void> {
    await this.db
      .deleteFrom("group_members")
      .where("pool_id", "=", poolId)
      .where("group_name", "=", name)
      .where("username_key", "=", usernameKey)
      .execute();
  }
}
