/**
 * Crash under load, as long as asked: `npx tsx scripts/crash-soak.ts --kills N [--seed S]
 * [--database sqlite|postgres|both]` (npm run crash-soak -- …). Prints, after every kill and
 * restart, the requests made, the writes acknowledged and checked, the refresh tokens checked, and
 * the requests the kill cut short whose outcome was checked; exits 1 on the first loss.
 */
import { parseArgs } from "node:util";
import { runCrashSoak } from "../test/support/crash-load.js";
import { postgresReachable } from "../test/support/postgres.js";

const { values } = parseArgs({
  options: {
    kills: { type: "string", default: "20" },
    seed: { type: "string" },
    database: { type: "string", default: "both" },
  },
});
const kills = Number(values.kills);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const databases = values.database === "both" ? ["sqlite", "postgres"] : [values.database];
if (
  !Number.isInteger(kills) ||
  kills <= 0 ||
  !Number.isInteger(seed) ||
  databases.some((d) => d !== "sqlite" && d !== "postgres")
) {
  process.stderr.write(
    "usage: npm run crash-soak -- [--kills N] [--seed S] [--database sqlite|postgres|both]\n",
  );
  process.exit(2);
}

let failed = false;
for (const database of databases as ("sqlite" | "postgres")[]) {
  if (database === "postgres" && !(await postgresReachable())) {
    process.stdout.write("postgres: skipped, no PostgreSQL reachable\n");
    continue;
  }
  const started = Date.now();
  process.stdout.write(`${database}: ${kills} kills, seed ${seed}\n`);
  try {
    const r = await runCrashSoak({
      database,
      kills,
      seed,
      log: (line) => process.stdout.write(`${database}: ${line}\n`),
    });
    process.stdout.write(
      `${database}: passed in ${((Date.now() - started) / 1000).toFixed(0)} s: ${r.kills} kills, ${r.requests} requests (load and checks), ` +
        `${r.writesAcknowledged} writes acknowledged (all found after every restart), ${r.checks} checks, ` +
        `${r.refreshTokensChecked} refresh token checks, ${r.cutShort} requests cut short and settled, ${r.users} users\n`,
    );
  } catch (error) {
    process.stdout.write(`${database}: FAILED (replay with --seed ${seed}): ${(error as Error).message}\n`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
