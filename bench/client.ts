/** The bench's HTTP client: AWS JSON 1.1 calls over keep-alive connections, nothing else. */
import { type Agent, request } from "node:http";

export interface Target {
  url: string;
  agent: Agent;
}

export interface CallResult {
  status: number;
  body: Record<string, unknown>;
}

/** One AWS JSON 1.1 call over a keep-alive connection: the leanest client we can write. */
export function call(target: Target, operation: string, payload: unknown): Promise<CallResult> {
  const body = Buffer.from(JSON.stringify(payload));
  const url = new URL(target.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: "/",
        agent: target.agent,
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
          "content-length": body.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString() || "{}"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export interface Workload {
  /** One request; resolves true when the answer was the expected one. */
  once(target: Target, worker: number, i: number): Promise<boolean>;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Any HTTP request over the target's keep-alive connections (the OAuth endpoints and pages). */
export function send(
  target: Target,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<HttpAnswer> {
  const url = new URL(target.url);
  const payload = body === undefined ? undefined : Buffer.from(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent: target.agent,
        headers: payload ? { ...headers, "content-length": payload.length } : headers,
      },
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
    req.end(payload);
  });
}
