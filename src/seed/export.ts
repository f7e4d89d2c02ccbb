/**
 * A pool as a seed: read through Cognito's API (this server's own operations for `cognate export`,
 * any server speaking the API for `cognate import`), written in the seed format that applies it
 * back. What the API does not give cannot be exported: passwords stay behind unless the local
 * export is asked for Cognate's own verifiers (and TOTP secrets), for a Cognate-to-Cognate move.
 */
import { SHAPES } from "../protocol/model.generated.js";
import type { SeedInput } from "./schema.js";

type SeedPoolInput = NonNullable<SeedInput["pools"]>[number];
type SeedUserInput = NonNullable<SeedPoolInput["users"]>[number];
type Json = Record<string, unknown>;

/** Calls one operation of the API (locally or on another server) and returns its output. */
export type ApiCaller = (operation: string, input: Json) => Promise<Json>;

/** What a local export adds to a user: Cognate's own password verifier and TOTP secret. */
export type UserSecrets = (
  poolId: string,
  username: string,
) => Promise<{ passwordHash?: { salt: string; verifier: string }; totpSecret?: string }>;

/** Only the members the input shape has: Describe* outputs carry more (ids, dates, counts). */
function inputMembers(shape: string, value: Json, omit: string[] = []): Json {
  const members = SHAPES[shape].members ?? {};
  return Object.fromEntries(
    Object.entries(value).filter(
      ([k, v]) => k in members && !omit.includes(k) && v !== undefined && v !== null,
    ),
  );
}

/** Standard attributes that are not defaults, and custom ones named as CreateUserPool takes them. */
function schemaForCreate(attributes: Json[] | undefined): Json[] | undefined {
  const schema = (attributes ?? [])
    .filter((a) => String(a.Name).startsWith("custom:") || (a.Required === true && a.Name !== "sub"))
    .map((a) => ({ ...a, Name: String(a.Name).replace(/^custom:/, "") }));
  return schema.length > 0 ? schema : undefined;
}

async function all<T>(fetchPage: (token: string | undefined) => Promise<{ items: T[]; next?: string }>) {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const page = await fetchPage(token);
    items.push(...page.items);
    token = page.next;
  } while (token);
  return items;
}

async function poolSettings(call: ApiCaller, poolId: string): Promise<{ settings: Json; domain?: string }> {
  const pool = (await call("DescribeUserPool", { UserPoolId: poolId })).UserPool as Json;
  const settings = inputMembers("CreateUserPoolRequest", pool, ["Schema", "PoolName"]);
  const schema = schemaForCreate(pool.SchemaAttributes as Json[] | undefined);
  return {
    settings: { PoolName: pool.Name, ...settings, ...(schema && { Schema: schema }) },
    domain: (pool.Domain as string | undefined) ?? undefined,
  };
}

async function clients(call: ApiCaller, poolId: string): Promise<SeedPoolInput["clients"]> {
  const listed = await all(async (NextToken) => {
    const out = await call("ListUserPoolClients", { UserPoolId: poolId, MaxResults: 60, NextToken });
    return { items: out.UserPoolClients as Json[], next: out.NextToken as string | undefined };
  });
  const result: NonNullable<SeedPoolInput["clients"]> = [];
  for (const listedClient of listed) {
    const out = await call("DescribeUserPoolClient", { UserPoolId: poolId, ClientId: listedClient.ClientId });
    const client = out.UserPoolClient as Json;
    const secret = client.ClientSecret as string | undefined;
    result.push({
      id: client.ClientId as string,
      ...(secret && { secret }),
      settings: inputMembers("CreateUserPoolClientRequest", client, ["UserPoolId", "ClientSecret"]),
    });
  }
  return result;
}

async function domain(call: ApiCaller, name: string | undefined): Promise<Json | undefined> {
  if (!name) return undefined;
  const out = await call("DescribeUserPoolDomain", { Domain: name });
  return inputMembers("CreateUserPoolDomainRequest", out.DomainDescription as Json, ["UserPoolId"]);
}

async function resourceServers(call: ApiCaller, poolId: string): Promise<Json[]> {
  const servers = await all(async (NextToken) => {
    const out = await call("ListResourceServers", { UserPoolId: poolId, MaxResults: 50, NextToken });
    return { items: out.ResourceServers as Json[], next: out.NextToken as string | undefined };
  });
  return servers.map((s) => inputMembers("CreateResourceServerRequest", s, ["UserPoolId"]));
}

async function groups(call: ApiCaller, poolId: string): Promise<Json[]> {
  const listed = await all(async (NextToken) => {
    const out = await call("ListGroups", { UserPoolId: poolId, Limit: 60, NextToken });
    return { items: out.Groups as Json[], next: out.NextToken as string | undefined };
  });
  return listed.map((g) => inputMembers("CreateGroupRequest", g, ["UserPoolId"]));
}

async function users(call: ApiCaller, poolId: string, secrets?: UserSecrets): Promise<SeedUserInput[]> {
  const listed = await all(async (PaginationToken) => {
    const out = await call("ListUsers", { UserPoolId: poolId, Limit: 60, PaginationToken });
    return { items: out.Users as Json[], next: out.PaginationToken as string | undefined };
  });
  const result: SeedUserInput[] = [];
  for (const user of listed) {
    const username = user.Username as string;
    const attributes = Object.fromEntries(
      ((user.Attributes as Json[] | undefined) ?? [])
        .filter((a) => a.Name !== "sub")
        .map((a) => [a.Name as string, (a.Value as string | undefined) ?? ""]),
    );
    const memberOf = await all(async (NextToken) => {
      const out = await call("AdminListGroupsForUser", {
        UserPoolId: poolId,
        Username: username,
        Limit: 60,
        NextToken,
      });
      return { items: out.Groups as Json[], next: out.NextToken as string | undefined };
    });
    const own = secrets ? await secrets(poolId, username) : {};
    result.push({
      username,
      attributes,
      ...(user.Enabled === false && { enabled: false }),
      ...(memberOf.length > 0 && { groups: memberOf.map((g) => g.GroupName as string) }),
      ...own,
    });
  }
  return result;
}

/** One pool as the seed declares it. */
export async function exportPool(
  call: ApiCaller,
  poolId: string,
  secrets?: UserSecrets,
): Promise<SeedPoolInput> {
  const { settings, domain: domainName } = await poolSettings(call, poolId);
  const described = await domain(call, domainName);
  return {
    id: poolId,
    settings,
    clients: await clients(call, poolId),
    ...(described && { domain: described }),
    resourceServers: await resourceServers(call, poolId),
    groups: await groups(call, poolId),
    users: await users(call, poolId, secrets),
  };
}

/** Every pool's id. */
export async function poolIds(call: ApiCaller): Promise<string[]> {
  const pools = await all(async (NextToken) => {
    const out = await call("ListUserPools", { MaxResults: 60, NextToken });
    return { items: out.UserPools as Json[], next: out.NextToken as string | undefined };
  });
  return pools.map((p) => p.Id as string);
}
