/**
 * The local sinks of log delivery (ADMINISTRATION.md §3.4): a pool's destination ARN is mapped by
 * the configuration (`logDelivery.sinks`) to standard output, a JSON-lines file, an HTTP endpoint
 * (each record POSTed as JSON), or memory (the newest records of each pool, for tests and tools).
 * Delivery is best effort, as Cognito's: a sink that fails is logged, never the request's failure.
 */
import { appendFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import type { LogDeliveryConfig } from "../config/log-delivery.js";

/** An HTTP sink that does not answer in this time has lost the record. */
const HTTP_TIMEOUT_MS = 5000;

export interface LogRecord {
  eventSource: string;
  [field: string]: unknown;
}

export interface LogSinks {
  /** Sends the record to the sink `destinationArn` maps to. Resolves once written (HTTP: once sent off). */
  deliver(poolId: string, destinationArn: string, record: LogRecord): Promise<void>;
  /** What the memory sink keeps of a pool, oldest first; of one event source if given. */
  recent(poolId: string, eventSource?: string): LogRecord[];
  /** Waits for the records still being sent. */
  close(): Promise<void>;
}

/** `*` stands for any characters; everything else is literal. */
function pattern(glob: string): RegExp {
  const literal = glob.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${literal.join(".*")}$`);
}

export class ConfiguredLogSinks implements LogSinks {
  private readonly patterns: { match: RegExp; sink: string }[];
  private readonly memory = new Map<string, LogRecord[]>();
  /** Appends to one file, one after the other, so that lines never interleave. */
  private readonly fileQueues = new Map<string, Promise<void>>();
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly config: LogDeliveryConfig,
    private readonly logger: Logger,
  ) {
    this.patterns = Object.entries(config.sinks).map(([glob, sink]) => ({ match: pattern(glob), sink }));
  }

  /** The exact ARN's sink, else the first pattern's that matches, else the default. */
  sinkOf(destinationArn: string): string {
    const exact = this.config.sinks[destinationArn];
    if (exact) return exact;
    return this.patterns.find((p) => p.match.test(destinationArn))?.sink ?? this.config.defaultSink;
  }

  async deliver(poolId: string, destinationArn: string, record: LogRecord): Promise<void> {
    const sink = this.sinkOf(destinationArn);
    const line = `${JSON.stringify(record)}\n`;
    try {
      if (sink === "stdout") process.stdout.write(line);
      else if (sink === "memory") this.remember(poolId, record);
      else if (sink.startsWith("file://")) await this.append(fileURLToPath(sink), line);
      else this.post(sink, line);
    } catch (error) {
      this.logger.warn({ err: error, sink }, "log delivery failed");
    }
  }

  recent(poolId: string, eventSource?: string): LogRecord[] {
    const records = this.memory.get(poolId) ?? [];
    return eventSource === undefined ? [...records] : records.filter((r) => r.eventSource === eventSource);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.sending, ...this.fileQueues.values()]);
  }

  private remember(poolId: string, record: LogRecord): void {
    const records = this.memory.get(poolId) ?? [];
    records.push(record);
    if (records.length > this.config.memoryRecords) records.shift();
    this.memory.set(poolId, records);
  }

  private append(path: string, line: string): Promise<void> {
    const previous = this.fileQueues.get(path) ?? Promise.resolve();
    const next = previous.then(() => appendFile(path, line, "utf8"));
    const settled = next.catch(() => undefined);
    this.fileQueues.set(path, settled);
    void settled.then(() => {
      if (this.fileQueues.get(path) === settled) this.fileQueues.delete(path);
    });
    return next;
  }

  /** Sent off without waiting for the answer: a slow endpoint must not hold a request up. */
  private post(url: string, body: string): void {
    const sent = fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    })
      .then(async (response) => {
        await response.body?.cancel();
        if (!response.ok) this.logger.warn({ url, status: response.status }, "log delivery refused");
      })
      .catch((error) => this.logger.warn({ err: error, url }, "log delivery failed"))
      .finally(() => this.sending.delete(sent));
    this.sending.add(sent);
  }
}
