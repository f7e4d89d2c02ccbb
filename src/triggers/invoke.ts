/**
 * The Lambda invoker: runs the function a LambdaConfig ARN names — a local module in worker
 * threads, or an endpoint speaking the Lambda Invoke API — synchronously, as Cognito does
 * (RequestResponse), with one deadline for the whole call.
 */
import { randomUUID } from "node:crypto";
import type { LambdaConfig } from "../config/lambda.js";
import { locateFunction, parseFunctionArn } from "./functions.js";
import { invokeOverHttp } from "./http-invoke.js";
import { ModulePool } from "./module-pool.js";
import { type InvocationOutcome, NOT_FOUND_REASON } from "./outcomes.js";

export interface LambdaInvoker {
  /** Sends the event to the function and waits for its answer, at most `lambda.timeoutMs`. */
  invoke(functionArn: string, event: unknown): Promise<InvocationOutcome>;
  /** Stops the worker threads. */
  close(): Promise<void>;
}

export class ConfiguredInvoker implements LambdaInvoker {
  /** One pool of workers per module file, started on first use. */
  private readonly pools = new Map<string, ModulePool>();

  constructor(
    private readonly config: LambdaConfig,
    /** The region to sign for when the ARN names none. */
    private readonly defaultRegion: string,
  ) {}

  async invoke(functionArn: string, event: unknown): Promise<InvocationOutcome> {
    const fn = parseFunctionArn(functionArn);
    const location = locateFunction(this.config, fn);
    if (!location) return { kind: "unavailable", reason: NOT_FOUND_REASON };
    if (location.kind === "endpoint") {
      return invokeOverHttp({ ...location, region: fn.region ?? this.defaultRegion }, event, {
        timeoutMs: this.config.timeoutMs,
        credentials: this.config.credentials,
      });
    }
    const target = { functionName: fn.name, invokedFunctionArn: fn.arn, awsRequestId: randomUUID() };
    return this.poolFor(location.path).invoke(event, target, this.config.timeoutMs);
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  private poolFor(path: string): ModulePool {
    let pool = this.pools.get(path);
    if (!pool) {
      pool = new ModulePool(path, this.config.workersPerModule);
      this.pools.set(path, pool);
    }
    return pool;
  }
}
