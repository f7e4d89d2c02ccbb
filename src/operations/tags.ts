/** Tags on user pools: TagResource, UntagResource, ListTagsForResource (ADMINISTRATION.md §2). */
import { poolTags, requirePoolByArn, withoutTags, withTags } from "../domain/tags.js";
import type { Handler, HandlerTable } from "./types.js";

const TagResource: Handler<"TagResource"> = async (input, ctx) => {
  await ctx.services.store.transaction(async (tx) => {
    const pool = await requirePoolByArn(tx, input.ResourceArn);
    await tx.pools.update(withTags(pool, input.Tags));
  });
  return {};
};

const UntagResource: Handler<"UntagResource"> = async (input, ctx) => {
  await ctx.services.store.transaction(async (tx) => {
    const pool = await requirePoolByArn(tx, input.ResourceArn);
    await tx.pools.update(withoutTags(pool, input.TagKeys));
  });
  return {};
};

const ListTagsForResource: Handler<"ListTagsForResource"> = async (input, ctx) => {
  const pool = await requirePoolByArn(ctx.services.store, input.ResourceArn);
  return { Tags: poolTags(pool) };
};

export const tagHandlers = { TagResource, UntagResource, ListTagsForResource } satisfies HandlerTable;
