import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fromHex, g, modPowN, N } from "./srp.js";
import { defaultSrpWorkers, inlineSrpMath, SrpValueRefused, srpMath } from "./srp-pool.js";

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

describe("SRP threads when none are configured", () => {
  it("gives one process every core but one, and at least one thread", () => {
    expect(defaultSrpWorkers(1, 2)).toBe(1);
    expect(defaultSrpWorkers(1, 16)).toBe(15);
    expect(defaultSrpWorkers(1, 1)).toBe(1);
  });

  it("shares the cores several processes leave free, and none when they fill the cores", () => {
    expect(defaultSrpWorkers(2, 2)).toBe(0);
    expect(defaultSrpWorkers(3, 2)).toBe(0);
    expect(defaultSrpWorkers(4, 16)).toBe(3);
    expect(defaultSrpWorkers(2, 3)).toBe(0);
  });
});
