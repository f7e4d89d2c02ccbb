/**
 * The console without HTTP: what a page reads of a request and what it answers. The HTTP layer
 * (src/http/console.ts) builds a ConsoleRequest and writes the ConsoleResponse.
 */
import type { OperationCaller } from "../protocol/dispatch.js";
import type { Services } from "../services.js";

export interface ConsoleRequest {
  method: string;
  /** The path below /console, "" for the console's own root. */
  path: string;
  query: URLSearchParams;
  /** The form of a POST (application/x-www-form-urlencoded). */
  form: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  cookies: Readonly<Record<string, string>>;
  sourceIp: string;
}

export interface ConsoleResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie header values. */
  cookies: string[];
  body?: string;
}

/** What every page has: the server's services, the API's operations, and the request's CSRF token. */
export interface ConsoleContext {
  services: Services;
  call: OperationCaller;
  request: ConsoleRequest;
  csrf: string;
}

/** Where the console is mounted. */
export const CONSOLE_PATH = "/console";

export function consoleUrl(...parts: string[]): string {
  return [CONSOLE_PATH, ...parts.map(encodeURIComponent)].join("/");
}

export function redirect(location: string, cookies: string[] = []): ConsoleResponse {
  return { status: 303, headers: { location }, cookies };
}

export function header(request: ConsoleRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
