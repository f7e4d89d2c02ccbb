/** Versioned migrations, applied in name order. Add a file and list it here; never edit a landed one. */
import type { Migration, MigrationProvider } from "kysely";
import * as m001 from "./001_initial.js";

const migrations: Record<string, Migration> = {
  "001_initial": m001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
