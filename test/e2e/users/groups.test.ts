import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import { createPool, failure } from "./support.js";

let server: TestServer;
let poolId: string;
beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
});
afterAll(async () => server.stop());

const ROLE = "arn:aws:iam::123456789012:role/readers";
const GROUP_NOT_FOUND = { name: "ResourceNotFoundException", message: "Group not found." };
const USER_NOT_FOUND = { name: "UserNotFoundException", message: "User does not exist." };

async function createGroup(
  name: string,
  extra: { Precedence?: number; RoleArn?: string; Description?: string } = {},
) {
  return (await server.client.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: name, ...extra })))
    .Group!;
}

async function createUser(username: string) {
  await server.client.send(
    new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: "SUPPRESS" }),
  );
}

const addToGroup = (username: string, group: string) =>
  server.client.send(
    new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }),
  );

const groupsOf = async (username: string) =>
  (
    await server.client.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: username }))
  ).Groups!.map((g) => g.GroupName);

const membersOf = async (group: string) =>
  (
    await server.client.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: group }))
  ).Users!.map((u) => u.Username);

describe("group lifecycle", () => {
  it("creates a group with precedence, role and description, and reads it back", async () => {
    const created = await createGroup("readers", { Precedence: 5, RoleArn: ROLE, Description: "Can read" });
    expect(created).toMatchObject({
      GroupName: "readers",
      UserPoolId: poolId,
      Precedence: 5,
      RoleArn: ROLE,
      Description: "Can read",
    });
    expect(created.CreationDate).toBeInstanceOf(Date);
    expect(created.LastModifiedDate).toBeInstanceOf(Date);
    const got = await server.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: "readers" }));
    expect(got.Group).toEqual(created);
  });

  it("omits unset members", async () => {
    await createGroup("bare");
    const res = await server.call("GetGroup", { UserPoolId: poolId, GroupName: "bare" });
    expect(Object.keys(res.body.Group as object).sort()).toEqual([
      "CreationDate",
      "GroupName",
      "LastModifiedDate",
      "UserPoolId",
    ]);
  });

  it("refuses a name that exists", async () => {
    await createGroup("dupe");
    expect(await failure(createGroup("dupe"))).toEqual({
      name: "GroupExistsException",
      message: "A group with the name dupe already exists.",
    });
  });

  it("updates only the members given", async () => {
    await createGroup("editable", { Precedence: 1, Description: "before" });
    const res = await server.client.send(
      new UpdateGroupCommand({ UserPoolId: poolId, GroupName: "editable", Precedence: 9, RoleArn: ROLE }),
    );
    expect(res.Group).toMatchObject({
      GroupName: "editable",
      Precedence: 9,
      RoleArn: ROLE,
      Description: "before",
    });
    const got = await server.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: "editable" }));
    expect(got.Group).toMatchObject({ Precedence: 9, RoleArn: ROLE, Description: "before" });
  });

  it("deletes a group and its memberships", async () => {
    await createGroup("temporary");
    await createUser("member-of-temporary");
    await addToGroup("member-of-temporary", "temporary");
    await server.client.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: "temporary" }));
    expect(
      await failure(server.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: "temporary" }))),
    ).toEqual(GROUP_NOT_FOUND);
    expect(await groupsOf("member-of-temporary")).toEqual([]);
  });

  it("answers Group not found for every operation on a missing group", async () => {
    await createUser("lonely");
    // Thunks, so each request starts only when awaited: an eager rejection would go unhandled.
    const requests = [
      () => server.client.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: "missing" })),
      () =>
        server.client.send(
          new UpdateGroupCommand({ UserPoolId: poolId, GroupName: "missing", Precedence: 1 }),
        ),
      () => server.client.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: "missing" })),
      () => server.client.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "missing" })),
      () => addToGroup("lonely", "missing"),
      () =>
        server.client.send(
          new AdminRemoveUserFromGroupCommand({
            UserPoolId: poolId,
            Username: "lonely",
            GroupName: "missing",
          }),
        ),
    ];
    for (const request of requests) expect(await failure(request())).toEqual(GROUP_NOT_FOUND);
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    expect(
      await failure(
        server.client.send(new CreateGroupCommand({ UserPoolId: "us-east-1_nopool000", GroupName: "g" })),
      ),
    ).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_nopool000 does not exist.",
    });
  });
});

describe("ListGroups", () => {
  it("lists groups in name order, page by page", async () => {
    const pool = await createPool(server);
    for (const name of ["c", "a", "b"]) {
      await server.client.send(new CreateGroupCommand({ UserPoolId: pool, GroupName: name }));
    }
    const first = await server.client.send(new ListGroupsCommand({ UserPoolId: pool, Limit: 2 }));
    expect(first.Groups!.map((g) => g.GroupName)).toEqual(["a", "b"]);
    expect(first.NextToken).toBeTruthy();
    const second = await server.client.send(
      new ListGroupsCommand({ UserPoolId: pool, Limit: 2, NextToken: first.NextToken }),
    );
    expect(second.Groups!.map((g) => g.GroupName)).toEqual(["c"]);
    expect(second.NextToken).toBeUndefined();
    const all = await server.client.send(new ListGroupsCommand({ UserPoolId: pool }));
    expect(all.Groups!.map((g) => g.GroupName)).toEqual(["a", "b", "c"]);
  });
});

describe("membership", () => {
  beforeAll(async () => {
    for (const g of ["m-admins", "m-staff", "m-users"]) await createGroup(g);
    for (const u of ["m-zed", "m-amy", "m-bob"]) await createUser(u);
  });

  it("adds users to groups, lists both ways, and removes them", async () => {
    await addToGroup("m-amy", "m-staff");
    await addToGroup("m-amy", "m-users");
    await addToGroup("m-amy", "m-users"); // adding twice is harmless
    await addToGroup("m-zed", "m-users");
    expect(await groupsOf("m-amy")).toEqual(["m-staff", "m-users"]);
    expect(await membersOf("m-users")).toEqual(["m-amy", "m-zed"]);

    await server.client.send(
      new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username: "m-amy", GroupName: "m-users" }),
    );
    expect(await groupsOf("m-amy")).toEqual(["m-staff"]);
    expect(await membersOf("m-users")).toEqual(["m-zed"]);
  });

  it("pages AdminListGroupsForUser and ListUsersInGroup", async () => {
    for (const g of ["m-admins", "m-staff", "m-users"]) await addToGroup("m-bob", g);
    const first = await server.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "m-bob", Limit: 2 }),
    );
    expect(first.Groups!.map((g) => g.GroupName)).toEqual(["m-admins", "m-staff"]);
    const second = await server.client.send(
      new AdminListGroupsForUserCommand({
        UserPoolId: poolId,
        Username: "m-bob",
        Limit: 2,
        NextToken: first.NextToken,
      }),
    );
    expect(second.Groups!.map((g) => g.GroupName)).toEqual(["m-users"]);
    expect(second.NextToken).toBeUndefined();

    await addToGroup("m-amy", "m-admins");
    const page1 = await server.client.send(
      new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: "m-admins", Limit: 1 }),
    );
    expect(page1.Users!.map((u) => u.Username)).toEqual(["m-amy"]);
    const page2 = await server.client.send(
      new ListUsersInGroupCommand({
        UserPoolId: poolId,
        GroupName: "m-admins",
        Limit: 1,
        NextToken: page1.NextToken,
      }),
    );
    expect(page2.Users!.map((u) => u.Username)).toEqual(["m-bob"]);
    expect(page2.NextToken).toBeUndefined();
  });

  it("answers User does not exist for unknown users", async () => {
    expect(await failure(addToGroup("nobody", "m-users"))).toEqual(USER_NOT_FOUND);
    expect(
      await failure(
        server.client.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: "nobody" })),
      ),
    ).toEqual(USER_NOT_FOUND);
  });

  it("drops a deleted user's memberships", async () => {
    await createUser("m-leaver");
    await addToGroup("m-leaver", "m-users");
    await server.client.send(new AdminDeleteUserCommand({ UserPoolId: poolId, Username: "m-leaver" }));
    expect(await membersOf("m-users")).not.toContain("m-leaver");
    // A new user of the same name starts without the old memberships.
    await createUser("m-leaver");
    expect(await groupsOf("m-leaver")).toEqual([]);
  });
});
