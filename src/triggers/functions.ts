/**
 * Which code a function ARN of a pool's LambdaConfig stands for (config `lambda`): a module or an
 * endpoint listed under the full ARN, else under the function name, else the default endpoint.
 */
import { resolve } from "node:path";
import type { LambdaConfig } from "../config/lambda.js";

/** The parts of `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]` the invoker needs. */
export interface FunctionArn {
  arn: string;
  name: string;
  /** A version or alias. */
  qualifier?: string;
  region?: string;
}

export type FunctionLocation =
  | { kind: "module"; path: string }
  | { kind: "endpoint"; endpoint: string; functionName: string; qualifier?: string };

const ARN_FIELDS = { region: 3, resourceType: 5, name: 6, qualifier: 7 } as const;

/** Lambda ARNs name the function after `function:`; anything else is taken whole as a name. */
export function parseFunctionArn(arn: string): FunctionArn {
  const parts = arn.split(":");
  if (parts[0] !== "arn" || parts[ARN_FIELDS.resourceType] !== "function" || !parts[ARN_FIELDS.name]) {
    return { arn, name: parts.at(-1) || arn };
  }
  return {
    arn,
    name: parts[ARN_FIELDS.name],
    qualifier: parts[ARN_FIELDS.qualifier] || undefined,
    region: parts[ARN_FIELDS.region] || undefined,
  };
}

/** Where the function runs, or undefined when nothing is configured for it. */
export function locateFunction(config: LambdaConfig, fn: FunctionArn): FunctionLocation | undefined {
  const { functions } = config;
  const keys = [fn.arn, fn.qualifier ? `${fn.name}:${fn.qualifier}` : undefined, fn.name];
  const key = keys.find((k): k is string => k !== undefined && Object.hasOwn(functions, k));
  if (key !== undefined) {
    const entry = functions[key];
    if ("module" in entry) return { kind: "module", path: resolve(entry.module) };
    return {
      kind: "endpoint",
      endpoint: entry.endpoint,
      functionName: entry.functionName ?? fn.name,
      qualifier: fn.qualifier,
    };
  }
  if (config.endpoint === null) return undefined;
  return { kind: "endpoint", endpoint: config.endpoint, functionName: fn.name, qualifier: fn.qualifier };
}
