/**
 * Calling a pool's trigger and reading its answer the way Cognito does (TRIGGERS.md §2.1): a
 * function error is UserLambdaValidationException, output that is not JSON or not the event is
 * InvalidLambdaResponseException, a function that cannot be run or does not answer in time is
 * UnexpectedLambdaException. Any of them aborts the operation.
 */
import type { z } from "zod";
import { CognitoError, Errors } from "../domain/errors.js";
import { SUCCESS } from "../metrics/metrics.js";
import type { Services } from "../services.js";
import type { PoolRecord } from "../store/records.js";
import type { TriggerEvent, TriggerName } from "./events.js";
import type { InvocationOutcome } from "./outcomes.js";

/** What calling a trigger needs: the invoker, the configuration of messages, and where invocations are counted. */
export type TriggerServices = Pick<Services, "lambda" | "config" | "metrics" | "recentInvocations">;

/** The function ARN the pool configures for a trigger, if any. */
export function triggerArn(pool: PoolRecord, trigger: TriggerName): string | undefined {
  const config = pool.config.LambdaConfig;
  if (trigger === "PreTokenGeneration")
    return config?.PreTokenGenerationConfig?.LambdaArn ?? config?.PreTokenGeneration;
  if (trigger === "InboundFederation") return config?.InboundFederation?.LambdaArn;
  return config?.[trigger];
}

function parseOutput(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    throw Errors.lambdaOutputNotJson();
  }
}

/** The returned event's `response`: the function must return the whole event, changed or not. */
function responseOf(output: unknown): unknown {
  if (output === null || typeof output !== "object" || Array.isArray(output) || !("response" in output)) {
    throw Errors.lambdaOutputUnrecognizable();
  }
  return output.response ?? {};
}

function outcomeResponse(
  services: TriggerServices,
  trigger: TriggerName,
  outcome: InvocationOutcome,
): unknown {
  switch (outcome.kind) {
    case "unavailable":
      throw Errors.lambdaInvocationFailed(trigger, outcome.reason);
    case "failed":
      throw Errors.lambdaFunctionError(
        trigger,
        outcome.errorMessage,
        services.config.lambda.errorMessagePeriod,
      );
    case "returned":
      return responseOf(parseOutput(outcome.payload));
  }
}

/**
 * Invokes the function at `arn` with the event and returns its `response`, checked against the
 * trigger's schema (unknown keys ignored; wrong types are unrecognizable output).
 */
export async function callTrigger<Schema extends z.ZodType>(
  services: TriggerServices,
  trigger: TriggerName,
  arn: string,
  event: Omit<TriggerEvent<unknown, unknown>, "userName">,
  schema: Schema,
): Promise<z.output<Schema>> {
  const started = performance.now();
  let failure: CognitoError | undefined;
  try {
    const outcome = await services.lambda.invoke(arn, event);
    const parsed = schema.safeParse(outcomeResponse(services, trigger, outcome));
    if (!parsed.success) throw Errors.lambdaOutputUnrecognizable();
    return parsed.data;
  } catch (error) {
    failure = error instanceof CognitoError ? error : Errors.internal();
    throw error;
  } finally {
    record(services, trigger, arn, event, failure, performance.now() - started);
  }
}

/** Counts the invocation and keeps it among the recent ones (the console shows them). */
function record(
  services: TriggerServices,
  trigger: TriggerName,
  functionArn: string,
  event: Omit<TriggerEvent<unknown, unknown>, "userName"> & { userName?: string },
  failure: CognitoError | undefined,
  ms: number,
): void {
  const outcome = failure?.type ?? SUCCESS;
  services.metrics.triggerInvocation(trigger, outcome);
  services.recentInvocations.add({
    at: new Date(),
    poolId: event.userPoolId,
    trigger,
    source: event.triggerSource,
    userName: event.userName,
    functionArn,
    outcome,
    message: failure?.message,
    ms: Math.round(ms),
  });
}
