/**
 * The server's Prometheus metrics (prom-client), one registry per server: what the API was asked and
 * how it answered, sign-ins, Lambda triggers, the store's connections and waits for SQLite's lock.
 * Recording is a counter increment and a histogram observation (a few microseconds at most); the
 * text is only built when /metrics is scraped.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** What a store's connection pool holds at one moment (PostgreSQL only). */
export interface ConnectionStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface MetricsOptions {
  /** The store's connections, read at each scrape; absent for a store without a pool (SQLite). */
  storeConnections?: () => ConnectionStats | undefined;
  /** Statements waiting for another connection's write lock, read at each scrape (SQLite only). */
  storeLockWaiting?: () => number;
  /** Node's process metrics (memory, CPU, event loop); on unless turned off. */
  processMetrics?: boolean;
}

/** The outcome label of anything that did not fail. */
export const SUCCESS = "success";

/** Latency buckets in seconds: most operations answer in milliseconds, SRP and triggers take longer. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Children by label value, so the label set is built and checked once, not at every request. */
function cached<T>(make: (key: string) => T): (key: string) => T {
  const children = new Map<string, T>();
  return (key) => {
    let child = children.get(key);
    if (child === undefined) {
      child = make(key);
      children.set(key, child);
    }
    return child;
  };
}

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"operation" | "outcome">;
  private readonly latency: Histogram<"operation">;
  private readonly signIns: Counter<"flow" | "result">;
  private readonly challengeAnswers: Counter<"challenge" | "result">;
  private readonly triggers: Counter<"trigger" | "outcome">;
  private readonly latencyOf: (operation: string) => { observe(seconds: number): void };

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: "cognate_requests_total",
      help: "API requests by operation and outcome (the error type, or success).",
      labelNames: ["operation", "outcome"],
      registers,
    });
    this.latency = new Histogram({
      name: "cognate_request_duration_seconds",
      help: "Time to answer an API request, by operation.",
      labelNames: ["operation"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.signIns = new Counter({
      name: "cognate_sign_ins_total",
      help: "Sign-ins started ((Admin)InitiateAuth and the sign-in pages) by AuthFlow and result: success (tokens), challenge, or the error type; sign-ins through an external provider by FEDERATED_<provider type> and result: success, the error type, or the OAuth error sent to the app.",
      labelNames: ["flow", "result"],
      registers,
    });
    this.challengeAnswers = new Counter({
      name: "cognate_challenge_responses_total",
      help: "Answers to sign-in challenges ((Admin)RespondToAuthChallenge) by challenge and result: success (tokens), challenge (another one), or the error type.",
      labelNames: ["challenge", "result"],
      registers,
    });
    this.triggers = new Counter({
      name: "cognate_trigger_invocations_total",
      help: "Lambda trigger invocations by trigger and outcome (success, or the error the operation answered).",
      labelNames: ["trigger", "outcome"],
      registers,
    });
    const stats = options.storeConnections;
    if (stats) {
      new Gauge({
        name: "cognate_store_connections",
        help: "The PostgreSQL connection pool: total connections, idle ones, and queries waiting for one.",
        labelNames: ["state"],
        registers,
        // With worker processes each has its own pool: the server's connections are their sum.
        aggregator: "sum",
        collect() {
          const now = stats();
          if (!now) return;
          this.set({ state: "total" }, now.total);
          this.set({ state: "idle" }, now.idle);
          this.set({ state: "waiting" }, now.waiting);
        },
      });
    }
    const lockWaiting = options.storeLockWaiting;
    if (lockWaiting) {
      new Gauge({
        name: "cognate_store_lock_waiting",
        help: "SQLite: statements waiting now for the write lock another connection holds (another worker, the CLI, a backup).",
        registers,
        collect() {
          this.set(lockWaiting());
        },
      });
    }
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.latencyOf = cached((operation) => this.latency.labels(operation));
  }

  /** One API request answered: its operation (or "unknown"), its outcome, and how long it took. */
  request(operation: string, outcome: string, seconds: number): void {
    this.requests.labels(operation, outcome).inc();
    this.latencyOf(operation).observe(seconds);
  }

  signIn(flow: string, result: string): void {
    this.signIns.labels(flow, result).inc();
  }

  challengeAnswer(challenge: string, result: string): void {
    this.challengeAnswers.labels(challenge, result).inc();
  }

  triggerInvocation(trigger: string, outcome: string): void {
    this.triggers.labels(trigger, outcome).inc();
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
