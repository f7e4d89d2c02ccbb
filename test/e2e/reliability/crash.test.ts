/**
 * Crash under load, bounded for CI: a few SIGKILLs at random points of a mixed load, on SQLite and
 * on PostgreSQL (test/support/crash-load.ts says what is checked). The seed is printed;
 * COGNATE_CRASH_SEED replays one. scripts/crash-soak.ts runs longer.
 */
import { describe, expect, it } from "vitest";
import { runCrashSoak } from "../../support/crash-load.js";
import { postgresReachable } from "../../support/postgres.js";

const SEED = Number(process.env.COGNATE_CRASH_SEED) || Date.now() % 2 ** 31;
const KILLS = 3;
const postgres = await postgresReachable();

describe.each([
  { database: "sqlite" as const, skip: false },
  { database: "postgres" as const, skip: !postgres },
])("SIGKILL under load on $database", ({ database, skip }) => {
  it.skipIf(skip)(
    `loses no acknowledged write and no refresh token (seed ${SEED})`,
    async () => {
      const log = (line: string) => process.stdout.write(`crash (${database}, seed ${SEED}): ${line}\n`);
      const result = await runCrashSoak({ database, kills: KILLS, seed: SEED, log });
      expect(result.kills).toBe(KILLS);
      expect(result.writesAcknowledged).toBeGreaterThan(0);
      expect(result.refreshTokensChecked).toBeGreaterThan(0);
    },
    120_000,
  );
});
