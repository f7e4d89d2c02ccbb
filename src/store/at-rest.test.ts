import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { keyIdOf, SecretsAtRest } from "./at-rest.js";

const key = randomBytes(32);
const sealed = new SecretsAtRest(key);

describe("secrets at rest", () => {
  it("are sealed under the current key, named by its id, and open where they were kept", () => {
    const stored = sealed.seal("server_secrets:a", "the secret");
    expect(stored).toMatch(new RegExp(`^enc:1:${keyIdOf(key)}:[\\w-]+$`));
    expect(stored).not.toContain("the secret");
    expect(sealed.open("server_secrets:a", stored)).toBe("the secret");
  });

  it("do not open elsewhere, nor altered", () => {
    const stored = sealed.seal("server_secrets:a", "the secret");
    expect(() => sealed.open("server_secrets:b", stored)).toThrow("does not open with key");
    const altered = `${stored.slice(0, -2)}${stored.endsWith("AA") ? "BB" : "AA"}`;
    expect(() => sealed.open("server_secrets:a", altered)).toThrow("does not open with key");
  });

  it("are kept in clear without a key, and a value in clear reads as it is", () => {
    const clear = SecretsAtRest.none();
    expect(clear.seal("p", "v")).toBe("v");
    expect(sealed.open("p", "-----BEGIN PRIVATE KEY-----")).toBe("-----BEGIN PRIVATE KEY-----");
    expect(clear.isCurrent("v")).toBe(true);
    expect(sealed.isCurrent("v")).toBe(false);
  });

  it("open with a previous key what it sealed", () => {
    const old = sealed.seal("p", "v");
    const rotated = new SecretsAtRest(randomBytes(32), [key]);
    expect(rotated.open("p", old)).toBe("v");
    expect(rotated.isCurrent(old)).toBe(false);
    expect(() => new SecretsAtRest(randomBytes(32)).open("p", old)).toThrow(
      `a secret at rest is encrypted with key ${keyIdOf(key)}, which the configuration does not give`,
    );
  });
});
