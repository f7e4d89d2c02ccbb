/**
 * The leanest HTTP client there is, node:http alone: for the bench (keep-alive connections, nothing
 * between it and the server to measure) and for the tests of worker processes (a new connection
 * per request, so that the primary hands each to the next worker).
 */
import { type Agent, request } from "node:http";

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The connections to use; false for a new one closed after the answer. */
  agent: Agent | false;
  /** An answer not complete by then fails the request (a connection lost with a dying worker). */
  timeoutMs?: number;
}

/** One HTTP request to `base` + `path`; its status, headers and text. */
export function send(base: string, path: string, options: SendOptions): Promise<HttpAnswer> {
  const url = new URL(base);
  const method = options.method ?? "GET";
  const payload = typeof options.body === "string" ? Buffer.from(options.body) : options.body;
  const headers: Record<string, string | number> = { ...options.headers };
  if (options.agent === false) headers.connection = "close";
  if (payload) headers["content-length"] = payload.length;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, agent: options.agent, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (options.timeoutMs !== undefined) {
      const timeoutMs = options.timeoutMs;
      req.setTimeout(timeoutMs, () =>
        req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)),
      );
    }
    req.end(payload);
  });
}

export interface ApiAnswer {
  status: number;
  headers: HttpAnswer["headers"];
  body: Record<string, unknown>;
}

/** One AWS JSON 1.1 call of `operation` to the server at `base`. */
export async function callApi(
  base: string,
  operation: string,
  payload: unknown,
  options: Omit<SendOptions, "method" | "headers" | "body">,
): Promise<ApiAnswer> {
  const answer = await send(base, "/", {
    ...options,
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(payload),
  });
  return { status: answer.status, headers: answer.headers, body: JSON.parse(answer.text || "{}") };
}
