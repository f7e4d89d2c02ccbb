/**
 * The fuzz of every operation (test/support/fuzz.ts), bounded for CI. The seed is printed, and
 * COGNATE_FUZZ_SEED replays one; `npm run fuzz -- --runs N --seed S` runs longer.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { OPERATION_NAMES } from "../../../src/protocol/model.generated.js";
import { fuzzOperations } from "../../support/fuzz.js";
import { startTestServer, type TestServer } from "../../support/server.js";

/** About 20 s on CI's machine (new pools, sign-ins and new passwords cost key generation and exponentiations). */
const RUNS = 500;
const SEED = Number(process.env.COGNATE_FUZZ_SEED) || Date.now() % 2 ** 31;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

it(`answers every generated input of every operation with a success or a Cognito error (seed ${SEED})`, async () => {
  process.stdout.write(`fuzz: ${RUNS} runs, seed ${SEED} (replay: COGNATE_FUZZ_SEED=${SEED})\n`);
  const result = await fuzzOperations(server.url, { runs: RUNS, seed: SEED });
  const answered = [...result.outcomes.values()].reduce((a, b) => a + b, 0);
  expect(answered).toBe(RUNS);
  // The generated inputs reach past validation: many operations succeed.
  expect(result.succeeded.size).toBeGreaterThan(OPERATION_NAMES.length / 5);
  expect((await fetch(`${server.url}/health`)).status).toBe(200);
}, 120_000);
