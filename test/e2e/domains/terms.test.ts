import {
  CreateTermsCommand,
  type CreateTermsCommandInput,
  DeleteTermsCommand,
  DeleteUserPoolClientCommand,
  DescribeTermsCommand,
  ListTermsCommand,
  UpdateTermsCommand,
  type UpdateTermsCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { termsForClient, termsLink } from "../../../src/domain/terms.js";
import { createClient, createPool, expectError } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const MISSING_POOL = "us-east-1_AAAAAAAAA";
const MISSING_TERMS = "0f8fad5b-d9cb-469f-a165-70867728950e";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LINKS = {
  "cognito:default": "https://example.com/terms",
  "cognito:french": "https://example.com/fr/conditions",
};

async function poolAndClient(): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  return { poolId, clientId };
}

async function create(input: Partial<CreateTermsCommandInput> & { UserPoolId: string; ClientId: string }) {
  const out = await server.client.send(
    new CreateTermsCommand({
      TermsName: "terms-of-use",
      TermsSource: "LINK",
      Enforcement: "NONE",
      Links: LINKS,
      ...input,
    }),
  );
  return out.Terms!;
}

async function update(input: UpdateTermsCommandInput) {
  return (await server.client.send(new UpdateTermsCommand(input))).Terms!;
}

async function describeTerms(UserPoolId: string, TermsId: string) {
  return (await server.client.send(new DescribeTermsCommand({ UserPoolId, TermsId }))).Terms!;
}

describe("CreateTerms", () => {
  it("creates a document with every field", async () => {
    const { poolId, clientId } = await poolAndClient();
    const terms = await create({ UserPoolId: poolId, ClientId: clientId });
    expect(terms).toEqual({
      TermsId: expect.stringMatching(UUID_V4),
      UserPoolId: poolId,
      ClientId: clientId,
      TermsName: "terms-of-use",
      TermsSource: "LINK",
      Enforcement: "NONE",
      Links: LINKS,
      CreationDate: expect.any(Date),
      LastModifiedDate: expect.any(Date),
    });
    expect(await describeTerms(poolId, terms.TermsId!)).toEqual(terms);
  });

  it("gives a client one document of each name", async () => {
    const { poolId, clientId } = await poolAndClient();
    const { clientId: otherClient } = await createClient(server, poolId);
    await create({ UserPoolId: poolId, ClientId: clientId });
    await create({ UserPoolId: poolId, ClientId: clientId, TermsName: "privacy-policy" });
    await create({ UserPoolId: poolId, ClientId: otherClient });
    await expectError(
      create({ UserPoolId: poolId, ClientId: clientId }),
      "TermsExistsException",
      `App client ${clientId} already has a terms-of-use document.`,
    );
  });

  it("needs links", async () => {
    const { poolId, clientId } = await poolAndClient();
    await expectError(
      create({ UserPoolId: poolId, ClientId: clientId, Links: undefined }),
      "InvalidParameterException",
      "Links are required for terms whose TermsSource is LINK.",
    );
  });

  it("applies the model's constraints to names, languages and URLs", async () => {
    const { poolId, clientId } = await poolAndClient();
    const base = { UserPoolId: poolId, ClientId: clientId, TermsSource: "LINK", Enforcement: "NONE" };
    const name = await server.call("CreateTerms", { ...base, TermsName: "cookies", Links: LINKS });
    expect(name.body.message).toBe(
      "1 validation error detected: Value 'cookies' at 'termsName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(terms-of-use|privacy-policy)$",
    );
    const language = await server.call("CreateTerms", {
      ...base,
      TermsName: "terms-of-use",
      Links: { "cognito:klingon": "https://example.com" },
    });
    expect(language.body.message).toBe(
      "1 validation error detected: Value 'cognito:klingon' at 'links.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ^cognito:(default|dutch|english|french|spanish|german|bahasa-indonesia|italian|japanese|korean|portuguese-brazil|chinese-(simplified|traditional))$",
    );
    const empty = await server.call("CreateTerms", { ...base, TermsName: "terms-of-use", Links: {} });
    expect(empty.body.message).toBe(
      "1 validation error detected: Value '{}' at 'links' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    const url = `https://example.com/${"a".repeat(1010)}`;
    const long = await server.call("CreateTerms", {
      ...base,
      TermsName: "terms-of-use",
      Links: { "cognito:default": url },
    });
    expect(long.body.message).toBe(
      `1 validation error detected: Value '${url}' at 'links.cognito:default' failed to satisfy constraint: Member must have length less than or equal to 1024`,
    );
    const source = await server.call("CreateTerms", {
      ...base,
      TermsSource: "PDF",
      TermsName: "terms-of-use",
      Links: LINKS,
    });
    expect(source.body.message).toBe(
      "1 validation error detected: Value 'PDF' at 'termsSource' failed to satisfy constraint: Member must satisfy enum value set: [LINK]",
    );
  });

  it("refuses an unknown pool or client", async () => {
    const { poolId } = await poolAndClient();
    const other = await poolAndClient();
    await expectError(
      create({ UserPoolId: MISSING_POOL, ClientId: other.clientId }),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      create({ UserPoolId: poolId, ClientId: other.clientId }),
      "ResourceNotFoundException",
      `User pool client ${other.clientId} does not exist.`,
    );
  });
});

describe("DescribeTerms", () => {
  it("refuses an unknown pool, an unknown document and another pool's", async () => {
    const { poolId } = await poolAndClient();
    const other = await poolAndClient();
    const foreign = await create({ UserPoolId: other.poolId, ClientId: other.clientId });
    await expectError(
      describeTerms(MISSING_POOL, MISSING_TERMS),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    for (const id of [MISSING_TERMS, foreign.TermsId!]) {
      await expectError(
        describeTerms(poolId, id),
        "ResourceNotFoundException",
        `Terms document ${id} does not exist.`,
      );
    }
  });
});

describe("UpdateTerms", () => {
  it("replaces the members given and keeps the others", async () => {
    const { poolId, clientId } = await poolAndClient();
    const terms = await create({ UserPoolId: poolId, ClientId: clientId });
    const links = { "cognito:english": "https://example.com/en/terms" };
    const updated = await update({ UserPoolId: poolId, TermsId: terms.TermsId, Links: links });
    expect(updated).toEqual({ ...terms, Links: links, LastModifiedDate: expect.any(Date) });
    const renamed = await update({ UserPoolId: poolId, TermsId: terms.TermsId, TermsName: "privacy-policy" });
    expect(renamed.TermsName).toBe("privacy-policy");
    expect(renamed.Links).toEqual(links);
    expect(await describeTerms(poolId, terms.TermsId!)).toEqual(renamed);
  });

  it("refuses a name the client's other document has", async () => {
    const { poolId, clientId } = await poolAndClient();
    const terms = await create({ UserPoolId: poolId, ClientId: clientId });
    await create({ UserPoolId: poolId, ClientId: clientId, TermsName: "privacy-policy" });
    await expectError(
      update({ UserPoolId: poolId, TermsId: terms.TermsId, TermsName: "privacy-policy" }),
      "TermsExistsException",
      `App client ${clientId} already has a privacy-policy document.`,
    );
    expect((await describeTerms(poolId, terms.TermsId!)).TermsName).toBe("terms-of-use");
  });

  it("refuses an unknown pool or document", async () => {
    const { poolId } = await poolAndClient();
    await expectError(
      update({ UserPoolId: MISSING_POOL, TermsId: MISSING_TERMS }),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      update({ UserPoolId: poolId, TermsId: MISSING_TERMS, Enforcement: "NONE" }),
      "ResourceNotFoundException",
      `Terms document ${MISSING_TERMS} does not exist.`,
    );
  });
});

describe("DeleteTerms", () => {
  it("deletes the document, after which the client can have a new one of that name", async () => {
    const { poolId, clientId } = await poolAndClient();
    const terms = await create({ UserPoolId: poolId, ClientId: clientId });
    await server.client.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: terms.TermsId }));
    await expectError(
      describeTerms(poolId, terms.TermsId!),
      "ResourceNotFoundException",
      `Terms document ${terms.TermsId} does not exist.`,
    );
    expect((await create({ UserPoolId: poolId, ClientId: clientId })).TermsId).not.toBe(terms.TermsId);
  });

  it("refuses an unknown pool or document", async () => {
    const { poolId } = await poolAndClient();
    await expectError(
      server.client.send(new DeleteTermsCommand({ UserPoolId: MISSING_POOL, TermsId: MISSING_TERMS })),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      server.client.send(new DeleteTermsCommand({ UserPoolId: poolId, TermsId: MISSING_TERMS })),
      "ResourceNotFoundException",
      `Terms document ${MISSING_TERMS} does not exist.`,
    );
  });
});

describe("ListTerms", () => {
  it("lists a pool's documents in pages", async () => {
    const poolId = await createPool(server);
    const created = [];
    for (let i = 0; i < 3; i++) {
      const { clientId } = await createClient(server, poolId);
      created.push(await create({ UserPoolId: poolId, ClientId: clientId }));
      created.push(await create({ UserPoolId: poolId, ClientId: clientId, TermsName: "privacy-policy" }));
    }
    const summaries = created
      .map((t) => ({
        TermsId: t.TermsId,
        TermsName: t.TermsName,
        Enforcement: t.Enforcement,
        CreationDate: t.CreationDate,
        LastModifiedDate: t.LastModifiedDate,
      }))
      .sort((a, b) => (a.TermsId! < b.TermsId! ? -1 : 1));

    const all = await server.client.send(new ListTermsCommand({ UserPoolId: poolId }));
    expect(all.Terms).toEqual(summaries);
    expect(all.NextToken).toBeUndefined();

    const first = await server.client.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 4 }));
    expect(first.Terms).toEqual(summaries.slice(0, 4));
    expect(first.NextToken).toBeDefined();
    const second = await server.client.send(
      new ListTermsCommand({ UserPoolId: poolId, MaxResults: 4, NextToken: first.NextToken }),
    );
    expect(second.Terms).toEqual(summaries.slice(4));
    expect(second.NextToken).toBeUndefined();
  });

  it("lists nothing for a pool without documents", async () => {
    const poolId = await createPool(server);
    expect((await server.client.send(new ListTermsCommand({ UserPoolId: poolId }))).Terms).toEqual([]);
  });

  it("refuses an unknown pool, a bad token and a page over 60", async () => {
    const poolId = await createPool(server);
    await expectError(
      server.client.send(new ListTermsCommand({ UserPoolId: MISSING_POOL })),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      server.client.send(new ListTermsCommand({ UserPoolId: poolId, NextToken: "bogus" })),
      "InvalidParameterException",
      "Invalid pagination token.",
    );
    await expectError(
      server.client.send(new ListTermsCommand({ UserPoolId: poolId, MaxResults: 61 })),
      "InvalidParameterException",
      "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
    );
  });
});

describe("the sign-up page's terms", () => {
  it("are both documents once both exist, linked in the page's language or by default", async () => {
    const { poolId, clientId } = await poolAndClient();
    const { store } = server.services;
    await create({ UserPoolId: poolId, ClientId: clientId });
    expect(await termsForClient(store, poolId, clientId)).toBeUndefined();
    const privacy = { "cognito:default": "https://example.com/privacy" };
    await create({ UserPoolId: poolId, ClientId: clientId, TermsName: "privacy-policy", Links: privacy });

    const terms = await termsForClient(store, poolId, clientId);
    expect(terms).toEqual({ termsOfUse: LINKS, privacyPolicy: privacy });
    expect(termsLink(terms!.termsOfUse, "french")).toBe("https://example.com/fr/conditions");
    expect(termsLink(terms!.termsOfUse, "german")).toBe("https://example.com/terms");
    expect(termsLink(terms!.privacyPolicy, "french")).toBe("https://example.com/privacy");
  });

  it("go with a deleted client", async () => {
    const { poolId, clientId } = await poolAndClient();
    await create({ UserPoolId: poolId, ClientId: clientId });
    await server.client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    expect(await server.services.store.terms.listForClient(poolId, clientId)).toEqual([]);
  });
});
