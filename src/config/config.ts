/**
 * Configuration: defaults < config file (--config / COGNATE_CONFIG) < environment < flags.
 * The file is validated strictly; a bad one is reported with the key that is wrong.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { z } from "zod";
import { consoleConfigSchema } from "./console.js";
import { domainsConfigSchema } from "./domains.js";
import { federationConfigSchema } from "./federation.js";
import { importConfigSchema } from "./imports.js";
import { lambdaConfigSchema } from "./lambda.js";
import { limitsConfigSchema } from "./limits.js";
import { logDeliveryConfigSchema } from "./log-delivery.js";
import { messagesConfigSchema } from "./messages.js";
import { riskConfigSchema } from "./risk.js";
import { secretsConfigSchema } from "./secrets.js";
import { seedConfigSchema } from "./seed.js";
import { srpConfigSchema } from "./srp.js";
import { testingConfigSchema } from "./testing.js";
import { tlsConfigSchema } from "./tls.js";

const credential = z.strictObject({
  // Part of the SigV4 credential scope (AKID/date/region/service/aws4_request), so no separators.
  accessKeyId: z.string().regex(/^[^\s/,=]+$/, "must be non-empty, without spaces, '/', ',' or '='"),
  secretAccessKey: z.string().min(1),
});

/** Each access key id once: a second secret for the same key could never be checked. */
const credentials = z
  .array(credential)
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach(({ accessKeyId }, i) => {
      if (seen.has(accessKeyId)) {
        ctx.addIssue({
          code: "custom",
          path: [i, "accessKeyId"],
          message: `duplicate access key id ${accessKeyId}`,
        });
      }
      seen.add(accessKeyId);
    });
  });

export const configSchema = z.strictObject({
  server: z
    .strictObject({
      host: z.string().min(1).default("127.0.0.1"),
      port: z.number().int().min(0).max(65535).default(9229),
      region: z
        .string()
        .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS region such as us-east-1")
        .default("us-east-1"),
      /** Base of token issuers: null = this server's own URL; "aws" = Cognito's issuer form. */
      issuerBaseUrl: z.string().min(1).nullable().default(null),
      /**
       * Server processes behind the one port (node:cluster): a number, or "auto" for one per core.
       * Default 1: see docs/DEPLOYMENT.md ("Every core") for why.
       */
      workers: z.union([z.number().int().min(1).max(256), z.literal("auto")]).default(1),
    })
    .prefault({}),
  store: z
    .strictObject({
      dataDir: z.string().min(1).default("./.cognate"),
      /** postgres://… to keep the data in PostgreSQL (several instances share it); null = SQLite. */
      databaseUrl: z.string().min(1).nullable().default(null),
      /** PostgreSQL connections per instance. */
      poolSize: z.number().int().min(1).max(1000).default(10),
      /**
       * PostgreSQL: the longest one statement may run, waits for locks included, before the
       * database cancels it and its request answers InternalErrorException; 0 = the database's own
       * setting (PostgreSQL's default: none). 30 s is far beyond any statement the server makes
       * (milliseconds; a large pool's deletion, seconds) and ends a stuck one long before anyone
       * would wait for it. Migrations run without it.
       */
      statementTimeoutMs: z.number().int().min(0).max(2_147_483_647).default(30_000),
      /**
       * PostgreSQL: how long a connection may sit inside an open transaction without a statement
       * before the database ends the session and frees its locks; 0 = the database's own setting.
       * The server makes its slow calls (triggers, messages, outside documents) outside its
       * transactions, so 60 s only ever ends a stuck one.
       */
      idleInTransactionTimeoutMs: z.number().int().min(0).max(2_147_483_647).default(60_000),
    })
    .prefault({}),
  iam: z
    .strictObject({
      credentials,
    })
    .prefault({}),
  /** An HTTPS listener beside the HTTP one (src/config/tls.ts). */
  tls: tlsConfigSchema,
  /** The pools' user pool domains: the OAuth 2.0 endpoints and sign-in pages (docs/OAUTH.md). */
  domains: domainsConfigSchema,
  /** Outside identity providers (docs/decisions/federation.md). */
  federation: federationConfigSchema,
  lambda: lambdaConfigSchema,
  srp: srpConfigSchema,
  messages: messagesConfigSchema,
  /** The threat-protection risk model (docs/RISK.md). */
  risk: riskConfigSchema,
  /** User import jobs: expiry, upload checks, batches (src/config/imports.ts). */
  import: importConfigSchema,
  /** Local sinks for the pools' log delivery destinations (src/config/log-delivery.ts). */
  logDelivery: logDeliveryConfigSchema,
  /** Cognito's per-user and request-rate limits, off unless set (src/config/limits.ts). */
  limits: limitsConfigSchema,
  /** Secrets at rest: the key they are sealed under (src/config/secrets.ts). */
  secrets: secretsConfigSchema,
  /** The admin console at /console and who may use it (docs/CONSOLE.md). */
  console: consoleConfigSchema,
  /** Pools declared in a seed file, applied at every start (docs/OPERATIONS.md). */
  seed: seedConfigSchema,
  /** Conveniences for test suites, off unless set (src/config/testing.ts). */
  testing: testingConfigSchema,
  log: z
    .strictObject({
      level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export class ConfigError extends Error {}

/** Flags and environment variables that override the file. */
export interface Overrides {
  port?: number;
  host?: string;
  dataDir?: string;
  region?: string;
  databaseUrl?: string;
  poolSize?: number;
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  workers?: number | "auto";
  logLevel?: string;
  tlsPort?: number;
  lambdaEndpoint?: string;
  encryptionKey?: string;
  previousEncryptionKeys?: string[];
  consoleToken?: string;
  seedFile?: string;
}

export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join(".") || "(root)";
  if (issue.code === "unrecognized_keys") {
    return `unknown key ${issue.keys.map((k) => (path === "(root)" ? k : `${path}.${k}`)).join(", ")}`;
  }
  return `${path}: ${issue.message}`;
}

export function parseConfig(input: unknown, source: string): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      `invalid configuration in ${source}: ${result.error.issues.map(describeIssue).join("; ")}`,
    );
  }
  return result.data;
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read configuration file ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`configuration file ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

/** `--workers` and COGNATE_WORKERS: a positive whole number, or "auto" (one per core). */
export function parseWorkers(text: string, source: string): number | "auto" {
  if (text === "auto") return "auto";
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new ConfigError(`${source}: must be a number of processes from 1 to 256, or "auto": ${text}`);
  return n;
}

/** How many server processes the configuration asks for: "auto" is one per core. */
export function workerCount(config: Config): number {
  const { workers } = config.server;
  return workers === "auto" ? availableParallelism() : workers;
}

/**
 * A variable that holds a whole number; its range is the configuration key's to check. Anything
 * else (blank included, which Number() would read as 0) is an error naming the variable.
 */
function envWholeNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined) return undefined;
  const n = text.trim() === "" ? Number.NaN : Number(text);
  if (!Number.isInteger(n)) throw new ConfigError(`${name}: not a whole number: ${text}`);
  return n;
}

function envOverrides(env: NodeJS.ProcessEnv): Overrides {
  const port = env.PORT !== undefined ? Number(env.PORT) : undefined;
  if (port !== undefined && !Number.isInteger(port))
    throw new ConfigError(`PORT: not a port number: ${env.PORT}`);
  const tlsPort = env.COGNATE_TLS_PORT !== undefined ? Number(env.COGNATE_TLS_PORT) : undefined;
  if (tlsPort !== undefined && !Number.isInteger(tlsPort))
    throw new ConfigError(`COGNATE_TLS_PORT: not a port number: ${env.COGNATE_TLS_PORT}`);
  return {
    port,
    host: env.HOST,
    workers:
      env.COGNATE_WORKERS !== undefined ? parseWorkers(env.COGNATE_WORKERS, "COGNATE_WORKERS") : undefined,
    dataDir: env.COGNATE_DATA_DIR,
    region: env.COGNATE_REGION,
    databaseUrl: env.COGNATE_DATABASE_URL,
    poolSize: envWholeNumber(env, "COGNATE_DATABASE_POOL_SIZE"),
    statementTimeoutMs: envWholeNumber(env, "COGNATE_DATABASE_STATEMENT_TIMEOUT_MS"),
    idleInTransactionTimeoutMs: envWholeNumber(env, "COGNATE_DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS"),
    logLevel: env.COGNATE_LOG_LEVEL,
    tlsPort,
    lambdaEndpoint: env.COGNATE_LAMBDA_ENDPOINT,
    encryptionKey: env.COGNATE_ENCRYPTION_KEY,
    previousEncryptionKeys: env.COGNATE_PREVIOUS_ENCRYPTION_KEYS?.split(",").filter(Boolean),
    consoleToken: env.COGNATE_CONSOLE_TOKEN,
    seedFile: env.COGNATE_SEED || undefined,
  };
}

function applyOverrides(raw: Record<string, Record<string, unknown>>, o: Overrides): void {
  const set = (section: string, key: string, value: unknown) => {
    if (value === undefined) return;
    raw[section] = { ...(raw[section] ?? {}), [key]: value };
  };
  set("server", "port", o.port);
  set("server", "host", o.host);
  set("server", "region", o.region);
  set("server", "workers", o.workers);
  set("store", "dataDir", o.dataDir);
  set("store", "databaseUrl", o.databaseUrl);
  set("store", "poolSize", o.poolSize);
  set("store", "statementTimeoutMs", o.statementTimeoutMs);
  set("store", "idleInTransactionTimeoutMs", o.idleInTransactionTimeoutMs);
  set("log", "level", o.logLevel);
  set("tls", "port", o.tlsPort);
  set("lambda", "endpoint", o.lambdaEndpoint);
  set("secrets", "encryptionKey", o.encryptionKey);
  set("secrets", "previousKeys", o.previousEncryptionKeys);
  set("console", "token", o.consoleToken);
  set("seed", "file", o.seedFile);
}

/**
 * COGNATE_ACCESS_KEY_ID with COGNATE_SECRET_ACCESS_KEY: one more access key, for containers that
 * bind beyond loopback without a config file.
 */
function envCredential(env: NodeJS.ProcessEnv): z.input<typeof credential> | undefined {
  const accessKeyId = env.COGNATE_ACCESS_KEY_ID;
  const secretAccessKey = env.COGNATE_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined && secretAccessKey === undefined) return undefined;
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const missing = accessKeyId === undefined ? "COGNATE_ACCESS_KEY_ID" : "COGNATE_SECRET_ACCESS_KEY";
    throw new ConfigError(
      `COGNATE_ACCESS_KEY_ID and COGNATE_SECRET_ACCESS_KEY must be set together (${missing} is missing)`,
    );
  }
  return { accessKeyId, secretAccessKey };
}

function addCredential(raw: Record<string, Record<string, unknown>>, extra: unknown): void {
  if (extra === undefined) return;
  const existing = Array.isArray(raw.iam?.credentials) ? raw.iam.credentials : [];
  raw.iam = { ...(raw.iam ?? {}), credentials: [...existing, extra] };
}

export function loadConfig(options: { file?: string; flags?: Overrides; env?: NodeJS.ProcessEnv }): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.COGNATE_CONFIG;
  const fromFile = file ? readConfigFile(file) : {};
  if (fromFile === null || typeof fromFile !== "object" || Array.isArray(fromFile)) {
    throw new ConfigError(`configuration file ${file} must hold a JSON object`);
  }
  // Validate the file alone first, so that its errors name the file's own keys.
  if (file) parseConfig(fromFile, file);
  const raw = structuredClone(fromFile) as Record<string, Record<string, unknown>>;
  applyOverrides(raw, envOverrides(env));
  addCredential(raw, envCredential(env));
  applyOverrides(raw, options.flags ?? {});
  return parseConfig(raw, file ? `${file} with flags and environment` : "flags and environment");
}
