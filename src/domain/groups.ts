/** Groups: creation and update rules, membership, and the GroupType the API shows. */
import type { CreateGroupRequest, GroupType, UpdateGroupRequest } from "../protocol/types.generated.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import type { GroupRecord, PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";
import { decodeNextToken, page } from "./pagination.js";
import { pageSize } from "./users.js";

export async function requireGroup(store: Store, pool: PoolRecord, name: string): Promise<GroupRecord> {
  const group = await store.groups.get(pool.id, name);
  if (!group) throw Errors.groupNotFound();
  return group;
}

export function groupType(group: GroupRecord): GroupType {
  return {
    GroupName: group.name,
    UserPoolId: group.poolId,
    Description: group.description ?? undefined,
    RoleArn: group.roleArn ?? undefined,
    Precedence: group.precedence ?? undefined,
    LastModifiedDate: group.updatedAt,
    CreationDate: group.createdAt,
  };
}

/** A new group; its name must be free in the pool. */
export async function createGroup(
  store: Store,
  pool: PoolRecord,
  input: CreateGroupRequest,
  now: Date,
): Promise<GroupRecord> {
  if (await store.groups.get(pool.id, input.GroupName)) throw Errors.groupExists(input.GroupName);
  const group: GroupRecord = {
    poolId: pool.id,
    name: input.GroupName,
    description: input.Description ?? null,
    roleArn: input.RoleArn ?? null,
    precedence: input.Precedence ?? null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await store.groups.insert(group);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw Errors.groupExists(input.GroupName);
    throw error;
  }
  return group;
}

/** UpdateGroup changes only the members it is given. */
export function updatedGroup(group: GroupRecord, input: UpdateGroupRequest, now: Date): GroupRecord {
  return {
    ...group,
    description: input.Description ?? group.description,
    roleArn: input.RoleArn ?? group.roleArn,
    precedence: input.Precedence ?? group.precedence,
    updatedAt: now,
  };
}

export async function listGroups(
  store: Store,
  pool: PoolRecord,
  query: { limit?: number; nextToken?: string },
): Promise<{ groups: GroupRecord[]; next?: string }> {
  const size = pageSize(query.limit);
  const fetched = await store.groups.list(pool.id, size + 1, decodeNextToken(query.nextToken));
  const { items, nextToken: next } = page(fetched, size, (g) => g.name);
  return { groups: items, next };
}

export async function listGroupsForUser(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  query: { limit?: number; nextToken?: string },
): Promise<{ groups: GroupRecord[]; next?: string }> {
  const size = pageSize(query.limit);
  const after = decodeNextToken(query.nextToken);
  const fetched = await store.groups.listForUser(pool.id, user.usernameKey, size + 1, after);
  const { items, nextToken: next } = page(fetched, size, (g) => g.name);
  return { groups: items, next };
}

export async function listUsersInGroup(
  store: Store,
  pool: PoolRecord,
  group: GroupRecord,
  query: { limit?: number; nextToken?: string },
): Promise<{ users: UserRecord[]; next?: string }> {
  const size = pageSize(query.limit);
  const after = decodeNextToken(query.nextToken);
  const fetched = await store.users.listInGroup(pool.id, group.name, size + 1, after);
  const { items, nextToken: next } = page(fetched, size, (u) => u.usernameKey);
  return { users: items, next };
}
