import { describe, expect, it } from "vitest";
import { VECTOR_A, VECTOR_B, VECTOR_SECRET_BLOCK, VECTOR_TIMESTAMP } from "../../test/support/srp-vectors.js";
import {
  claimSignature,
  computeVerifier,
  formatSrpTimestamp,
  fromHex,
  g,
  k,
  modPowN,
  N,
  padHex,
  parseSrpTimestamp,
  passwordExponent,
  passwordMatches,
  scramblingParameter,
  serverEphemeral,
  serverSecret,
  sessionKey,
  toHex,
  verifyClaim,
} from "./srp.js";

// Test vector of shared/spec CHALLENGES.md §4.6.
const SALT = "1f2e3d4c5b6a79880123456789abcdef";
const V =
  "9b3f7eced2519c3d5d957d3cfb4debc59d974cb1d3f637a660e73309fd0043b5694dcf22e2ce18b9860a23f2b4b31500" +
  "9a30fc4d3c1744ed1c020522b2b05571826121061a2d6ce5f551c408c3bcb4a753ef43fd345120823aed8b2e5530dc7f" +
  "1b079e4fc9ed3afd53f435f669db908ecb0891a977ab01c15667a7e473338fd9e0f52c47e585cc9e8a08af2d0c1319e3" +
  "614889239f123f7a501cc42c02dc6619eb0b99e046b96225f892de3b22240fd4be53c4a9e131376b772af389147e4463" +
  "40eb2cb3eedf95f76362c9bd2eed750ac5962e198f44d0f6017def365d4bd4135b462c6eee912255d7630b386017f571" +
  "e352a55597069e32c5d80960ab6e553e69153250e78e9bd1430d1018299fd207156f8288f42749e7d81f415112b47e10" +
  "de4d4ad8d637b962f92e394f646b5a4057052d2f74b4c1fa486b29115612d5191959968e0e636888e543076f5d39e782" +
  "13532213c7970c9379ca004f21660c4d5d1e3321ed95855dcb0adfbb06b0c29a7355cf28949b1530bffb74ebfbb6f50a";

describe("SRP primitives", () => {
  it("computes k", () => {
    expect(toHex(k)).toBe("538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6");
  });

  it("pads hex as the clients do", () => {
    expect(padHex(0xabn)).toBe("00ab");
    expect(padHex(0x1abn)).toBe("01ab");
    expect(padHex(0x7fn)).toBe("7f");
  });

  it("derives x and the verifier of the spec's vector", () => {
    expect(toHex(passwordExponent("EXAMPLE", "testuser", "Passw0rd!", SALT))).toBe(
      "846e9b2a0e7c9246e59a61b3767363dd9b37712c36d0a621540c0b468097e440",
    );
    const v = computeVerifier("us-east-1_EXAMPLE", "testuser", "Passw0rd!", SALT);
    expect(fromHex(v.verifier)).toBe(fromHex(V));
  });

  it("checks a password against its verifier", () => {
    const stored = computeVerifier("us-east-1_EXAMPLE", "testuser", "Passw0rd!");
    expect(passwordMatches("us-east-1_EXAMPLE", "testuser", "Passw0rd!", stored)).toBe(true);
    expect(passwordMatches("us-east-1_EXAMPLE", "testuser", "Passw0rd?", stored)).toBe(false);
    expect(passwordMatches("us-east-1_OTHER", "testuser", "Passw0rd!", stored)).toBe(false);
  });
});

describe("SRP server side, with the spec's vector", () => {
  const a = VECTOR_A;
  const b = VECTOR_B;
  const v = fromHex(V);
  const secretBlock = VECTOR_SECRET_BLOCK;
  const timestamp = VECTOR_TIMESTAMP;

  it("computes B, u, S, K and the claim signature", () => {
    const A = modPowN(g, a);
    expect(toHex(A).startsWith("edf30b98890f072dc778230ea9930d446f6c89e44eb2edec4d197263f47a4065")).toBe(
      true,
    );
    const { B } = serverEphemeral(v, b);
    expect(toHex(B).startsWith("55fff5edc0588953a45973137ff7a25a652a678c59eb5bff23277a1b17bde3f7")).toBe(
      true,
    );
    const u = scramblingParameter(A, B);
    expect(toHex(u)).toBe("a5b46525957e42e09652f66328eca2821782db61992343666c1275c4617231a4");
    const S = serverSecret(A, v, u, b);
    expect(toHex(S).startsWith("3bc56d4876a06b21bf62749bd3ce714060280e4ea5c53bec978f87e43f280534")).toBe(
      true,
    );
    const K = sessionKey(u, S);
    expect(K.toString("hex")).toBe("f802d782f5d9e13e4860a5fb988cf254");
    expect(claimSignature(K, "EXAMPLE", "testuser", secretBlock, timestamp).toString("base64")).toBe(
      "vEetvruXBOEKcnAq10KanaUi1TvVJJxY6srclfAmZMM=",
    );
    const claim = { A, B, b, verifier: v, poolName: "EXAMPLE", userId: "testuser", secretBlock, timestamp };
    expect(verifyClaim({ ...claim, signature: "vEetvruXBOEKcnAq10KanaUi1TvVJJxY6srclfAmZMM=" })).toBe(true);
    expect(verifyClaim({ ...claim, signature: "wEetvruXBOEKcnAq10KanaUi1TvVJJxY6srclfAmZMM=" })).toBe(false);
    expect(verifyClaim({ ...claim, A: N, signature: "vEetvruXBOEKcnAq10KanaUi1TvVJJxY6srclfAmZMM=" })).toBe(
      false,
    );
  });

  it("formats and parses TIMESTAMP as Java's EEE MMM d HH:mm:ss z yyyy", () => {
    const date = new Date(Date.UTC(2025, 4, 7, 0, 9, 40));
    expect(formatSrpTimestamp(date)).toBe("Wed May 7 00:09:40 UTC 2025");
    // The vector's weekday is wrong for the date; Cognito parses it all the same.
    expect(parseSrpTimestamp(timestamp)?.getTime()).toBe(date.getTime());
    expect(parseSrpTimestamp("Tue May 07 00:09:40 UTC 2025")?.getTime()).toBe(date.getTime());
    expect(parseSrpTimestamp("Tue May  7 00:09:40 UTC 2025")).toBeUndefined();
    expect(parseSrpTimestamp("2025-05-07T00:09:40Z")).toBeUndefined();
  });
});
