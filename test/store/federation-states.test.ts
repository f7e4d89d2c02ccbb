/**
 * What federated sign-in keeps, on every dialect: a round trip is taken by exactly one of two
 * instances, a used SAML assertion ID is refused a second time, a SAML session is taken with its
 * browser session, and all of them go once expired.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuplicateKeyError } from "../../src/store/duplicates.js";
import type { Store } from "../../src/store/store.js";
import { dialects, type TestDatabase } from "./databases.js";
import { T0, T1 } from "./fixtures.js";

describe.each(await dialects())("federation state on $name", (dialect) => {
  const test = dialect.skipReason ? it.skip : it;
  if (dialect.skipReason) it.skip(`skipped: ${dialect.skipReason}`, () => {});

  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    if (dialect.skipReason) return;
    db = await dialect.open();
    store = db.store;
  });
  afterAll(async () => {
    if (dialect.skipReason) return;
    await db.close();
  });

  function state(idHash: string, expiresAt = T1) {
    return {
      idHash,
      poolId: "us-east-1_fed",
      kind: "oauth" as const,
      providerName: "Corp",
      browserHash: "b".repeat(64),
      data: { domain: "fed", nonce: "n-1", query: "client_id=c" },
      expiresAt,
    };
  }

  test("a round trip is taken once, by one of two instances, with what it keeps", async () => {
    await store.federationStates.insert(state("h1"));
    const [a, b] = await Promise.all([
      store.federationStates.take("h1"),
      db.peer.federationStates.take("h1"),
    ]);
    const taken = [a, b].filter((s) => s !== undefined);
    expect(taken).toHaveLength(1);
    expect(taken[0]).toEqual(state("h1"));
    expect(await store.federationStates.take("h1")).toBeUndefined();
  });

  test("a SAML assertion ID is recorded once per provider", async () => {
    await store.samlAssertions.insert("us-east-1_fed", "Okta", "_a1", T1);
    await expect(store.samlAssertions.insert("us-east-1_fed", "Okta", "_a1", T1)).rejects.toBeInstanceOf(
      DuplicateKeyError,
    );
    await store.samlAssertions.insert("us-east-1_fed", "Other", "_a1", T1);
  });

  test("a SAML session is taken with its browser session", async () => {
    const subject = {
      nameId: "carlos@idp.example",
      nameIdFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
      nameQualifier: null,
      spNameQualifier: null,
      sessionIndex: "_s1",
    };
    await store.samlSessions.insert({
      sessionHash: "s1",
      poolId: "us-east-1_fed",
      providerName: "Okta",
      subject,
      expiresAt: T1,
    });
    expect((await store.samlSessions.take("s1"))?.subject).toEqual(subject);
    expect(await store.samlSessions.take("s1")).toBeUndefined();
  });

  test("expired ones go", async () => {
    await store.federationStates.insert(state("old", T0));
    await store.samlAssertions.insert("us-east-1_fed", "Okta", "_old", T0);
    const after = new Date(T0.getTime() + 1);
    await store.federationStates.deleteExpired(after);
    await store.samlAssertions.deleteExpired(after);
    expect(await store.federationStates.take("old")).toBeUndefined();
    // Forgotten once expired: recording it again no longer collides.
    await store.samlAssertions.insert("us-east-1_fed", "Okta", "_old", T1);
  });
});
