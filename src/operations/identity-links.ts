/** Linking outside identities to users (FEDERATION.md §4). */
import { disableProviderForUser, linkProviderForUser } from "../domain/identity-links.js";
import { requirePool } from "../domain/lookup.js";
import type { Handler, HandlerTable } from "./types.js";

const AdminLinkProviderForUser: Handler<"AdminLinkProviderForUser"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  await linkProviderForUser(store, pool, input, ctx.now);
  return {};
};

const AdminDisableProviderForUser: Handler<"AdminDisableProviderForUser"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  await disableProviderForUser(store, pool, input, ctx.now);
  return {};
};

export const identityLinkHandlers = {
  AdminLinkProviderForUser,
  AdminDisableProviderForUser,
} satisfies HandlerTable;
