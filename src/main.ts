#!/usr/bin/env node
/** Command line: `cognate serve` (the default for npm start) and developer tools. */
import { Command, InvalidArgumentError } from "commander";
import { printOutbox } from "./cli/outbox.js";
import { ConfigError, loadConfig, type Overrides } from "./config/config.js";
import { startServer } from "./server.js";
import { describeStore } from "./store/open.js";

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("not a port number");
  return n;
}

interface CommonOptions {
  config?: string;
  dataDir?: string;
  region?: string;
  databaseUrl?: string;
}

function overrides(o: CommonOptions & { port?: number; host?: string; logLevel?: string }): Overrides {
  return {
    port: o.port,
    host: o.host,
    dataDir: o.dataDir,
    region: o.region,
    databaseUrl: o.databaseUrl,
    logLevel: o.logLevel,
  };
}

function fail(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`cognate: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

const program = new Command()
  .name("cognate")
  .description("A Cognito-compatible identity provider")
  .showHelpAfterError();

program
  .command("serve", { isDefault: true })
  .description("start the server")
  .option("--port <port>", "port to listen on (env PORT; default 9229)", port)
  .option("--host <host>", "address to bind (env HOST; default 127.0.0.1)")
  .option("--data-dir <dir>", "where SQLite keeps the data (env COGNATE_DATA_DIR; default ./.cognate)")
  .option(
    "--database-url <url>",
    "postgres://… to keep the data in PostgreSQL instead (env COGNATE_DATABASE_URL)",
  )
  .option("--region <region>", "default region (default us-east-1)")
  .option("--config <file>", "JSON configuration file (env COGNATE_CONFIG)")
  .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent")
  .action(async (o) => {
    let server: Awaited<ReturnType<typeof startServer>>;
    try {
      const config = loadConfig({ file: o.config, flags: overrides(o) });
      server = await startServer(config);
      process.stdout.write(
        `Cognate is listening on ${server.url} (region ${config.server.region}, ${describeStore(config)})\n` +
          "Try it:\n" +
          `  aws cognito-idp create-user-pool --pool-name demo --endpoint-url ${server.url} --region ${config.server.region}\n` +
          "(with no credentials configured, any AWS access key works against a loopback server)\n",
      );
    } catch (error) {
      fail(error);
    }
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`${signal}: shutting down\n`);
      await server.close();
      process.exit(0);
    };
    process.on("SIGINT", () => void stop("SIGINT"));
    process.on("SIGTERM", () => void stop("SIGTERM"));
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

await program.parseAsync();
