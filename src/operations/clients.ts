/** App client operations: create, describe, update, delete and list a pool's clients. */
import { newClientId, newClientSecret } from "../crypto/random.js";
import { createClient, describeClient, type OAuthNames, updateClient } from "../domain/clients.js";
import { chosenClientId, insertWithChosenId } from "../domain/custom-ids.js";
import { clientProviders } from "../domain/identity-providers.js";
import { requireClient, requirePool, requirePoolForUpdate } from "../domain/lookup.js";
import { decodeNextToken, page } from "../domain/pagination.js";
import { customScopesOf } from "../domain/resource-servers.js";
import type { Store } from "../store/store.js";
import type { Handler, HandlerTable } from "./types.js";

/** ListUserPoolClients' page size when MaxResults is omitted (the model's maximum) [UNDOC]. */
const DEFAULT_CLIENTS_PAGE = 60;

/** The pool must exist, then the client in it. */
async function requirePoolClient(store: Store, poolId: string, clientId: string) {
  const pool = await requirePool(store, poolId);
  const client = await requireClient(store, poolId, clientId);
  return { pool, client };
}

/** The pool's custom scopes and identity providers, which a client's OAuth settings may name. */
async function oauthNames(
  store: Store,
  poolId: string,
  listed: readonly string[] | undefined,
): Promise<OAuthNames> {
  return {
    customScopes: await customScopesOf(store, poolId),
    identityProviders: await clientProviders(store, poolId, listed),
  };
}

/**
 * Create and Update hold the pool row while they check and write the client, as UpdateIdentityProvider
 * does when it turns IDPInit on: an IdP-initiated provider and a non-SAML one never end up listed
 * together by two changes that each saw the other's before state.
 */
const createUserPoolClient: Handler<"CreateUserPoolClient"> = async (input, ctx) => {
  const secret = input.ClientSecret ?? (input.GenerateSecret ? newClientSecret() : null);
  const id = chosenClientId(ctx.chosenId) ?? newClientId();
  const client = await ctx.services.store.transaction(async (store) => {
    const pool = await requirePoolForUpdate(store, input.UserPoolId);
    const names = await oauthNames(store, pool.id, input.SupportedIdentityProviders);
    const created = createClient(pool, id, secret, input, ctx.now, names);
    await insertWithChosenId("CreateUserPoolClient", id, () => store.clients.insert(created));
    return created;
  });
  return { UserPoolClient: describeClient(client, { withSecret: true }) };
};

const describeUserPoolClient: Handler<"DescribeUserPoolClient"> = async (input, ctx) => {
  const { client } = await requirePoolClient(ctx.services.store, input.UserPoolId, input.ClientId);
  return { UserPoolClient: describeClient(client, { withSecret: true }) };
};

const updateUserPoolClient: Handler<"UpdateUserPoolClient"> = async (input, ctx) => {
  const updated = await ctx.services.store.transaction(async (store) => {
    const pool = await requirePoolForUpdate(store, input.UserPoolId);
    const client = await requireClient(store, pool.id, input.ClientId);
    const names = await oauthNames(store, pool.id, input.SupportedIdentityProviders);
    const next = updateClient(pool, client, input, ctx.now, names);
    await store.clients.update(next);
    return next;
  });
  return { UserPoolClient: describeClient(updated, { withSecret: false }) };
};

/** The client goes with how its sign-in pages look. */
const deleteUserPoolClient: Handler<"DeleteUserPoolClient"> = async (input, ctx) => {
  await ctx.services.store.transaction(async (store) => {
    const { client } = await requirePoolClient(store, input.UserPoolId, input.ClientId);
    await store.clients.delete(client.id);
    await store.uiCustomizations.deleteForClient(client.poolId, client.id);
    await store.brandings.deleteForClient(client.poolId, client.id);
    await store.terms.deleteForClient(client.poolId, client.id);
  });
  return {};
};

const listUserPoolClients: Handler<"ListUserPoolClients"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const limit = input.MaxResults ?? DEFAULT_CLIENTS_PAGE;
  const clients = await store.clients.list(pool.id, limit + 1, decodeNextToken(input.NextToken));
  const { items, nextToken } = page(clients, limit, (client) => client.id);
  return {
    UserPoolClients: items.map((client) => ({
      ClientId: client.id,
      UserPoolId: client.poolId,
      ClientName: client.name,
    })),
    NextToken: nextToken,
  };
};

export const clientHandlers = {
  CreateUserPoolClient: createUserPoolClient,
  DescribeUserPoolClient: describeUserPoolClient,
  UpdateUserPoolClient: updateUserPoolClient,
  DeleteUserPoolClient: deleteUserPoolClient,
  ListUserPoolClients: listUserPoolClients,
} satisfies HandlerTable;
