/** A separate process opening a SQLite store (run by open.test.ts): prints the shared secret it sees. */
import { openSqliteStore } from "../../../src/store/open.js";

const [dataDir, candidate, startAt] = process.argv.slice(2);
// All the processes open the store at the same moment, to meet in the migration.
await new Promise((resolve) => setTimeout(resolve, Number(startAt) - Date.now()));
const store = await openSqliteStore(dataDir);
try {
  process.stdout.write(await store.secrets.getOrCreate("shared", () => candidate));
} finally {
  await store.close();
}
