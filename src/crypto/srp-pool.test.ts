import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromHex, g, modPowN, N } from "./srp.js";
import { inlineSrpMath, SrpValueRefused, srpMath } from "./srp-pool.js";

const random = (bytes: number) => fromHex(randomBytes(bytes).toString("hex")) % N;

describe("SRP arithmetic in worker threads", () => {
  const pool = srpMath(2);

  it("computes what modPowN computes, for g and for other bases", async () => {
    const cases = Array.from({ length: 8 }, () => ({ base: random(384), exponent: random(32) }));
    const results = await Promise.all(cases.map((c) => pool.pow(c.base, c.exponent)));
    results.forEach((result, i) => {
      expect(result).toBe(modPowN(cases[i].base, cases[i].exponent));
    });
    const b = random(32);
    expect(await pool.pow(g, b)).toBe(modPowN(g, b));
  });

  it("computes the server's premaster secret as the calling thread does", async () => {
    const [A, v, u, b] = [random(384), random(384), random(32), random(32)];
    expect(await pool.serverSecret(A, v, u, b)).toBe(await inlineSrpMath.serverSecret(A, v, u, b));
  });

  it("refuses degenerate values, on the workers and on the calling thread alike", async () => {
    await expect(pool.serverSecret(1n, 1n, 1n, random(32))).rejects.toBeInstanceOf(SrpValueRefused);
    await expect(inlineSrpMath.serverSecret(1n, 1n, 1n, random(32))).rejects.toBeInstanceOf(SrpValueRefused);
  });
});
