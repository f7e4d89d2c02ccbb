/**
 * The fuzz of every operation, as long as asked: `npm run fuzz -- --runs N --seed S [--postgres]`.
 * Starts a server (SQLite in a temporary directory, or a fresh PostgreSQL schema with --postgres),
 * prints the seed first so that a failure can be replayed, then what the answers were.
 */
import { parseArgs } from "node:util";
import { OPERATION_NAMES } from "../src/protocol/model.generated.js";
import { fuzzOperations } from "../test/support/fuzz.js";
import { startTestServer } from "../test/support/server.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10000" },
    seed: { type: "string" },
    postgres: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(runs) || runs <= 0 || !Number.isInteger(seed)) {
  process.stderr.write("usage: npm run fuzz -- [--runs N] [--seed S] [--postgres]\n");
  process.exit(2);
}
if (values.postgres) process.env.COGNATE_TEST_DATABASE = "postgres";

process.stdout.write(`fuzz: ${runs} runs, seed ${seed}, ${values.postgres ? "PostgreSQL" : "SQLite"}\n`);
const server = await startTestServer();
const started = Date.now();
let exitCode = 0;
try {
  const result = await fuzzOperations(server.url, { runs, seed });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`passed: ${runs} requests in ${seconds} s, seed ${seed}\n`);
  process.stdout.write(
    `operations that succeeded at least once: ${result.succeeded.size} of ${OPERATION_NAMES.length}\n`,
  );
  for (const [outcome, count] of [...result.outcomes].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`  ${String(count).padStart(7)}  ${outcome}\n`);
  }
} catch (error) {
  process.stdout.write(`FAILED (replay with --seed ${seed}):\n${(error as Error).message}\n`);
  exitCode = 1;
} finally {
  await server.stop();
}
process.exit(exitCode);
