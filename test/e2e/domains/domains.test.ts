import {
  CreateUserPoolDomainCommand,
  type CreateUserPoolDomainCommandInput,
  DeleteUserPoolCommand,
  DeleteUserPoolDomainCommand,
  DescribeUserPoolCommand,
  DescribeUserPoolDomainCommand,
  UpdateUserPoolDomainCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { domainHostName } from "../../../src/domain/domains.js";
import { createPool, expectError } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const MISSING_POOL = "us-east-1_AAAAAAAAA";
const CERTIFICATE = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555";
const OTHER_CERTIFICATE =
  "arn:aws:acm:us-east-1:000000000000:certificate/66666666-7777-8888-9999-000000000000";
const CHARSET_MESSAGE =
  "The domain name contains an invalid character. Domain names can only contain lower-case letters, numbers, and hyphens. Please enter a different name that follows this format: ^[a-z0-9](?:[a-z0-9\\-]{0,61}[a-z0-9])?$";
const NO_SUCH_DOMAIN = "No such domain or user pool exists.";

/** Domain names are unique across the server: every test takes fresh ones. */
let serial = 0;
function fresh(label: string): string {
  serial += 1;
  return `${label}-${serial}-${process.pid}`;
}
const freshHost = (label: string) => `${fresh(label)}.example.com`;

function create(input: CreateUserPoolDomainCommandInput) {
  return server.client.send(new CreateUserPoolDomainCommand(input));
}

async function describeDomain(domain: string) {
  return (await server.client.send(new DescribeUserPoolDomainCommand({ Domain: domain }))).DomainDescription;
}

async function describePool(userPoolId: string) {
  return (await server.client.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }))).UserPool;
}

describe("CreateUserPoolDomain", () => {
  it("creates a prefix domain with the classic hosted UI, described with every field", async () => {
    const poolId = await createPool(server);
    const domain = fresh("prefix");
    const created = await create({ UserPoolId: poolId, Domain: domain });
    expect(created.ManagedLoginVersion).toBe(1);
    expect(created.CloudFrontDomain).toBeUndefined();

    const description = await describeDomain(domain);
    expect(description).toEqual({
      UserPoolId: poolId,
      AWSAccountId: "000000000000",
      Domain: domain,
      S3Bucket: "aws-cognito-prod-us-east-1-assets",
      CloudFrontDistribution: expect.stringMatching(/^d[0-9a-f]{13}\.cloudfront\.net$/),
      Version: expect.stringMatching(/^20\d{12}$/),
      Status: "ACTIVE",
      ManagedLoginVersion: 1,
    });
  });

  it("creates a custom domain with its certificate and its own CloudFront distribution", async () => {
    const poolId = await createPool(server);
    const domain = freshHost("auth");
    const created = await create({
      UserPoolId: poolId,
      Domain: domain,
      CustomDomainConfig: { CertificateArn: CERTIFICATE },
      ManagedLoginVersion: 2,
    });
    expect(created.ManagedLoginVersion).toBe(2);
    expect(created.CloudFrontDomain).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);

    const description = await describeDomain(domain);
    expect(description?.CustomDomainConfig).toEqual({ CertificateArn: CERTIFICATE });
    expect(description?.CloudFrontDistribution).toBe(created.CloudFrontDomain);
    expect(description?.ManagedLoginVersion).toBe(2);
    expect(description?.Status).toBe("ACTIVE");
  });

  it("gives a pool one prefix and one custom domain, shown by DescribeUserPool", async () => {
    const poolId = await createPool(server);
    expect(await describePool(poolId)).not.toHaveProperty("Domain");
    expect(await describePool(poolId)).not.toHaveProperty("CustomDomain");
    const prefix = fresh("both");
    const host = freshHost("login");
    await create({ UserPoolId: poolId, Domain: prefix });
    await create({ UserPoolId: poolId, Domain: host, CustomDomainConfig: { CertificateArn: CERTIFICATE } });

    const pool = await describePool(poolId);
    expect(pool?.Domain).toBe(prefix);
    expect(pool?.CustomDomain).toBe(host);
  });

  it("offers managed login on the Essentials and Plus plans only", async () => {
    for (const tier of ["ESSENTIALS", "PLUS"] as const) {
      const poolId = await createPool(server, { UserPoolTier: tier });
      const created = await create({ UserPoolId: poolId, Domain: fresh("tier"), ManagedLoginVersion: 2 });
      expect(created.ManagedLoginVersion).toBe(2);
    }
    const lite = await createPool(server, { UserPoolTier: "LITE" });
    await expectError(
      create({ UserPoolId: lite, Domain: fresh("lite"), ManagedLoginVersion: 2 }),
      "FeatureUnavailableInTierException",
      "The following feature is not available for the LITE pricing tier configured: Managed Login Version 2",
    );
    const classic = await create({ UserPoolId: lite, Domain: fresh("lite"), ManagedLoginVersion: 1 });
    expect(classic.ManagedLoginVersion).toBe(1);
  });

  it("refuses a managed-login version other than 1 or 2", async () => {
    const poolId = await createPool(server);
    await expectError(
      create({ UserPoolId: poolId, Domain: fresh("version"), ManagedLoginVersion: 3 }),
      "InvalidParameterException",
      "ManagedLoginVersion 3 is not supported: use 1 (hosted UI classic) or 2 (managed login).",
    );
  });

  it("applies the model's constraints first", async () => {
    const empty = await server.call("CreateUserPoolDomain", { UserPoolId: MISSING_POOL, Domain: "" });
    expect(empty.status).toBe(400);
    expect(empty.body).toEqual({
      __type: "InvalidParameterException",
      message:
        "1 validation error detected: Value '' at 'domain' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
    const missing = await server.call("CreateUserPoolDomain", { Domain: "Not_Valid" });
    expect(missing.body.message).toBe(
      "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null",
    );
  });

  it("refuses a prefix outside the pattern with Cognito's message, before looking for the pool", async () => {
    for (const domain of ["My-Prefix", "under_score", "-leading", "trailing-", "dot.ted", "a".repeat(64)]) {
      await expectError(
        create({ UserPoolId: MISSING_POOL, Domain: domain }),
        "InvalidParameterException",
        CHARSET_MESSAGE,
      );
    }
  });

  it("refuses a custom domain with a label outside the pattern, or longer than a host name may be", async () => {
    const poolId = await createPool(server);
    const config = { CertificateArn: CERTIFICATE };
    for (const domain of [
      "Auth.example.com",
      "auth..example.com",
      "auth_1.example.com",
      "auth.example.com.",
    ]) {
      await expectError(
        create({ UserPoolId: poolId, Domain: domain, CustomDomainConfig: config }),
        "InvalidParameterException",
        CHARSET_MESSAGE,
      );
    }
    const long = `${Array.from({ length: 4 }, () => "a".repeat(62)).join(".")}.example.com`;
    const res = await server.call("CreateUserPoolDomain", {
      UserPoolId: poolId,
      Domain: long,
      CustomDomainConfig: config,
    });
    expect(res.body).toEqual({
      __type: "InvalidParameterException",
      message: `1 validation error detected: Value '${long}' at 'domain' failed to satisfy constraint: Member must have length less than or equal to 253`,
    });
  });

  it("refuses the reserved words anywhere in a prefix, but not in a custom domain", async () => {
    const poolId = await createPool(server);
    const cases = [
      ["myaws-login", "aws"],
      ["newcognito", "cognito"],
      ["amazonish", "amazon"],
    ];
    for (const [domain, word] of cases) {
      await expectError(
        create({ UserPoolId: poolId, Domain: domain }),
        "InvalidParameterException",
        `Domain cannot contain reserved word: ${word}`,
      );
    }
    const host = `login.${fresh("cognito")}.example.com`;
    await create({ UserPoolId: poolId, Domain: host, CustomDomainConfig: { CertificateArn: CERTIFICATE } });
    expect((await describeDomain(host))?.Domain).toBe(host);
  });

  it("refuses an unknown pool", async () => {
    await expectError(
      create({ UserPoolId: MISSING_POOL, Domain: fresh("nopool") }),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
  });

  it("refuses a second domain of the same kind for a pool", async () => {
    const poolId = await createPool(server);
    const prefix = fresh("first");
    await create({ UserPoolId: poolId, Domain: prefix });
    await create({
      UserPoolId: poolId,
      Domain: freshHost("first"),
      CustomDomainConfig: { CertificateArn: CERTIFICATE },
    });
    const message = "User pool already has a domain configured.";
    await expectError(create({ UserPoolId: poolId, Domain: prefix }), "InvalidParameterException", message);
    await expectError(
      create({ UserPoolId: poolId, Domain: fresh("second") }),
      "InvalidParameterException",
      message,
    );
    await expectError(
      create({
        UserPoolId: poolId,
        Domain: freshHost("second"),
        CustomDomainConfig: { CertificateArn: CERTIFICATE },
      }),
      "InvalidParameterException",
      message,
    );
  });

  it("refuses a name another pool holds", async () => {
    const owner = await createPool(server);
    const other = await createPool(server);
    const prefix = fresh("taken");
    const host = freshHost("taken");
    await create({ UserPoolId: owner, Domain: prefix });
    await create({ UserPoolId: owner, Domain: host, CustomDomainConfig: { CertificateArn: CERTIFICATE } });
    const message = "Domain already associated with another user pool.";
    await expectError(create({ UserPoolId: other, Domain: prefix }), "InvalidParameterException", message);
    await expectError(
      create({ UserPoolId: other, Domain: host, CustomDomainConfig: { CertificateArn: CERTIFICATE } }),
      "InvalidParameterException",
      message,
    );
  });

  it("refuses a custom domain without a parent domain", async () => {
    const poolId = await createPool(server);
    await expectError(
      create({
        UserPoolId: poolId,
        Domain: fresh("single"),
        CustomDomainConfig: { CertificateArn: CERTIFICATE },
      }),
      "InvalidParameterException",
      "Custom domain is not a valid subdomain: Was not able to resolve a DNS A record for the parent domain or domain parent is a top-level domain.",
    );
  });
});

describe("DescribeUserPoolDomain", () => {
  it("answers an unknown domain with an empty description and HTTP 200", async () => {
    const res = await server.call("DescribeUserPoolDomain", { Domain: fresh("unknown") });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ DomainDescription: {} });
  });

  it("finds a domain whatever the case of the name asked", async () => {
    const poolId = await createPool(server);
    const host = freshHost("case");
    await create({ UserPoolId: poolId, Domain: host, CustomDomainConfig: { CertificateArn: CERTIFICATE } });
    expect((await describeDomain(host.toUpperCase()))?.Domain).toBe(host);
  });
});

describe("UpdateUserPoolDomain", () => {
  it("changes the managed-login version, and keeps it when omitted", async () => {
    const poolId = await createPool(server);
    const domain = fresh("update");
    await create({ UserPoolId: poolId, Domain: domain });
    const before = await describeDomain(domain);
    const updated = await server.client.send(
      new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain, ManagedLoginVersion: 2 }),
    );
    expect(updated).toMatchObject({ ManagedLoginVersion: 2 });
    expect(updated.CloudFrontDomain).toBeUndefined();
    const kept = await server.client.send(
      new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain }),
    );
    expect(kept.ManagedLoginVersion).toBe(2);
    const after = await describeDomain(domain);
    expect(after?.ManagedLoginVersion).toBe(2);
    expect(after?.Domain).toBe(domain);
    expect(after?.CloudFrontDistribution).toBe(before?.CloudFrontDistribution);
  });

  it("changes a custom domain's certificate and keeps its CloudFront distribution", async () => {
    const poolId = await createPool(server);
    const host = freshHost("cert");
    const created = await create({
      UserPoolId: poolId,
      Domain: host,
      CustomDomainConfig: { CertificateArn: CERTIFICATE },
    });
    const updated = await server.client.send(
      new UpdateUserPoolDomainCommand({
        UserPoolId: poolId,
        Domain: host,
        CustomDomainConfig: { CertificateArn: OTHER_CERTIFICATE },
      }),
    );
    expect(updated.CloudFrontDomain).toBe(created.CloudFrontDomain);
    expect(updated.ManagedLoginVersion).toBe(1);
    const description = await describeDomain(host);
    expect(description?.CustomDomainConfig).toEqual({ CertificateArn: OTHER_CERTIFICATE });
    expect(description?.CloudFrontDistribution).toBe(created.CloudFrontDomain);
  });

  it("never changes a domain's kind", async () => {
    const poolId = await createPool(server);
    const prefix = fresh("kind");
    const host = freshHost("kind");
    await create({ UserPoolId: poolId, Domain: prefix });
    await create({ UserPoolId: poolId, Domain: host, CustomDomainConfig: { CertificateArn: CERTIFICATE } });
    await expectError(
      server.client.send(
        new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: host, ManagedLoginVersion: 2 }),
      ),
      "InvalidParameterException",
      "Cannot convert custom domain to prefix domain.",
    );
    await expectError(
      server.client.send(
        new UpdateUserPoolDomainCommand({
          UserPoolId: poolId,
          Domain: prefix,
          CustomDomainConfig: { CertificateArn: CERTIFICATE },
        }),
      ),
      "InvalidParameterException",
      "Cannot convert prefix domain to custom domain.",
    );
  });

  it("refuses managed login on the Lite plan and versions other than 1 or 2", async () => {
    const poolId = await createPool(server, { UserPoolTier: "LITE" });
    const domain = fresh("liteupdate");
    await create({ UserPoolId: poolId, Domain: domain });
    await expectError(
      server.client.send(
        new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain, ManagedLoginVersion: 2 }),
      ),
      "FeatureUnavailableInTierException",
      "The following feature is not available for the LITE pricing tier configured: Managed Login Version 2",
    );
    await expectError(
      server.client.send(
        new UpdateUserPoolDomainCommand({ UserPoolId: poolId, Domain: domain, ManagedLoginVersion: 0 }),
      ),
      "InvalidParameterException",
      "ManagedLoginVersion 0 is not supported: use 1 (hosted UI classic) or 2 (managed login).",
    );
    expect((await describeDomain(domain))?.ManagedLoginVersion).toBe(1);
  });

  it("refuses an unknown pool, and a domain the pool does not hold", async () => {
    const owner = await createPool(server);
    const other = await createPool(server);
    const domain = fresh("notheld");
    await create({ UserPoolId: owner, Domain: domain });
    await expectError(
      server.client.send(new UpdateUserPoolDomainCommand({ UserPoolId: MISSING_POOL, Domain: domain })),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      server.client.send(new UpdateUserPoolDomainCommand({ UserPoolId: other, Domain: domain })),
      "InvalidParameterException",
      NO_SUCH_DOMAIN,
    );
    await expectError(
      server.client.send(new UpdateUserPoolDomainCommand({ UserPoolId: owner, Domain: fresh("missing") })),
      "InvalidParameterException",
      NO_SUCH_DOMAIN,
    );
  });
});

describe("DeleteUserPoolDomain", () => {
  it("deletes the domain, which frees its name", async () => {
    const owner = await createPool(server);
    const domain = fresh("delete");
    await create({ UserPoolId: owner, Domain: domain });
    await server.client.send(new DeleteUserPoolDomainCommand({ UserPoolId: owner, Domain: domain }));
    expect(await describeDomain(domain)).toEqual({});
    expect(await describePool(owner)).not.toHaveProperty("Domain");

    const next = await createPool(server);
    await create({ UserPoolId: next, Domain: domain });
    expect((await describeDomain(domain))?.UserPoolId).toBe(next);
  });

  it("refuses an unknown pool, and a domain the pool does not hold", async () => {
    const owner = await createPool(server);
    const other = await createPool(server);
    const domain = fresh("keep");
    await create({ UserPoolId: owner, Domain: domain });
    await expectError(
      server.client.send(new DeleteUserPoolDomainCommand({ UserPoolId: MISSING_POOL, Domain: domain })),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      server.client.send(new DeleteUserPoolDomainCommand({ UserPoolId: other, Domain: domain })),
      "InvalidParameterException",
      NO_SUCH_DOMAIN,
    );
    await expectError(
      server.client.send(new DeleteUserPoolDomainCommand({ UserPoolId: owner, Domain: fresh("never") })),
      "InvalidParameterException",
      NO_SUCH_DOMAIN,
    );
    expect((await describeDomain(domain))?.UserPoolId).toBe(owner);
  });
});

describe("DeleteUserPool", () => {
  it("refuses a pool with a domain until the domain is deleted", async () => {
    const poolId = await createPool(server);
    const host = freshHost("pool");
    await create({ UserPoolId: poolId, Domain: host, CustomDomainConfig: { CertificateArn: CERTIFICATE } });
    await expectError(
      server.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId })),
      "InvalidParameterException",
      "User pool cannot be deleted. It has a domain configured that should be deleted first.",
    );
    await server.client.send(new DeleteUserPoolDomainCommand({ UserPoolId: poolId, Domain: host }));
    await server.client.send(new DeleteUserPoolCommand({ UserPoolId: poolId }));
    await expectError(
      describePool(poolId),
      "ResourceNotFoundException",
      `User pool ${poolId} does not exist.`,
    );
  });
});

describe("domainHostName", () => {
  it("names the host a browser uses on AWS", async () => {
    const poolId = await createPool(server);
    const prefix = fresh("host");
    const host = freshHost("host");
    await create({ UserPoolId: poolId, Domain: prefix });
    await create({ UserPoolId: poolId, Domain: host, CustomDomainConfig: { CertificateArn: CERTIFICATE } });
    const [byPrefix, byHost] = await Promise.all([
      server.services.store.domains.get(prefix),
      server.services.store.domains.get(host),
    ]);
    expect(domainHostName(byPrefix!, "us-east-1")).toBe(`${prefix}.auth.us-east-1.amazoncognito.com`);
    expect(domainHostName(byHost!, "us-east-1")).toBe(host);
  });
});
