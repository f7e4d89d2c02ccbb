#!/usr/bin/env node
/**
 * Command line: `cognate serve` (the default for npm start) and developer tools. The tools load
 * their modules when run, so that `serve` starts without them.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { printEvents } from "./cli/events.js";
import { printOutbox } from "./cli/outbox.js";
import { serve } from "./cli/serve.js";
import { ConfigError, loadConfig, type Overrides, parseWorkers } from "./config/config.js";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("not a port number");
  return n;
}

function workers(value: string): number | "auto" {
  try {
    return parseWorkers(value, "--workers");
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function isoTime(value: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError("not a time (ISO 8601)");
  return at;
}

interface CommonOptions {
  config?: string;
  dataDir?: string;
  region?: string;
  databaseUrl?: string;
}

function overrides(
  o: CommonOptions & {
    port?: number;
    host?: string;
    logLevel?: string;
    tlsPort?: number;
    workers?: number | "auto";
    seed?: string;
  },
): Overrides {
  return {
    seedFile: o.seed,
    port: o.port,
    tlsPort: o.tlsPort,
    host: o.host,
    workers: o.workers,
    dataDir: o.dataDir,
    region: o.region,
    databaseUrl: o.databaseUrl,
    logLevel: o.logLevel,
  };
}

/** Exit 2 for what the user must fix in the configuration, 1 for anything else (e.g. a port in use). */
function fail(error: unknown): never {
  process.stderr.write(`cognate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}

const program = new Command()
  .name("cognate")
  .description("A Cognito-compatible identity provider")
  .showHelpAfterError()
  // A bad flag is a usage error like a bad configuration file: exit 2 (help and --version exit 0).
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));

program
  .command("serve", { isDefault: true })
  .description("start the server")
  .option("--port <port>", "port to listen on (env PORT; default 9229)", port)
  .option("--host <host>", "address to bind (env HOST; default 127.0.0.1)")
  .option("--tls-port <port>", "also serve HTTPS on this port (env COGNATE_TLS_PORT; docs/OAUTH.md)", port)
  .option(
    "--workers <n>",
    'server processes sharing the port, or "auto" for one per core (env COGNATE_WORKERS; default 1)',
    workers,
  )
  .option("--data-dir <dir>", "where SQLite keeps the data (env COGNATE_DATA_DIR; default ./.cognate)")
  .option(
    "--database-url <url>",
    "postgres://… to keep the data in PostgreSQL instead (env COGNATE_DATABASE_URL)",
  )
  .option("--region <region>", "default region (env COGNATE_REGION; default us-east-1)")
  .option("--config <file>", "JSON configuration file (env COGNATE_CONFIG)")
  .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent")
  .option("--seed <file>", "JSON or YAML seed file of pools applied at every start (env COGNATE_SEED)")
  .action(async (o) => {
    try {
      await serve(loadConfig({ file: o.config, flags: overrides(o) }));
    } catch (error) {
      fail(error);
    }
  });

program
  .command("outbox")
  .description("print the messages (codes, invitations) the server has sent")
  .option("--data-dir <dir>", "data directory (env COGNATE_DATA_DIR; default ./.cognate)")
  .option("--database-url <url>", "PostgreSQL database instead (env COGNATE_DATABASE_URL)")
  .option("--config <file>", "JSON configuration file (env COGNATE_CONFIG)")
  .option("--pool <poolId>", "only this user pool")
  .option("--user <username>", "only this user")
  .option("--limit <n>", "how many, newest first", "20")
  .option("--json", "one JSON object a line")
  .action(async (o) => {
    try {
      const config = loadConfig({ file: o.config, flags: overrides(o) });
      await printOutbox(config, { poolId: o.pool, username: o.user, limit: Number(o.limit), json: !!o.json });
    } catch (error) {
      fail(error);
    }
  });

program
  .command("events")
  .description("print the auth event history (threat protection), oldest first")
  .option("--data-dir <dir>", "data directory (env COGNATE_DATA_DIR; default ./.cognate)")
  .option("--database-url <url>", "PostgreSQL database instead (env COGNATE_DATABASE_URL)")
  .option("--config <file>", "JSON configuration file (env COGNATE_CONFIG)")
  .option("--pool <poolId>", "only this user pool")
  .option("--since <time>", "only events from this time on (ISO 8601)", isoTime)
  .option("--limit <n>", "at most this many", "1000")
  .option("--json", "one JSON object a line, for an analytics pipeline")
  .action(async (o) => {
    try {
      const config = loadConfig({ file: o.config, flags: overrides(o) });
      await printEvents(config, { poolId: o.pool, since: o.since, limit: Number(o.limit), json: !!o.json });
    } catch (error) {
      fail(error);
    }
  });

function format(value: string): "json" | "yaml" {
  if (value !== "json" && value !== "yaml") throw new InvalidArgumentError("json or yaml");
  return value;
}

program
  .command("export")
  .description("write one pool (or every pool) in the seed format (docs/OPERATIONS.md)")
  .option("--data-dir <dir>", "data directory (env COGNATE_DATA_DIR; default ./.cognate)")
  .option("--database-url <url>", "PostgreSQL database instead (env COGNATE_DATABASE_URL)")
  .option("--config <file>", "JSON configuration file (env COGNATE_CONFIG)")
  .option("--pool <poolId>", "only this user pool")
  .option("--out <file>", "write to this file (default: standard output)")
  .option("--format <format>", "json or yaml (default: the file's extension, else yaml)", format)
  .option(
    "--with-password-hashes",
    "include password verifiers and TOTP secrets, for a move to another Cognate (keep the file secret)",
  )
  .action(async (o) => {
    try {
      const config = loadConfig({ file: o.config, flags: overrides(o) });
      const { exportSeed } = await import("./cli/export.js");
      await exportSeed(config, {
        poolId: o.pool,
        out: o.out,
        format: o.format,
        withSecrets: !!o.withPasswordHashes,
      });
    } catch (error) {
      fail(error);
    }
  });

program
  .command("import")
  .description(
    "copy a pool from any server speaking Cognito's API into a seed file, with lazy migration of passwords",
  )
  .requiredOption("--pool-id <id>", "the source user pool")
  .requiredOption("--region <region>", "the source's region")
  .option("--from-endpoint <url>", "the source's endpoint (default: AWS's for the region)")
  .option("--migration-client-id <id>", "the source client lazy migration signs in with")
  .option("--out <file>", "write to this file (default: standard output)")
  .option("--format <format>", "json or yaml (default: the file's extension, else yaml)", format)
  .action(async (o) => {
    try {
      const { importPool } = await import("./cli/import.js");
      await importPool({
        endpoint: o.fromEndpoint,
        region: o.region,
        poolId: o.poolId,
        migrationClientId: o.migrationClientId,
        out: o.out,
        format: o.format,
      });
    } catch (error) {
      fail(error);
    }
  });

function tokenUses(value: string): ("id" | "access")[] {
  if (value === "both") return ["id", "access"];
  if (value === "id" || value === "access") return [value];
  throw new InvalidArgumentError("id, access or both");
}

const keys = program.command("keys").description("a pool's JWT signing keys: list, rotate, retire");

/** `cognate keys <list|rotate|retire>`: the options every one of them takes. */
function keysCommand(name: string, description: string): Command {
  return keys
    .command(name)
    .description(description)
    .requiredOption("--pool <poolId>", "the user pool")
    .option("--data-dir <dir>", "data directory (env COGNATE_DATA_DIR; default ./.cognate)")
    .option("--database-url <url>", "PostgreSQL database instead (env COGNATE_DATABASE_URL)")
    .option("--config <file>", "JSON configuration file (env COGNATE_CONFIG)");
}

async function runKeys(o: CommonOptions, action: import("./cli/keys.js").KeysAction): Promise<void> {
  try {
    const { manageKeys } = await import("./cli/keys.js");
    await manageKeys(loadConfig({ file: o.config, flags: overrides(o) }), action);
  } catch (error) {
    fail(error);
  }
}

keysCommand("list", "print a pool's JWT signing keys that verify (current and previous)").action((o) =>
  runKeys(o, { kind: "list", poolId: o.pool }),
);
keysCommand("rotate", "make new current signing keys; the old ones keep verifying until retired")
  .addOption(
    new Option("--use <use>", "id, access or both").argParser(tokenUses).default(["id", "access"], "both"),
  )
  .action((o) => runKeys(o, { kind: "rotate", poolId: o.pool, uses: o.use }));
keysCommand("retire", "remove a previous key from the JWKS: the tokens it signed stop verifying")
  .requiredOption("--kid <kid>", "the key's kid (`cognate keys list` shows it)")
  .action((o) => runKeys(o, { kind: "retire", poolId: o.pool, kid: o.kid }));

program
  .command("reset")
  .description("remove one pool (or every pool) and all it holds, then apply the seed again")
  .option("--data-dir <dir>", "data directory (env COGNATE_DATA_DIR; default ./.cognate)")
  .option("--database-url <url>", "PostgreSQL database instead (env COGNATE_DATABASE_URL)")
  .option("--config <file>", "JSON configuration file (env COGNATE_CONFIG)")
  .option("--seed <file>", "seed file to apply after (env COGNATE_SEED)")
  .option("--pool <poolId>", "only this user pool")
  .action(async (o) => {
    try {
      const { reset } = await import("./cli/reset.js");
      await reset(loadConfig({ file: o.config, flags: overrides(o) }), o.pool);
    } catch (error) {
      fail(error);
    }
  });

await program.parseAsync();
