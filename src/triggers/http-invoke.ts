/**
 * Functions behind the AWS Lambda Invoke API: `POST /2015-03-31/functions/{name}/invocations`, the
 * event as the JSON body, the function's answer as the response body; a function error is flagged
 * by the `X-Amz-Function-Error` header with `{errorMessage, errorType}` as the body. SAM local,
 * LocalStack and serverless-offline serve it; AWS Lambda itself too, with SigV4 (credentials
 * configured).
 */
import type { LambdaConfig } from "../config/lambda.js";
import { type InvocationOutcome, TIMEOUT_REASON } from "./outcomes.js";

export interface HttpFunction {
  endpoint: string;
  functionName: string;
  qualifier?: string;
  /** The region to sign for. */
  region: string;
}

function invocationUrl(fn: HttpFunction): URL {
  const url = new URL(
    `2015-03-31/functions/${encodeURIComponent(fn.functionName)}/invocations`,
    fn.endpoint.endsWith("/") ? fn.endpoint : `${fn.endpoint}/`,
  );
  if (fn.qualifier) url.searchParams.set("Qualifier", fn.qualifier);
  return url;
}

async function signedHeaders(
  url: URL,
  body: string,
  headers: Record<string, string>,
  region: string,
  credentials: NonNullable<LambdaConfig["credentials"]>,
): Promise<Record<string, string>> {
  // Loaded with the first signed invocation: most servers sign none.
  const [{ Hash }, { HttpRequest }, { SignatureV4 }] = await Promise.all([
    import("@smithy/hash-node"),
    import("@smithy/protocol-http"),
    import("@smithy/signature-v4"),
  ]);
  const signer = new SignatureV4({
    service: "lambda",
    region,
    credentials,
    sha256: Hash.bind(null, "sha256"),
  });
  const request = new HttpRequest({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { ...headers, host: url.host },
    body,
  });
  const signed = await signer.sign(request);
  return signed.headers;
}

/** The Lambda service's own error name, from `x-amzn-ErrorType` or the JSON body. */
function serviceErrorName(response: Response, text: string): string {
  const header = response.headers.get("x-amzn-errortype");
  if (header) return header.split(":")[0];
  try {
    const body = JSON.parse(text) as { Type?: unknown; __type?: unknown };
    const name = typeof body.__type === "string" ? body.__type : body.Type;
    if (typeof name === "string" && name) return name.slice(name.lastIndexOf("#") + 1);
  } catch {
    // not JSON: fall through to the status
  }
  return response.status === 404 ? "ResourceNotFoundException" : `HTTP ${response.status}`;
}

function functionError(text: string, header: string): InvocationOutcome {
  try {
    const body = JSON.parse(text) as { errorMessage?: unknown; errorType?: unknown };
    return {
      kind: "failed",
      errorType: typeof body.errorType === "string" ? body.errorType : header,
      errorMessage: typeof body.errorMessage === "string" ? body.errorMessage : text,
    };
  } catch {
    return { kind: "failed", errorType: header, errorMessage: text };
  }
}

/** Why the request did not get an answer: the deadline, or the connection's error code. */
function transportFailure(error: unknown): InvocationOutcome {
  const e = error as { name?: string; cause?: { code?: string }; code?: string; message?: string };
  if (e.name === "TimeoutError" || e.name === "AbortError")
    return { kind: "unavailable", reason: TIMEOUT_REASON };
  return { kind: "unavailable", reason: e.cause?.code ?? e.code ?? e.message ?? "ServiceException" };
}

export async function invokeOverHttp(
  fn: HttpFunction,
  event: unknown,
  options: { timeoutMs: number; credentials: LambdaConfig["credentials"] },
): Promise<InvocationOutcome> {
  const url = invocationUrl(fn);
  const body = JSON.stringify(event);
  let headers: Record<string, string> = {
    "content-type": "application/json",
    "x-amz-invocation-type": "RequestResponse",
  };
  try {
    if (options.credentials)
      headers = await signedHeaders(url, body, headers, fn.region, options.credentials);
    const response = await fetch(url, {
      method: "POST",
      headers,
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok) return { kind: "unavailable", reason: serviceErrorName(response, text) };
    const flagged = response.headers.get("x-amz-function-error");
    if (flagged) return functionError(text, flagged);
    return { kind: "returned", payload: text };
  } catch (error) {
    return transportFailure(error);
  }
}
