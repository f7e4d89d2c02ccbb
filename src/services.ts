/** What operations need, built once by the composition root (server.ts). */
import type { Config } from "./config/config.js";
import type { MigrationSource } from "./config/seed.js";
import type { KeyRing } from "./crypto/keys.js";
import type { RequestRates } from "./domain/request-rates.js";
import type { UserImportRunner } from "./domain/user-import-runner.js";
import type { LogSinks } from "./messaging/log-sinks.js";
import type { MessageSender } from "./messaging/sender.js";
import type { Metrics } from "./metrics/metrics.js";
import type { Store } from "./store/store.js";
import type { LambdaInvoker } from "./triggers/invoke.js";
import type { RecentInvocations } from "./triggers/recent.js";

export interface Services {
  config: Config;
  store: Store;
  messages: MessageSender;
  /** The time every request sees as `ctx.now`; tests replace it to move time without waiting. */
  clock: () => Date;
  /** Per-pool JWT signing keys (cached). */
  keys: KeyRing;
  /** This server's own URL (`http://host:port`), known once it listens; the default token issuer base. */
  baseUrl: string;
  /** Runs the functions of the pools' Lambda triggers. */
  lambda: LambdaInvoker;
  /** Runs user import jobs in the background. */
  imports: UserImportRunner;
  /** Where the pools' log delivery destinations lead (configuration `logDelivery`). */
  logSinks: LogSinks;
  /** Cognito's request-rate quotas (configuration `limits.requestRates`; none by default). */
  requestRates: RequestRates;
  /** This process's Prometheus metrics (/metrics). */
  metrics: Metrics;
  /** The last trigger invocations of this process, for the console. */
  recentInvocations: RecentInvocations;
  /** Pools whose unknown passwords are checked against a source pool (lazy migration), by pool id. */
  migrationSources: Map<string, MigrationSource>;
}
