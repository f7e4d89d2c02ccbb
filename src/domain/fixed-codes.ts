/**
 * The code a message carries: random, unless the configuration fixes one for the pool or the
 * server (testing.poolFixedCodes, testing.fixedCode), so that an end-to-end test can type it.
 */
import type { Config } from "../config/config.js";
import { newNumericCode } from "../crypto/random.js";

export function messageCode(config: Config, poolId: string, digits: number): string {
  return config.testing.poolFixedCodes[poolId] ?? config.testing.fixedCode ?? newNumericCode(digits);
}
