/** Versioned migrations, applied in name order. Add a file and list it here; never edit a landed one. */
import type { Migration, MigrationProvider } from "kysely";
import * as m001 from "./001_initial.js";
import * as m002 from "./002_tokens.js";
import * as m003 from "./003_auth.js";
import * as m004 from "./004_devices.js";
import * as m005 from "./005_signing_key_current.js";
import * as m006 from "./006_webauthn.js";
import * as m007 from "./007_mfa.js";
import * as m008 from "./008_threat_protection.js";
import * as m009 from "./009_domains.js";
import * as m010 from "./010_resource_servers_and_client_secrets.js";
import * as m011 from "./011_branding_and_terms.js";
import * as m012 from "./012_oauth.js";
import * as m013 from "./013_user_import_jobs.js";
import * as m014 from "./014_log_delivery.js";
import * as m015 from "./015_user_attempts.js";
import * as m021 from "./021_identity_providers.js";
import * as m025 from "./025_federation_flows.js";
import * as m026 from "./026_refresh_token_resource.js";

const migrations: Record<string, Migration> = {
  "001_initial": m001,
  "002_tokens": m002,
  "003_auth": m003,
  "004_devices": m004,
  "005_signing_key_current": m005,
  "006_webauthn": m006,
  "007_mfa": m007,
  "008_threat_protection": m008,
  "009_domains": m009,
  "010_resource_servers_and_client_secrets": m010,
  "011_branding_and_terms": m011,
  "012_oauth": m012,
  "013_user_import_jobs": m013,
  "014_log_delivery": m014,
  "015_user_attempts": m015,
  "021_identity_providers": m021,
  "025_federation_flows": m025,
  "026_refresh_token_resource": m026,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
