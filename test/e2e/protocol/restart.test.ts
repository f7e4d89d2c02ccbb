/**
 * Everything a server was told survives its restart on the same data: pools, clients (with their
 * secrets), users (with their passwords), groups and memberships, and tokens issued before it.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  GetUserCommand,
  ListGroupsCommand,
  ListUserPoolsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";

const PASSWORD = "Restart-Passw0rd!";

let server: TestServer;
let poolId: string;
let clientId: string;
let accessTokenBefore: string;
/** What the first server answered, to compare with the second server's answers. */
const before: Record<string, unknown> = {};

/** Every read the test compares, without the SDK's per-response metadata. */
async function snapshot(s: TestServer): Promise<Record<string, unknown>> {
  const send = async <T extends { $metadata?: unknown }>(p: Promise<T>) => {
    const { $metadata: _, ...rest } = await p;
    return rest;
  };
  const c = s.client;
  return {
    pool: await send(c.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))),
    pools: await send(c.send(new ListUserPoolsCommand({ MaxResults: 60 }))),
    client: await send(c.send(new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }))),
    alice: await send(c.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: "alice" }))),
    users: await send(c.send(new ListUsersCommand({ UserPoolId: poolId }))),
    admins: await send(c.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: "admins" }))),
    groups: await send(c.send(new ListGroupsCommand({ UserPoolId: poolId }))),
    aliceGroups: await send(
      c.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "alice" })),
    ),
    adminMembers: await send(
      c.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "admins" })),
    ),
  };
}

function signIn(s: TestServer) {
  return s.client.send(
    new AdminInitiateAuthCommand({
      UserPoolId: poolId,
      ClientId: clientId,
      AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "alice", PASSWORD },
    }),
  );
}

beforeAll(async () => {
  server = await startTestServer();
  const c = server.client;
  const pool = await c.send(
    new CreateUserPoolCommand({
      PoolName: "survives-restart",
      Schema: [{ Name: "team", AttributeDataType: "String", Mutable: true }],
    }),
  );
  poolId = pool.UserPool?.Id as string;
  const client = await c.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: "web",
      ExplicitAuthFlows: ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    }),
  );
  clientId = client.UserPoolClient?.ClientId as string;
  for (const username of ["alice", "bob"]) {
    await c.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: "SUPPRESS",
        UserAttributes: [
          { Name: "email", Value: `${username}@example.com` },
          { Name: "custom:team", Value: "blue" },
        ],
      }),
    );
  }
  await c.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: "alice",
      Password: PASSWORD,
      Permanent: true,
    }),
  );
  await c.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: "admins", Precedence: 1 }));
  await c.send(
    new CreateGroupCommand({ UserPoolId: poolId, GroupName: "readers", Description: "read only" }),
  );
  await c.send(
    new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: "alice", GroupName: "admins" }),
  );
  accessTokenBefore = (await signIn(server)).AuthenticationResult?.AccessToken as string;
  Object.assign(before, await snapshot(server));

  await server.stop({ keepData: true });
  server = await startTestServer({}, { dataDir: server.dataDir });
});
afterAll(async () => server.stop());

describe("after a restart on the same data", () => {
  it("has the same pools, clients, users, groups and memberships", async () => {
    const after = await snapshot(server);
    expect(after).toEqual(before);
    // Guard against two empty snapshots agreeing.
    expect(after.alice).toMatchObject({ Username: "alice", UserStatus: "CONFIRMED" });
    expect(after.aliceGroups).toMatchObject({ Groups: [{ GroupName: "admins" }] });
    expect((after.users as { Users: unknown[] }).Users).toHaveLength(2);
  });

  it("still signs the user in with the password set before", async () => {
    const result = await signIn(server);
    expect(result.AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it("still accepts an access token issued before", async () => {
    const user = await server.client.send(new GetUserCommand({ AccessToken: accessTokenBefore }));
    expect(user.Username).toBe("alice");
  });
});
