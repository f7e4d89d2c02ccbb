/**
 * Tags on user pools (ADMINISTRATION.md §2): TagResource, UntagResource, ListTagsForResource, and
 * the one set of tags they share with CreateUserPool, UpdateUserPool and DescribeUserPool.
 */
import {
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserPoolCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

async function taggedPool(tags?: Record<string, string>): Promise<{ poolId: string; arn: string }> {
  const out = await server.client.send(new CreateUserPoolCommand({ PoolName: "tagged", UserPoolTags: tags }));
  return { poolId: out.UserPool?.Id as string, arn: out.UserPool?.Arn as string };
}

async function tagsOf(arn: string) {
  return (await server.client.send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags;
}

async function describedTags(poolId: string) {
  return (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: poolId }))).UserPool
    ?.UserPoolTags;
}

describe("tags", () => {
  it("are those CreateUserPool set, changed by TagResource and UntagResource, as DescribeUserPool shows them", async () => {
    const { poolId, arn } = await taggedPool({ team: "identity", stage: "dev" });
    expect(arn).toBe(`arn:aws:cognito-idp:us-east-1:000000000000:userpool/${poolId}`);
    expect(await tagsOf(arn)).toEqual({ team: "identity", stage: "dev" });

    const tagged = await server.client.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: { stage: "prod", "cost center": "42/a:b=c+d-e@f_g.h" },
      }),
    );
    expect(tagged.$metadata.httpStatusCode).toBe(200);
    expect(await tagsOf(arn)).toEqual({
      team: "identity",
      stage: "prod",
      "cost center": "42/a:b=c+d-e@f_g.h",
    });

    await server.client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ["team", "never-set"] }));
    const expected = { stage: "prod", "cost center": "42/a:b=c+d-e@f_g.h" };
    expect(await tagsOf(arn)).toEqual(expected);
    expect(await describedTags(poolId)).toEqual(expected);
  });

  it("answer an empty map for a pool without tags", async () => {
    const { arn } = await taggedPool();
    expect(await tagsOf(arn)).toEqual({});
  });

  it("are kept by UpdateUserPool without UserPoolTags, and replaced by it with them", async () => {
    const { poolId, arn } = await taggedPool({ a: "1" });
    await server.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { b: "2" } }));
    await server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, MfaConfiguration: "OFF" }));
    expect(await tagsOf(arn)).toEqual({ a: "1", b: "2" });
    await server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolTags: { c: "3" } }));
    expect(await tagsOf(arn)).toEqual({ c: "3" });
  });

  it("follow the tag rules, changing nothing when refused", async () => {
    const { arn } = await taggedPool({ keep: "me" });
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, "v"]));
    await expectError(
      server.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: fifty })),
      "InvalidParameterException",
      "A user pool can have at most 50 tags.",
    );
    await expectError(
      server.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { "aws:owner": "x" } })),
      "InvalidParameterException",
      "Tag keys starting with aws: are reserved for AWS.",
    );
    await expectError(
      server.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: { ok: "semi;colon" } })),
      "InvalidParameterException",
      "Tag keys and values may contain only letters, digits, spaces and _ . : / = + - @.",
    );
    expect(await tagsOf(arn)).toEqual({ keep: "me" });
    const tooLong = await server.call("TagResource", { ResourceArn: arn, Tags: { ["k".repeat(129)]: "v" } });
    expect(tooLong.body.__type).toBe("InvalidParameterException");
  });

  it("that break the rules in CreateUserPool and UpdateUserPool are a UserPoolTaggingException", async () => {
    await expectError(
      server.client.send(new CreateUserPoolCommand({ PoolName: "x", UserPoolTags: { "aws:x": "y" } })),
      "UserPoolTaggingException",
      "Tag keys starting with aws: are reserved for AWS.",
    );
    const { poolId } = await taggedPool();
    await expectError(
      server.client.send(new UpdateUserPoolCommand({ UserPoolId: poolId, UserPoolTags: { "a|b": "c" } })),
      "UserPoolTaggingException",
      "Tag keys and values may contain only letters, digits, spaces and _ . : / = + - @.",
    );
  });

  it("name the pool by its ARN", async () => {
    const { poolId } = await taggedPool();
    const lambdaArn = "arn:aws:lambda:us-east-1:000000000000:function:f";
    await expectError(
      server.client.send(new ListTagsForResourceCommand({ ResourceArn: lambdaArn })),
      "InvalidParameterException",
      `${lambdaArn} is not the ARN of a user pool.`,
    );
    const missing = "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_nothere00";
    await expectError(
      server.client.send(new TagResourceCommand({ ResourceArn: missing, Tags: { a: "b" } })),
      "ResourceNotFoundException",
      "User pool us-east-1_nothere00 does not exist.",
    );
    const otherAccount = `arn:aws:cognito-idp:us-east-1:123456789012:userpool/${poolId}`;
    await expectError(
      server.client.send(new UntagResourceCommand({ ResourceArn: otherAccount, TagKeys: ["a"] })),
      "ResourceNotFoundException",
      `User pool ${poolId} does not exist.`,
    );
  });
});
