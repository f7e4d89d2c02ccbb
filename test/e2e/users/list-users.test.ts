import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  ListUsersCommand,
  type ListUsersCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../support/server.js";
import { attributeMap, createPool, failure, GOOD_PASSWORD } from "./support.js";

let server: TestServer;
let poolId: string;
const subs: Record<string, string> = {};

async function createUser(username: string, attributes: Record<string, string>) {
  const res = await server.client.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      MessageAction: "SUPPRESS",
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  subs[username] = attributeMap(res.User!.Attributes).sub;
}

beforeAll(async () => {
  server = await startTestServer();
  poolId = await createPool(server);
  await createUser("ann", { email: "ann@example.com", given_name: "Ann", family_name: "Smith" });
  await createUser("andy", { email: "andy@example.org", given_name: "Andy", phone_number: "+15555550101" });
  await createUser("bea", { email: "bea@example.com", name: 'Bea "B" Q', preferred_username: "bq" });
  await createUser("carl", { email: "carl@example.com", family_name: "Smithers" });
  await server.client.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: "bea",
      Password: GOOD_PASSWORD,
      Permanent: true,
    }),
  );
  await server.client.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: "carl" }));
});
afterAll(async () => server.stop());

async function list(input: Partial<ListUsersCommandInput> = {}) {
  return server.client.send(new ListUsersCommand({ UserPoolId: poolId, ...input }));
}

async function names(filter: string) {
  return (await list({ Filter: filter })).Users!.map((u) => u.Username);
}

describe("ListUsers", () => {
  it("lists every user with their attributes, status and dates", async () => {
    const res = await list();
    expect(res.Users!.map((u) => u.Username)).toEqual(["andy", "ann", "bea", "carl"]);
    expect(res.PaginationToken).toBeUndefined();
    const ann = res.Users!.find((u) => u.Username === "ann")!;
    expect(ann.UserStatus).toBe("FORCE_CHANGE_PASSWORD");
    expect(ann.Enabled).toBe(true);
    expect(ann.UserCreateDate).toBeInstanceOf(Date);
    expect(attributeMap(ann.Attributes)).toEqual({
      sub: subs.ann,
      email: "ann@example.com",
      given_name: "Ann",
      family_name: "Smith",
    });
  });

  it.each([
    ['email = "ann@example.com"', ["ann"]],
    ['email="ann@example.com"', ["ann"]],
    ['email ^= "an"', ["andy", "ann"]],
    ['email ^= "a%"', []],
    ['username = "bea"', ["bea"]],
    ['username ^= "b"', ["bea"]],
    ['phone_number = "+15555550101"', ["andy"]],
    ['given_name ^= "An"', ["andy", "ann"]],
    ['family_name = "Smith"', ["ann"]],
    ['family_name ^= "Smith"', ["ann", "carl"]],
    ['name = "Bea \\"B\\" Q"', ["bea"]],
    ['preferred_username = "bq"', ["bea"]],
    ['cognito:user_status = "CONFIRMED"', ["bea"]],
    ['cognito:user_status = "force_change_password"', ["andy", "ann", "carl"]],
    ['status = "Disabled"', ["carl"]],
    ['status = "Enabled"', ["andy", "ann", "bea"]],
    ['email = "nobody@example.com"', []],
    ["", ["andy", "ann", "bea", "carl"]],
  ])("filters %s", async (filter, expected) => {
    expect(await names(filter)).toEqual(expected);
  });

  it("matches a prefix literally, wildcard characters included", async () => {
    const pool = await createPool(server);
    for (const [username, email] of [
      ["under", "a_b@example.com"],
      ["plain", "axb@example.com"],
      ["percent", "a%c@example.com"],
    ]) {
      await server.client.send(
        new AdminCreateUserCommand({
          UserPoolId: pool,
          Username: username,
          MessageAction: "SUPPRESS",
          UserAttributes: [{ Name: "email", Value: email }],
        }),
      );
    }
    const found = async (filter: string) =>
      (await list({ UserPoolId: pool, Filter: filter })).Users!.map((u) => u.Username);
    expect(await found('email ^= "a_"')).toEqual(["under"]);
    expect(await found('email ^= "a%"')).toEqual(["percent"]);
    expect(await found('email ^= "A"')).toEqual([]);
  });

  it("filters by sub", async () => {
    expect(await names(`sub = "${subs.carl}"`)).toEqual(["carl"]);
  });

  it.each(["email = ann@example.com", "email", 'email == "a"', 'email ~ "a"', '= "a"'])(
    "refuses the malformed filter %s",
    async (filter) => {
      expect(await failure(list({ Filter: filter }))).toEqual({
        name: "InvalidParameterException",
        message: "Error while parsing filter",
      });
    },
  );

  it("refuses attributes that cannot be searched", async () => {
    expect(await failure(list({ Filter: 'custom:team = "a"' }))).toEqual({
      name: "InvalidParameterException",
      message: "Invalid search attribute: custom:team",
    });
  });

  it("returns only AttributesToGet", async () => {
    const res = await list({ AttributesToGet: ["email", "sub"], Filter: 'username = "ann"' });
    expect(res.Users![0].Attributes).toEqual([
      { Name: "sub", Value: subs.ann },
      { Name: "email", Value: "ann@example.com" },
    ]);
    const none = await list({ AttributesToGet: [], Filter: 'username = "ann"' });
    expect(none.Users![0].Attributes ?? []).toEqual([]);
  });

  it("pages with Limit and PaginationToken", async () => {
    const first = await list({ Limit: 3 });
    expect(first.Users!.map((u) => u.Username)).toEqual(["andy", "ann", "bea"]);
    expect(first.PaginationToken).toBeTruthy();
    const second = await list({ Limit: 3, PaginationToken: first.PaginationToken });
    expect(second.Users!.map((u) => u.Username)).toEqual(["carl"]);
    expect(second.PaginationToken).toBeUndefined();
  });

  it("pages a filtered listing", async () => {
    const first = await list({ Limit: 1, Filter: 'email ^= "an"' });
    expect(first.Users!.map((u) => u.Username)).toEqual(["andy"]);
    const second = await list({ Limit: 1, Filter: 'email ^= "an"', PaginationToken: first.PaginationToken });
    expect(second.Users!.map((u) => u.Username)).toEqual(["ann"]);
    expect(second.PaginationToken).toBeUndefined();
  });

  it("refuses a Limit above 60 and a foreign pagination token", async () => {
    expect(await failure(list({ Limit: 61 }))).toEqual({
      name: "InvalidParameterException",
      message:
        "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60",
    });
    expect(await failure(list({ PaginationToken: "not-a-token" }))).toEqual({
      name: "InvalidParameterException",
      message: "Invalid pagination token.",
    });
  });

  it("answers ResourceNotFoundException for an unknown pool", async () => {
    expect(await failure(list({ UserPoolId: "us-east-1_missing00" }))).toEqual({
      name: "ResourceNotFoundException",
      message: "User pool us-east-1_missing00 does not exist.",
    });
  });
});
