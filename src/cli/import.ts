/**
 * `cognate import`: copies a pool's configuration, app clients, domain, resource servers, groups
 * and users from any server speaking Cognito's API (AWS itself with the standard credential chain,
 * another Cognate, another emulator) into a seed file, which `cognate serve --seed` applies. The
 * pool keeps the source for lazy migration: passwords cannot leave Cognito, so each user's first
 * sign-in is checked there (docs/OPERATIONS.md).
 */
import type { MigrationSource } from "../config/seed.js";
import { type ApiCaller, exportPool } from "../seed/export.js";
import { writeSeed } from "./export.js";

export interface ImportOptions {
  endpoint?: string;
  region: string;
  poolId: string;
  /** The source client lazy migration signs in with; default: the first that allows ADMIN_USER_PASSWORD_AUTH. */
  migrationClientId?: string;
  out?: string;
  format?: "json" | "yaml";
}

type Client = { id: string; secret?: string; settings: Record<string, unknown> };

function migrationClient(clients: Client[], chosen: string | undefined): Client | undefined {
  if (chosen) return clients.find((c) => c.id === chosen);
  return clients.find((c) =>
    ((c.settings.ExplicitAuthFlows as string[] | undefined) ?? []).includes("ALLOW_ADMIN_USER_PASSWORD_AUTH"),
  );
}

export async function importPool(options: ImportOptions): Promise<void> {
  const sdk = await import("@aws-sdk/client-cognito-identity-provider");
  const client = new sdk.CognitoIdentityProviderClient({
    region: options.region,
    ...(options.endpoint && { endpoint: options.endpoint }),
  });
  // Every operation by name: its command class is `<Operation>Command`.
  const commands = sdk as unknown as Record<string, new (input: unknown) => never>;
  const call: ApiCaller = async (operation, input) =>
    (await client.send(new commands[`${operation}Command`](input))) as unknown as Record<string, unknown>;
  try {
    const pool = await exportPool(call, options.poolId);
    const source = migrationClient((pool.clients ?? []) as Client[], options.migrationClientId);
    if (source) {
      const migration: MigrationSource = {
        endpoint: options.endpoint ?? null,
        region: options.region,
        poolId: options.poolId,
        clientId: source.id,
        ...(source.secret && { clientSecret: source.secret }),
      };
      pool.migration = migration;
    } else {
      process.stderr.write(
        "no app client of the source pool allows ADMIN_USER_PASSWORD_AUTH: lazy migration is not configured " +
          "(name one with --migration-client-id)\n",
      );
    }
    writeSeed({ pools: [pool] }, options);
  } finally {
    client.destroy();
  }
}
