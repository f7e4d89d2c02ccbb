/** User pool operations: create, describe, update, delete, list, and adding custom attributes. */

import { newPoolId } from "../crypto/random.js";
import { chosenPoolId, insertWithChosenId } from "../domain/custom-ids.js";
import { assertNoDomain, poolDomainFields } from "../domain/domains.js";
import { requirePool } from "../domain/lookup.js";
import { decodeNextToken, page } from "../domain/pagination.js";
import {
  addCustomAttributes,
  assertDeletable,
  createPool,
  describePool,
  updatePool,
} from "../domain/pools.js";
import { assertNoImportInProgress } from "../domain/user-import-jobs.js";
import type { Handler, HandlerTable } from "./types.js";

const createUserPool: Handler<"CreateUserPool"> = async (input, ctx) => {
  const id = chosenPoolId(ctx.chosenId, input.UserPoolTags) ?? newPoolId(ctx.region);
  const pool = createPool(id, input, ctx.now);
  await insertWithChosenId("CreateUserPool", id, () => ctx.services.store.pools.insert(pool));
  return { UserPool: describePool(pool, 0) };
};

const describeUserPool: Handler<"DescribeUserPool"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const [users, domains] = await Promise.all([
    store.users.count(pool.id),
    store.domains.listForPool(pool.id),
  ]);
  return { UserPool: { ...describePool(pool, users), ...poolDomainFields(domains) } };
};

const updateUserPool: Handler<"UpdateUserPool"> = async (input, ctx) => {
  await ctx.services.store.transaction(async (store) => {
    const pool = await requirePool(store, input.UserPoolId);
    await assertNoImportInProgress(store, pool.id);
    await store.pools.update(updatePool(pool, input, ctx.now));
  });
  return {};
};

const deleteUserPool: Handler<"DeleteUserPool"> = async (input, ctx) => {
  await ctx.services.store.transaction(async (store) => {
    const pool = await requirePool(store, input.UserPoolId);
    assertDeletable(pool);
    await assertNoDomain(store, pool.id);
    await assertNoImportInProgress(store, pool.id);
    await store.pools.delete(pool.id);
  });
  return {};
};

const listUserPools: Handler<"ListUserPools"> = async (input, ctx) => {
  const after = decodeNextToken(input.NextToken);
  const pools = await ctx.services.store.pools.list(input.MaxResults + 1, after);
  const { items, nextToken } = page(pools, input.MaxResults, (pool) => pool.id);
  return {
    UserPools: items.map((pool) => ({
      Id: pool.id,
      Name: pool.name,
      LambdaConfig: pool.config.LambdaConfig ?? {},
      CreationDate: pool.createdAt,
      LastModifiedDate: pool.updatedAt,
    })),
    NextToken: nextToken,
  };
};

const addCustomAttributesHandler: Handler<"AddCustomAttributes"> = async (input, ctx) => {
  await ctx.services.store.transaction(async (store) => {
    const pool = await requirePool(store, input.UserPoolId);
    await assertNoImportInProgress(store, pool.id);
    await store.pools.update(addCustomAttributes(pool, input.CustomAttributes, ctx.now));
  });
  return {};
};

export const poolHandlers = {
  CreateUserPool: createUserPool,
  DescribeUserPool: describeUserPool,
  UpdateUserPool: updateUserPool,
  DeleteUserPool: deleteUserPool,
  ListUserPools: listUserPools,
  AddCustomAttributes: addCustomAttributesHandler,
} satisfies HandlerTable;
