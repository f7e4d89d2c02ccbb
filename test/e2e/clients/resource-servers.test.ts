import {
  CreateResourceServerCommand,
  type CreateResourceServerCommandInput,
  DeleteResourceServerCommand,
  DeleteUserPoolCommand,
  DescribeResourceServerCommand,
  ListResourceServersCommand,
  UpdateResourceServerCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customScopesOf } from "../../../src/domain/resource-servers.js";
import { createPool, expectError } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

const MISSING_POOL = "us-east-1_Missing00";

let server: TestServer;
let poolId: string;
beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
});
afterAll(async () => server.stop());

function scopes(...names: string[]) {
  return names.map((ScopeName) => ({ ScopeName, ScopeDescription: `${ScopeName} access` }));
}

async function create(
  input: Partial<CreateResourceServerCommandInput> & { Identifier: string },
  pool = poolId,
) {
  const out = await server.client.send(
    new CreateResourceServerCommand({ UserPoolId: pool, Name: "API", ...input }),
  );
  return out.ResourceServer;
}

function describeServer(identifier: string, pool = poolId) {
  return server.client.send(new DescribeResourceServerCommand({ UserPoolId: pool, Identifier: identifier }));
}

describe("CreateResourceServer and DescribeResourceServer", () => {
  it("creates a server with its scopes and describes it", async () => {
    const created = await create({
      Identifier: "https://api.example.com",
      Name: "Photos API",
      Scopes: scopes("photos.read", "photos.write"),
    });
    const expected = {
      UserPoolId: poolId,
      Identifier: "https://api.example.com",
      Name: "Photos API",
      Scopes: scopes("photos.read", "photos.write"),
    };
    expect(created).toEqual(expected);
    expect((await describeServer("https://api.example.com")).ResourceServer).toEqual(expected);
  });

  it("creates a server without scopes", async () => {
    expect(await create({ Identifier: "no-scopes" })).toEqual({
      UserPoolId: poolId,
      Identifier: "no-scopes",
      Name: "API",
      Scopes: [],
    });
  });

  it("refuses an identifier the pool already has", async () => {
    await create({ Identifier: "taken" });
    await expectError(
      create({ Identifier: "taken" }),
      "InvalidParameterException",
      "A resource server with identifier taken already exists.",
    );
  });

  it("lets another pool use the same identifier", async () => {
    const other = await createPool(server);
    await create({ Identifier: "shared" });
    expect((await create({ Identifier: "shared" }, other))?.UserPoolId).toBe(other);
  });

  it("refuses a scope name given twice", async () => {
    await expectError(
      create({ Identifier: "twice", Scopes: scopes("read", "read") }),
      "InvalidParameterException",
      "Scope read is defined more than once.",
    );
    await expectError(
      describeServer("twice"),
      "ResourceNotFoundException",
      "Resource server twice does not exist.",
    );
  });

  it("takes 100 scopes; the model's bound refuses a 101st", async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => `s${i}`);
    expect((await create({ Identifier: "wide", Scopes: scopes(...hundred) }))?.Scopes).toHaveLength(100);
    const error = create({ Identifier: "wider", Scopes: scopes(...hundred, "s100") });
    await expect(error).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(error).rejects.toThrow(
      /^1 validation error detected: Value '.*' at 'scopes' failed to satisfy constraint: Member must have length less than or equal to 100$/,
    );
  });

  it("refuses a 26th server in a pool", async () => {
    const full = await createPool(server);
    for (let i = 0; i < 25; i++) await create({ Identifier: `api-${String(i).padStart(2, "0")}` }, full);
    await expectError(
      create({ Identifier: "api-25" }, full),
      "LimitExceededException",
      "A user pool can have at most 25 resource servers.",
    );
    const listed = await server.client.send(new ListResourceServersCommand({ UserPoolId: full }));
    expect(listed.ResourceServers).toHaveLength(25);
    expect(listed.NextToken).toBeUndefined();
  });

  it("answers an unknown pool or identifier with ResourceNotFoundException", async () => {
    await expectError(
      create({ Identifier: "x" }, MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      describeServer("x", MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      describeServer("nowhere"),
      "ResourceNotFoundException",
      "Resource server nowhere does not exist.",
    );
  });

  it("validates the identifier, name and scope names against the model", async () => {
    await expectError(
      create({ Identifier: 'has"quote' }),
      "InvalidParameterException",
      "1 validation error detected: Value 'has\"quote' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\x21\\x23-\\x5B\\x5D-\\x7E]+",
    );
    await expectError(
      create({ Identifier: "slash", Scopes: scopes("a/b") }),
      "InvalidParameterException",
      "1 validation error detected: Value 'a/b' at 'scopes.1.member.scopeName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\x21\\x23-\\x2E\\x30-\\x5B\\x5D-\\x7E]+",
    );
  });
});

describe("UpdateResourceServer", () => {
  it("replaces the name and every scope", async () => {
    await create({ Identifier: "updated", Scopes: scopes("a", "b") });
    const out = await server.client.send(
      new UpdateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: "updated",
        Name: "Renamed",
        Scopes: scopes("c"),
      }),
    );
    const expected = { UserPoolId: poolId, Identifier: "updated", Name: "Renamed", Scopes: scopes("c") };
    expect(out.ResourceServer).toEqual(expected);
    expect((await describeServer("updated")).ResourceServer).toEqual(expected);
  });

  it("removes every scope when Scopes is omitted", async () => {
    await create({ Identifier: "emptied", Scopes: scopes("a") });
    await server.client.send(
      new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: "emptied", Name: "API" }),
    );
    expect((await describeServer("emptied")).ResourceServer?.Scopes).toEqual([]);
  });

  it("answers an unknown identifier or pool with ResourceNotFoundException", async () => {
    await expectError(
      server.client.send(
        new UpdateResourceServerCommand({ UserPoolId: poolId, Identifier: "ghost", Name: "x" }),
      ),
      "ResourceNotFoundException",
      "Resource server ghost does not exist.",
    );
    await expectError(
      server.client.send(
        new UpdateResourceServerCommand({ UserPoolId: MISSING_POOL, Identifier: "ghost", Name: "x" }),
      ),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });

  it("refuses a scope name given twice", async () => {
    await create({ Identifier: "kept", Scopes: scopes("a") });
    await expectError(
      server.client.send(
        new UpdateResourceServerCommand({
          UserPoolId: poolId,
          Identifier: "kept",
          Name: "API",
          Scopes: scopes("b", "b"),
        }),
      ),
      "InvalidParameterException",
      "Scope b is defined more than once.",
    );
    expect((await describeServer("kept")).ResourceServer?.Scopes).toEqual(scopes("a"));
  });
});

describe("DeleteResourceServer", () => {
  it("deletes the server, after which it is unknown", async () => {
    await create({ Identifier: "doomed" });
    expect(
      await server.client.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: "doomed" })),
    ).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    await expectError(
      describeServer("doomed"),
      "ResourceNotFoundException",
      "Resource server doomed does not exist.",
    );
    await expectError(
      server.client.send(new DeleteResourceServerCommand({ UserPoolId: poolId, Identifier: "doomed" })),
      "ResourceNotFoundException",
      "Resource server doomed does not exist.",
    );
  });

  it("answers an unknown pool with ResourceNotFoundException", async () => {
    await expectError(
      server.client.send(new DeleteResourceServerCommand({ UserPoolId: MISSING_POOL, Identifier: "x" })),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });
});

describe("ListResourceServers", () => {
  let listPool: string;
  const identifiers = ["https://a.example", "https://b.example", "https://c.example"];
  beforeAll(async () => {
    listPool = await createPool(server);
    for (const identifier of [...identifiers].reverse()) await create({ Identifier: identifier }, listPool);
  });

  it("lists every server in identifier order", async () => {
    const out = await server.client.send(new ListResourceServersCommand({ UserPoolId: listPool }));
    expect(out.ResourceServers?.map((s) => s.Identifier)).toEqual(identifiers);
    expect(out.ResourceServers?.[0]).toEqual({
      UserPoolId: listPool,
      Identifier: "https://a.example",
      Name: "API",
      Scopes: [],
    });
    expect(out.NextToken).toBeUndefined();
  });

  it("pages with MaxResults and NextToken", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const out = await server.client.send(
        new ListResourceServersCommand({ UserPoolId: listPool, MaxResults: 2, NextToken: token }),
      );
      expect(out.ResourceServers?.length).toBeLessThanOrEqual(2);
      seen.push(...(out.ResourceServers ?? []).map((s) => s.Identifier as string));
      token = out.NextToken;
    } while (token);
    expect(seen).toEqual(identifiers);
  });

  it("refuses a NextToken it did not issue, and an unknown pool", async () => {
    await expectError(
      server.client.send(new ListResourceServersCommand({ UserPoolId: listPool, NextToken: "bogus" })),
      "InvalidParameterException",
      "Invalid pagination token.",
    );
    await expectError(
      server.client.send(new ListResourceServersCommand({ UserPoolId: MISSING_POOL, MaxResults: 5 })),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });
});

describe("custom scopes", () => {
  it("are every scope the pool's servers define now, by full name", async () => {
    const pool = await createPool(server);
    await create({ Identifier: "https://one", Scopes: scopes("read", "write") }, pool);
    await create({ Identifier: "two", Scopes: scopes("admin") }, pool);
    const store = server.services.store;
    expect([...(await customScopesOf(store, pool))].sort()).toEqual([
      "https://one/read",
      "https://one/write",
      "two/admin",
    ]);
    await server.client.send(
      new UpdateResourceServerCommand({
        UserPoolId: pool,
        Identifier: "https://one",
        Name: "API",
        Scopes: scopes("read"),
      }),
    );
    await server.client.send(new DeleteResourceServerCommand({ UserPoolId: pool, Identifier: "two" }));
    expect([...(await customScopesOf(store, pool))]).toEqual(["https://one/read"]);
  });

  it("go with their pool", async () => {
    const pool = await createPool(server);
    await create({ Identifier: "gone", Scopes: scopes("read") }, pool);
    await server.client.send(new DeleteUserPoolCommand({ UserPoolId: pool }));
    expect(await server.services.store.resourceServers.list(pool, 10)).toEqual([]);
  });
});
