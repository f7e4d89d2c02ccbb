/**
 * Module functions run isolated from the server, in worker threads: a pool of workers per module,
 * each running one invocation at a time and reused while it behaves. The deadline is enforced by
 * terminating the worker, so a function that hangs costs its caller the timeout and nothing else:
 * other invocations run in other workers, and the server's event loop never waits on user code.
 */
import { Worker } from "node:worker_threads";
import type { InvocationOutcome, InvocationTarget } from "./outcomes.js";
import { STOPPING_REASON, TIMEOUT_REASON } from "./outcomes.js";
import type { InvocationRequest, WorkerReply } from "./worker-protocol.js";

const WORKER_ENTRY = new URL("./worker-entry.mjs", import.meta.url);

/**
 * A function's heap at most, as a Lambda function has its memory size: twice the 128 MB the
 * context reports, so that no ordinary function meets it.
 */
const HEAP_LIMIT_MB = 256;

/** What Lambda reports for a function killed for its memory [Lambda]. */
const OUT_OF_MEMORY_MESSAGE = "Runtime exited with error: signal: killed";

interface Job {
  request: InvocationRequest;
  resolve: (outcome: InvocationOutcome) => void;
  timer: NodeJS.Timeout;
  slot?: Slot;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

export class ModulePool {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly modulePath: string,
    private readonly maxWorkers: number,
  ) {}

  invoke(event: unknown, target: InvocationTarget, timeoutMs: number): Promise<InvocationOutcome> {
    if (this.closed) return Promise.resolve({ kind: "unavailable", reason: STOPPING_REASON });
    return new Promise((resolve) => {
      const job: Job = {
        request: {
          id: this.nextId++,
          event,
          context: { ...target, deadline: Date.now() + timeoutMs },
        },
        resolve,
        timer: setTimeout(() => this.timeOut(job), timeoutMs),
      };
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Stops every worker; invocations still running end as unavailable. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0))
      this.finish(job, { kind: "unavailable", reason: STOPPING_REASON });
    await Promise.all([...this.slots].map((slot) => this.discard(slot)));
  }

  /** Hands queued invocations to idle workers, starting new ones up to the limit. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.idle.pop() ?? (this.slots.size < this.maxWorkers ? this.start() : undefined);
      if (!slot) return;
      const job = this.queue.shift() as Job;
      job.slot = slot;
      slot.job = job;
      slot.worker.postMessage(job.request);
    }
  }

  private start(): Slot {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: { modulePath: this.modulePath },
      // A function that allocates without end loses its worker, not the server its memory.
      resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB },
    });
    // Idle workers must not keep a stopping server alive.
    worker.unref();
    const slot: Slot = { worker };
    worker.on("message", (reply: WorkerReply) => this.answered(slot, reply));
    worker.on("error", (error: Error & { code?: string }) =>
      error.code === "ERR_WORKER_OUT_OF_MEMORY"
        ? this.crashed(slot, "Runtime.ExitError", OUT_OF_MEMORY_MESSAGE)
        : this.crashed(slot, "Runtime.UnhandledError", error.message),
    );
    worker.on("exit", (code) =>
      this.crashed(slot, "Runtime.ExitError", `Runtime exited with error: exit status ${code}`),
    );
    this.slots.add(slot);
    return slot;
  }

  private answered(slot: Slot, reply: WorkerReply): void {
    const job = slot.job;
    if (!job || job.request.id !== reply.id) return;
    slot.job = undefined;
    if (reply.kind === "failed" && reply.fatal) void this.discard(slot);
    else this.idle.push(slot);
    this.finish(
      job,
      reply.kind === "failed"
        ? { kind: "failed", errorType: reply.errorType, errorMessage: reply.errorMessage }
        : reply,
    );
    this.dispatch();
  }

  /** A worker that died takes its invocation with it, as a function error [Lambda: Runtime.ExitError]. */
  private crashed(slot: Slot, errorType: string, errorMessage: string): void {
    if (!this.slots.has(slot)) return;
    const job = slot.job;
    void this.discard(slot);
    if (job) this.finish(job, { kind: "failed", errorType, errorMessage });
    this.dispatch();
  }

  private timeOut(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    if (job.slot) void this.discard(job.slot);
    this.finish(job, { kind: "unavailable", reason: TIMEOUT_REASON });
    this.dispatch();
  }

  private finish(job: Job, outcome: InvocationOutcome): void {
    clearTimeout(job.timer);
    job.resolve(outcome);
  }

  private async discard(slot: Slot): Promise<void> {
    if (!this.slots.delete(slot)) return;
    const at = this.idle.indexOf(slot);
    if (at >= 0) this.idle.splice(at, 1);
    slot.job = undefined;
    await slot.worker.terminate();
  }
}
