/**
 * SRP's modular exponentiations off the event loop. One 3072-bit exponentiation with a 256-bit
 * exponent costs about 0.6 ms of CPU on the 2-core target; an SRP sign-in needs three, so run on
 * the event loop they would stall every other request. Workers are shared by every server of the
 * process and started on first use; an idle worker does not keep the process alive.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { fromHex, modPowN, N, N_HEX, toHex } from "./srp.js";

/** OpenSSL refused a value as degenerate (1, N−1, …): a chosen A can aim for one; never a server fault. */
export class SrpValueRefused extends Error {}

export interface SrpMath {
  /** base^exponent mod N. */
  pow(base: bigint, exponent: bigint): Promise<bigint>;
  /** The server's premaster secret S = (A · v^u)^b mod N, in one round trip. */
  serverSecret(A: bigint, verifier: bigint, u: bigint, b: bigint): Promise<bigint>;
}

function refusedAsDegenerate<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    throw new SrpValueRefused(error instanceof Error ? error.message : String(error));
  }
}

/** The same arithmetic on the calling thread (srp.workers = 0). */
export const inlineSrpMath: SrpMath = {
  pow: async (base, exponent) => refusedAsDegenerate(() => modPowN(base, exponent)),
  serverSecret: async (A, verifier, u, b) =>
    refusedAsDegenerate(() => modPowN((A * modPowN(verifier, u)) % N, b)),
};

interface Pending {
  resolve(value: bigint): void;
  reject(error: Error): void;
}

interface Reply {
  id: number;
  value?: string;
  error?: string;
}

/** One worker thread and the requests it has not answered yet. */
class SrpWorker {
  readonly pending = new Map<number, Pending>();
  private readonly worker: Worker;

  constructor(onFailure: (error: Error) => void) {
    this.worker = new Worker(new URL("./srp-worker.mjs", import.meta.url), { workerData: { nHex: N_HEX } });
    this.worker.on("message", (reply: Reply) => this.settle(reply));
    this.worker.on("error", (error) => {
      this.failAll(error);
      onFailure(error);
    });
    // After the listeners (adding a "message" listener refs the worker again): an idle worker
    // never keeps the process alive; a busy one does, until it has answered.
    this.worker.unref();
  }

  run(id: number, op: string, args: bigint[]): Promise<bigint> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, args: args.map(toHex) });
    });
  }

  private settle(reply: Reply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.error !== undefined) pending.reject(new SrpValueRefused(reply.error));
    else pending.resolve(fromHex(reply.value ?? "0"));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/** Sends each request to the worker with the fewest requests in flight. */
class SrpWorkerPool implements SrpMath {
  private readonly workers: SrpWorker[] = [];
  private nextId = 1;

  constructor(private readonly size: number) {}

  pow(base: bigint, exponent: bigint): Promise<bigint> {
    return this.run("pow", [base, exponent]);
  }

  serverSecret(A: bigint, verifier: bigint, u: bigint, b: bigint): Promise<bigint> {
    return this.run("secret", [A, verifier, u, b]);
  }

  private run(op: string, args: bigint[]): Promise<bigint> {
    return this.leastBusy().run(this.nextId++, op, args);
  }

  /** A worker that died is replaced on the next request. */
  private forget(worker: SrpWorker): void {
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
  }

  private leastBusy(): SrpWorker {
    if (this.workers.length < this.size) {
      const worker = new SrpWorker(() => this.forget(worker));
      this.workers.push(worker);
      return worker;
    }
    return this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }
}

/**
 * Threads per process when none are configured: the cores the server's processes leave free,
 * shared among them. One process keeps at least one thread, so that an exponentiation never holds
 * its event loop; several processes that already fill the cores run it inline, because a thread
 * there only adds context switches and memory (with 2 processes on 2 cores, inline gave a password
 * sign-in p99 of 47 ms against 80 ms with a thread each, and 15 MB less per process: PERFORMANCE.md).
 */
export function defaultSrpWorkers(processes = 1, cores = availableParallelism()): number {
  if (processes <= 1) return Math.max(1, cores - 1);
  return Math.floor(Math.max(0, cores - processes) / processes);
}

const pools = new Map<number, SrpMath>();

/**
 * The process's SRP arithmetic with `workers` threads (null: the default for a server of
 * `processes` processes), 0 for the calling thread.
 */
export function srpMath(workers: number | null, processes = 1): SrpMath {
  const size = workers ?? defaultSrpWorkers(processes);
  if (size === 0) return inlineSrpMath;
  let pool = pools.get(size);
  if (!pool) {
    pool = new SrpWorkerPool(size);
    pools.set(size, pool);
  }
  return pool;
}
