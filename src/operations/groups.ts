/** Groups: CRUD, membership and the listings both ways. */
import {
  createGroup,
  groupType,
  listGroups,
  listGroupsForUser,
  listUsersInGroup,
  requireGroup,
  updatedGroup,
} from "../domain/groups.js";
import { requirePool } from "../domain/lookup.js";
import { requireUser, userType } from "../domain/users.js";
import type { Handler, HandlerTable } from "./types.js";

const CreateGroup: Handler<"CreateGroup"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const group = await store.transaction((tx) => createGroup(tx, pool, input, ctx.now));
  return { Group: groupType(group) };
};

const GetGroup: Handler<"GetGroup"> = async (input, ctx) => {
  const pool = await requirePool(ctx.services.store, input.UserPoolId);
  return { Group: groupType(await requireGroup(ctx.services.store, pool, input.GroupName)) };
};

const UpdateGroup: Handler<"UpdateGroup"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const group = updatedGroup(await requireGroup(store, pool, input.GroupName), input, ctx.now);
  await store.groups.update(group);
  return { Group: groupType(group) };
};

const DeleteGroup: Handler<"DeleteGroup"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  await requireGroup(store, pool, input.GroupName);
  await store.transaction((tx) => tx.groups.delete(pool.id, input.GroupName));
  return {};
};

const ListGroups: Handler<"ListGroups"> = async (input, ctx) => {
  const pool = await requirePool(ctx.services.store, input.UserPoolId);
  const { groups, next } = await listGroups(ctx.services.store, pool, {
    limit: input.Limit,
    nextToken: input.NextToken,
  });
  return { Groups: groups.map(groupType), NextToken: next };
};

const AdminAddUserToGroup: Handler<"AdminAddUserToGroup"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const group = await requireGroup(store, pool, input.GroupName);
  const user = await requireUser(store, pool, input.Username);
  await store.groups.addMember(pool.id, group.name, user.usernameKey);
  return {};
};

const AdminRemoveUserFromGroup: Handler<"AdminRemoveUserFromGroup"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const group = await requireGroup(store, pool, input.GroupName);
  const user = await requireUser(store, pool, input.Username);
  await store.groups.removeMember(pool.id, group.name, user.usernameKey);
  return {};
};

const AdminListGroupsForUser: Handler<"AdminListGroupsForUser"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const user = await requireUser(store, pool, input.Username);
  const { groups, next } = await listGroupsForUser(store, pool, user, {
    limit: input.Limit,
    nextToken: input.NextToken,
  });
  return { Groups: groups.map(groupType), NextToken: next };
};

const ListUsersInGroup: Handler<"ListUsersInGroup"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const group = await requireGroup(store, pool, input.GroupName);
  const { users, next } = await listUsersInGroup(store, pool, group, {
    limit: input.Limit,
    nextToken: input.NextToken,
  });
  return { Users: users.map((u) => userType(u)), NextToken: next };
};

export const groupHandlers = {
  CreateGroup,
  GetGroup,
  UpdateGroup,
  DeleteGroup,
  ListGroups,
  AdminAddUserToGroup,
  AdminRemoveUserFromGroup,
  AdminListGroupsForUser,
  ListUsersInGroup,
} satisfies HandlerTable;
