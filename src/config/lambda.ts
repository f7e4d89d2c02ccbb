/**
 * The `lambda` section: how the function ARNs of a pool's LambdaConfig map to code. A function is
 * looked up in `functions` by its full ARN, then by its function name; otherwise it is invoked at
 * `endpoint` through the AWS Lambda Invoke API.
 */
import { z } from "zod";

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" });

/** A local JavaScript or TypeScript module exporting `handler(event, context)`, run in worker threads. */
const moduleFunction = z.strictObject({
  /** Path of the module; relative paths are relative to the server's working directory. */
  module: z.string().min(1),
});

/** A server speaking the Lambda Invoke API (SAM local, LocalStack, serverless-offline, AWS Lambda). */
const endpointFunction = z.strictObject({
  endpoint: httpUrl,
  /** The name to invoke there; defaults to the function name of the ARN. */
  functionName: z.string().min(1).optional(),
});

export const lambdaConfigSchema = z
  .strictObject({
    /** Where functions not listed in `functions` are invoked; null = they are not found. */
    endpoint: httpUrl.nullable().default(null),
    functions: z.record(z.string().min(1), z.union([moduleFunction, endpointFunction])).default({}),
    /** How long Cognito waits for a function before UnexpectedLambdaException [DG: 5 s]. */
    timeoutMs: z.number().int().min(1).max(900_000).default(5000),
    /** Worker threads per module at most; more concurrent invocations wait for one. */
    workersPerModule: z.number().int().min(1).max(256).default(16),
    /** Signs Invoke API requests with SigV4 (for AWS Lambda itself); null = unsigned. */
    credentials: z
      .strictObject({
        accessKeyId: z.string().min(1),
        secretAccessKey: z.string().min(1),
        sessionToken: z.string().min(1).optional(),
      })
      .nullable()
      .default(null),
    /** Whether `<Trigger> failed with error <message>` ends with a period, as most observed messages do. */
    errorMessagePeriod: z.boolean().default(true),
  })
  .prefault({});

export type LambdaConfig = z.infer<typeof lambdaConfigSchema>;
export type FunctionConfig = LambdaConfig["functions"][string];
