/** The device-SRP test vector of shared/spec CHALLENGES.md §5.3: poolName := DeviceGroupKey, username := DeviceKey. */
import { describe, expect, it } from "vitest";
import { VECTOR_A, VECTOR_B, VECTOR_SECRET_BLOCK, VECTOR_TIMESTAMP } from "../../test/support/srp-vectors.js";
import {
  claimSignature,
  fromHex,
  g,
  modPowN,
  padHex,
  passwordExponent,
  scramblingParameter,
  serverEphemeral,
  serverSecret,
  sessionKey,
  toHex,
  verifyClaim,
} from "./srp.js";

const GROUP_KEY = "-v7w9UcY6";
const DEVICE_KEY = "us-east-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const DEVICE_SECRET = "ZGV2aWNlLXNlY3JldC1leGFtcGxlLTQwLWJ5dGVzLXh4eHh4eHh4eHg=";
const SALT = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const CONFIRM_SALT = "ChssPU5fYHGCk6S1xtfo+Q==";
const CONFIRM_VERIFIER =
  "AI9ENbEKzJpLxT+ovAV/FdDQJ3y1KjPeYpK9EZ23biXKK9rheUJ5Zx8AL1+1oCaYEqFzbZvv9MN9srtWxFMpwTwim8mKkk7t8kebyhefPVLW6ueW4I8/q4AEYd+M5jfnBeajPOP/oUiYviCDevFFwqFh40s6+lIUTC/ByS0Wy9vuzhGnpPosLKAVD7xC0yvO62fzQWvkoYWga1fq9AY1UwCftYn6vUlTlIUKaz1wQw9IZXu0LdV01EYmEjNbNX4N2fJgl4Ly3Dn9Ay5jHM0fb73JXVZupemUHj5lQYJU/F36REVGTSvr5X+0PZG7ApdMmq5erzQbHBD7keo0BtwbQW4NtK7guB/trAvHWLjxkVftTkKZ+m3YKjVsefKrmhf36MHS5xfmRvcAi9nVNaTkh7z59XYCNln8mdDWyoxMKLdGy3G1pSSnHJc5a5Y391Qk5Fwak5PoS0O4lHVCeQ2LCvU3nIHdURM5pGJiHlW+Id3KBfL0WCdzAwM5gSIiYNuJtQ==";
const SRP_B =
  "c0e575bf737fd5c9cbe5c881f1981ba7e88d43687110588f62f4f74e6e8f43f27800b0c7b89dc831c59ba82f796872ab79554f1d6adf4b6f8c63aff868fc44f20a5cf4960ee8c20d595b5f8e2896f5f7f5ec8325a1ef4d3f22023664e11c526ccf58277dfa01d81cb4d624ff2bafa58d06676ef9103bae5352aaa6866f14d096601682bef1b556c0569e9e1e38830946b69c5acf58203283970f71b485964292ee43d5a6db6132009d1de4033edec6496126e9d32d38811c495df63c2a66ef49562d831a9e64ae4f2504d0b0f7975279396178f69ab027a38cfe43c875aefd63464786dabd85668637340bd7e161d97b8173841f51ce481048fb86ac573e9cfce75f77bf839e3ed83fe4656069a1fe71778b18753b59548f945d879904e2df0c04828c3c43db9adb5507bfe00a72c4eb6406f441a657fdca6c0177b109aa5d34bb13b35ba4e93b0d7c903c95fc9f6d3b2ef175d90598ccffaaab67bfbbedd6e0ff1cb9d78a4fa6cba8142cc7c037fc97403f7f8a5a06a35c635fb205cad7b096";
const SIGNATURE = "ya8hazhzbepBoOgpGPKAXCUo8Enhwu/LrtdfSl+QWkM=";

const base64Bytes = (n: bigint) => Buffer.from(padHex(n), "hex").toString("base64");

describe("device SRP, with the spec's vector", () => {
  const a = VECTOR_A;
  const b = VECTOR_B;
  const secretBlock = VECTOR_SECRET_BLOCK;
  const timestamp = VECTOR_TIMESTAMP;
  const x = passwordExponent(GROUP_KEY, DEVICE_KEY, DEVICE_SECRET, SALT);
  const v = modPowN(g, x);

  it("derives the device's x and the ConfirmDevice verifier and salt", () => {
    expect(toHex(x)).toBe("f424a28e70386194f20868c1322238e4058bec67200120cbc7c7c5af14346d38");
    expect(base64Bytes(v)).toBe(CONFIRM_VERIFIER);
    expect(base64Bytes(fromHex(SALT))).toBe(CONFIRM_SALT);
    // The server reads them back as the same integers.
    expect(fromHex(Buffer.from(CONFIRM_VERIFIER, "base64").toString("hex"))).toBe(v);
    expect(padHex(fromHex(Buffer.from(CONFIRM_SALT, "base64").toString("hex")))).toBe(SALT);
  });

  it("computes B, u, K and the claim signature, and verifies the claim", () => {
    const A = modPowN(g, a);
    const { B } = serverEphemeral(v, b);
    expect(toHex(B)).toBe(SRP_B);
    const u = scramblingParameter(A, B);
    expect(toHex(u)).toBe("f47193c5f58d02a6fd5dca8058c0aecea095c31cbe657d999a9b53290eb05bd");
    const K = sessionKey(u, serverSecret(A, v, u, b));
    expect(K.toString("hex")).toBe("e618b188b8d857cbabfe2a654ff1f95d");
    expect(claimSignature(K, GROUP_KEY, DEVICE_KEY, secretBlock, timestamp).toString("base64")).toBe(
      SIGNATURE,
    );
    const claim = { A, B, b, verifier: v, poolName: GROUP_KEY, userId: DEVICE_KEY, secretBlock, timestamp };
    expect(verifyClaim({ ...claim, signature: SIGNATURE })).toBe(true);
    expect(verifyClaim({ ...claim, userId: "us-east-1_other", signature: SIGNATURE })).toBe(false);
  });
});
