/** Client secret rotation: up to two active secrets per confidential client (OAUTH.md §6). */
import { addClientSecret, deleteClientSecret, listClientSecrets } from "../domain/client-secrets.js";
import { requireClient, requireClientForUpdate, requirePool } from "../domain/lookup.js";
import type { Handler, HandlerTable } from "./types.js";

const AddUserPoolClientSecret: Handler<"AddUserPoolClientSecret"> = async (input, ctx) => {
  const descriptor = await ctx.services.store.transaction(async (store) => {
    const pool = await requirePool(store, input.UserPoolId);
    const client = await requireClientForUpdate(store, pool.id, input.ClientId);
    const { secrets, descriptor } = addClientSecret(client, input.ClientSecret, ctx.now);
    await store.clients.setSecrets(client.id, secrets);
    return descriptor;
  });
  return { ClientSecretDescriptor: descriptor };
};

/** One page holds every secret (two at most): NextToken is never returned, and ignored [UNDOC]. */
const ListUserPoolClientSecrets: Handler<"ListUserPoolClientSecrets"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const client = await requireClient(store, pool.id, input.ClientId);
  return { ClientSecrets: listClientSecrets(client) };
};

const DeleteUserPoolClientSecret: Handler<"DeleteUserPoolClientSecret"> = async (input, ctx) => {
  await ctx.services.store.transaction(async (store) => {
    const pool = await requirePool(store, input.UserPoolId);
    const client = await requireClientForUpdate(store, pool.id, input.ClientId);
    await store.clients.setSecrets(client.id, deleteClientSecret(client, input.ClientSecretId));
  });
  return {};
};

export const clientSecretHandlers = {
  AddUserPoolClientSecret,
  ListUserPoolClientSecrets,
  DeleteUserPoolClientSecret,
} satisfies HandlerTable;
