/**
 * `npm test` runs every test on SQLite, then the end-to-end suite again with the servers on
 * PostgreSQL (skipped, saying so, where no PostgreSQL answers). COGNATE_TEST_DATABASE picks one:
 * `sqlite` runs only the first pass, `postgres` runs the selected tests with servers on PostgreSQL.
 */
import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { POSTGRES_SKIP_MESSAGE, postgresReachable } from "./test/support/postgres.js";

const ALL = ["test/**/*.test.ts", "src/**/*.test.ts"];
const END_TO_END = ["test/e2e/**/*.test.ts"];
/** Tests that choose their databases themselves gain nothing from a second pass. */
const OWN_DATABASES = ["test/e2e/cluster/**", "test/e2e/reliability/**", "test/e2e/protocol/config.test.ts"];

function pass(name: "sqlite" | "postgres", include: string[], exclude: string[] = []) {
  return {
    extends: true,
    test: {
      name,
      include,
      exclude: [...configDefaults.exclude, ...exclude],
      env: {
        COGNATE_TEST_DATABASE: name,
        // The AWS SDK warns once per process that its releases after January 2027 need Node 22; the
        // tests run on Node 20 by design, and the warning would repeat in every test file's output.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
    },
  } satisfies TestProjectInlineConfiguration;
}

async function projects() {
  const choice = process.env.COGNATE_TEST_DATABASE;
  if (choice === "postgres") return [pass("postgres", ALL)];
  if (choice === "sqlite") return [pass("sqlite", ALL)];
  if (await postgresReachable()) return [pass("sqlite", ALL), pass("postgres", END_TO_END, OWN_DATABASES)];
  // Vitest may read this file more than once in a run: say it once.
  if (!process.env.COGNATE_POSTGRES_SKIP_SAID) {
    process.env.COGNATE_POSTGRES_SKIP_SAID = "1";
    process.stderr.write(`PostgreSQL pass skipped: ${POSTGRES_SKIP_MESSAGE}\n`);
  }
  return [pass("sqlite", ALL)];
}

export default defineConfig(async () => ({
  test: {
    reporters: ["default", "./test/support/summary-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: await projects(),
  },
}));
