/** Resource servers: a pool's APIs and their custom scopes (OAUTH.md §5.1). */
import { requirePool } from "../domain/lookup.js";
import { decodeNextToken, page } from "../domain/pagination.js";
import {
  createResourceServer,
  describeResourceServer,
  MAX_RESOURCE_SERVERS_PER_POOL,
  requireResourceServer,
  updateResourceServer,
} from "../domain/resource-servers.js";
import type { Handler, HandlerTable } from "./types.js";

const CreateResourceServer: Handler<"CreateResourceServer"> = async (input, ctx) => {
  const server = await createResourceServer(ctx.services.store, input);
  return { ResourceServer: describeResourceServer(server) };
};

const DescribeResourceServer: Handler<"DescribeResourceServer"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const server = await requireResourceServer(store, pool.id, input.Identifier);
  return { ResourceServer: describeResourceServer(server) };
};

const UpdateResourceServer: Handler<"UpdateResourceServer"> = async (input, ctx) => {
  const server = await updateResourceServer(ctx.services.store, input);
  return { ResourceServer: describeResourceServer(server) };
};

const DeleteResourceServer: Handler<"DeleteResourceServer"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  await requireResourceServer(store, pool.id, input.Identifier);
  await store.resourceServers.delete(pool.id, input.Identifier);
  return {};
};

/** Without MaxResults, a page holds as many as the pool can have [UNDOC]. */
const ListResourceServers: Handler<"ListResourceServers"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const limit = input.MaxResults ?? MAX_RESOURCE_SERVERS_PER_POOL;
  const after = decodeNextToken(input.NextToken);
  const servers = await store.resourceServers.list(pool.id, limit + 1, after);
  const { items, nextToken } = page(servers, limit, (server) => server.identifier);
  return { ResourceServers: items.map(describeResourceServer), NextToken: nextToken };
};

export const resourceServerHandlers = {
  CreateResourceServer,
  DescribeResourceServer,
  UpdateResourceServer,
  DeleteResourceServer,
  ListResourceServers,
} satisfies HandlerTable;
