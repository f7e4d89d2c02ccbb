/** The bench's HTTP client: AWS JSON 1.1 calls over keep-alive connections, nothing else. */
import type { Agent } from "node:http";
import { callApi, type HttpAnswer, send as sendHttp } from "../test/support/raw-http.js";

export interface Target {
  url: string;
  agent: Agent;
}

export interface CallResult {
  status: number;
  body: Record<string, unknown>;
}

/** One AWS JSON 1.1 call over a keep-alive connection. */
export function call(target: Target, operation: string, payload: unknown): Promise<CallResult> {
  return callApi(target.url, operation, payload, { agent: target.agent });
}

export interface Workload {
  /** One request; resolves true when the answer was the expected one. */
  once(target: Target, worker: number, i: number): Promise<boolean>;
}

export type { HttpAnswer };

/** Any HTTP request over the target's keep-alive connections (the OAuth endpoints and pages). */
export function send(
  target: Target,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<HttpAnswer> {
  return sendHttp(target.url, path, { method, headers, body, agent: target.agent });
}
