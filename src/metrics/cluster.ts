/**
 * /metrics for the whole server when it runs as worker processes (`serve --workers N`): each
 * worker keeps its own registry, so the worker that receives the scrape asks the primary, the
 * primary collects every live worker's registry as JSON over the cluster IPC channel, adds them up
 * (prom-client's `AggregatorRegistry.aggregate`: each metric by its `aggregator`, a sum unless the
 * metric says otherwise) and sends the text back.
 *
 * The IPC is our own rather than prom-client's `clusterMetrics()`: that one asks the primary
 * directly (a worker cannot start it), collects the global registry, and waits 5 s for a worker
 * before failing without saying which. Only the static `aggregate` is used, which adds no
 * listeners. Our messages carry a `type` starting with "cognate:metrics:", so they cannot be
 * mistaken for prom-client's ("prom-client:…") or node:cluster's own.
 *
 * A worker that has not reported within WORKER_REPLY_MS fails the scrape with 503: an answer
 * without its share would make every counter drop, which Prometheus takes for a restart (and
 * counts the share again, as new, when the worker is back); a failed scrape is only a gap.
 * A single process (no cluster) never comes here: its scrape reads its own registry.
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, prometheusContentType } from "prom-client";
import type { Metrics } from "./metrics.js";

/** How long the primary waits for every worker's registry. */
export const WORKER_REPLY_MS = 2000;
/** How long a worker waits for the primary's answer: the collection's bound, and some. */
const PRIMARY_REPLY_MS = WORKER_REPLY_MS + 1000;

/** Worker → primary: the whole server's metrics, please. */
const ASK = "cognate:metrics:ask";
/** Primary → every worker: your registry, as JSON. */
const COLLECT = "cognate:metrics:collect";
/** Worker → primary: its registry. */
const REPORT = "cognate:metrics:report";
/** Primary → the asking worker: the aggregate text, or why there is none. */
const ANSWER = "cognate:metrics:answer";

type Message =
  | { type: typeof ASK; id: number }
  | { type: typeof COLLECT; id: number }
  | { type: typeof REPORT; id: number; metrics: object[] }
  | { type: typeof ANSWER; id: number; body?: string; error?: string };

function isMessage<T extends Message["type"]>(
  message: unknown,
  type: T,
): message is Extract<Message, { type: T }> {
  return typeof message === "object" && message !== null && (message as { type?: unknown }).type === type;
}

export type Scrape = { status: 200; contentType: string; body: string } | { status: 503; body: string };

/** The worker's registry that answers for the server, once `joinClusterMetrics` ran. */
let joined: Metrics | undefined;
const asked = new Map<number, (answer: Scrape) => void>();
let asks = 0;

/** In a worker: answer the primary's collections with `metrics`, and let its scrapes ask for all. */
export function joinClusterMetrics(metrics: Metrics): void {
  joined = metrics;
  process.on("message", (message: unknown) => {
    if (isMessage(message, COLLECT)) {
      void metrics.registry.getMetricsAsJSON().then(
        (json) => send({ type: REPORT, id: message.id, metrics: json }),
        // An empty report still lets the others' numbers through rather than fail the scrape.
        () => send({ type: REPORT, id: message.id, metrics: [] }),
      );
    } else if (isMessage(message, ANSWER)) {
      const resolve = asked.get(message.id);
      asked.delete(message.id);
      resolve?.(
        message.body === undefined
          ? { status: 503, body: `${message.error ?? "metrics unavailable"}\n` }
          : { status: 200, contentType: prometheusContentType, body: message.body },
      );
    }
  });
}

function send(message: Message): void {
  // A worker whose primary is gone has nobody to answer; its scrape times out to 503.
  if (process.connected) process.send?.(message);
}

/** GET /metrics: the whole server's numbers in a worker that joined, else this process's own. */
export async function scrapeMetrics(metrics: Metrics): Promise<Scrape> {
  if (joined !== metrics) return { status: 200, ...(await metrics.scrape()) };
  const id = ++asks;
  return new Promise<Scrape>((resolve) => {
    const timer = setTimeout(() => {
      asked.delete(id);
      resolve({ status: 503, body: "metrics: the primary process did not answer\n" });
    }, PRIMARY_REPLY_MS);
    asked.set(id, (answer) => {
      clearTimeout(timer);
      resolve(answer);
    });
    send({ type: ASK, id });
  });
}

/** In the primary: answer the workers' asks with every live worker's registry, added up. */
export function serveClusterMetrics(): void {
  let collections = 0;
  /** Collection id → the workers still to report, and what the others reported. */
  const pending = new Map<number, { waiting: Set<Worker>; reports: object[][]; settle: () => void }>();

  const collect = () =>
    new Promise<object[][] | { missing: number; of: number }>((resolve) => {
      const id = ++collections;
      const workers = Object.values(cluster.workers ?? {}).filter(
        (w): w is Worker => w?.isConnected() === true,
      );
      const waiting = new Set(workers);
      const reports: object[][] = [];
      const settle = () => {
        if (waiting.size > 0) return;
        clearTimeout(timer);
        pending.delete(id);
        resolve(reports);
      };
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({ missing: waiting.size, of: workers.length });
      }, WORKER_REPLY_MS);
      pending.set(id, { waiting, reports, settle });
      for (const worker of workers) worker.send({ type: COLLECT, id } satisfies Message);
      settle();
    });

  cluster.on("message", (worker, message: unknown) => {
    if (isMessage(message, REPORT)) {
      // A report after its collection timed out finds nothing pending and is dropped.
      const collection = pending.get(message.id);
      if (!collection?.waiting.delete(worker)) return;
      collection.reports.push(message.metrics);
      collection.settle();
    } else if (isMessage(message, ASK)) {
      void collect()
        .then(async (reports): Promise<Message> => {
          if (!Array.isArray(reports)) {
            const error = `metrics: ${reports.missing} of ${reports.of} workers did not answer within ${WORKER_REPLY_MS} ms`;
            return { type: ANSWER, id: message.id, error };
          }
          return {
            type: ANSWER,
            id: message.id,
            body: await AggregatorRegistry.aggregate(reports).metrics(),
          };
        })
        .catch(
          (error: Error): Message => ({ type: ANSWER, id: message.id, error: `metrics: ${error.message}` }),
        )
        .then((answer) => {
          if (worker.isConnected()) worker.send(answer);
        });
    }
  });

  // A worker that exits has taken its numbers with it (as any restart does): stop waiting for it.
  cluster.on("exit", (worker) => {
    for (const collection of pending.values()) {
      if (collection.waiting.delete(worker)) collection.settle();
    }
  });
}
