/**
 * The domain endpoints without HTTP: what a handler reads of a request and what it answers. The
 * HTTP layer (src/http/domain-endpoints.ts) builds an EndpointRequest and writes the response.
 */
import type { SafeHtml } from "../pages/html.js";
import type { Services } from "../services.js";
import type { ClientRecord } from "../store/records.js";
import type { Site } from "./site.js";

/** Query or form parameters, keeping every value so that a repeated parameter can be refused. */
export class Params {
  private readonly values = new Map<string, string[]>();

  constructor(search: string | URLSearchParams = "") {
    const parsed = typeof search === "string" ? new URLSearchParams(search) : search;
    for (const [name, value] of parsed) {
      const list = this.values.get(name);
      if (list) list.push(value);
      else this.values.set(name, [value]);
    }
  }

  /** The parameter's value; undefined when absent. A repeated parameter gives its first value. */
  get(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The first parameter sent more than once, if any [UNDOC: such a request is invalid]. */
  repeated(): string | undefined {
    for (const [name, list] of this.values) if (list.length > 1) return name;
    return undefined;
  }

  /** Every parameter whose name starts with `prefix`, by the rest of its name. */
  withPrefix(prefix: string): Record<string, string> {
    const found: Record<string, string> = {};
    for (const [name, list] of this.values)
      if (name.startsWith(prefix)) found[name.slice(prefix.length)] = list[0];
    return found;
  }
}

export interface EndpointRequest {
  method: string;
  /** The query string as received, without `?` (pages pass it on unchanged). */
  rawQuery: string;
  query: Params;
  /** The form of a POST with an `application/x-www-form-urlencoded` body, else undefined. */
  form: Params | undefined;
  headers: Record<string, string | string[] | undefined>;
  cookies: Readonly<Record<string, string>>;
  sourceIp: string;
  site: Site;
  now: Date;
  services: Services;
}

/** A page's own part: what the domain's frame (views.ts) surrounds. */
export interface PageBody {
  title: string;
  description?: string;
  content: SafeHtml;
}

export interface EndpointResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie header values. */
  cookies: string[];
  body?: string;
  /**
   * A page still to be framed in the domain's look for the app client, which becomes `body`
   * once the handler is done (views.ts `framePage`, applied to every route in routes.ts).
   */
  page?: PageBody & { version: number; appName: string; lang?: string; client?: ClientRecord };
}

/** A single header of the request, as one string. */
export function header(request: EndpointRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function redirect(location: string, cookies: string[] = []): EndpointResponse {
  return { status: 302, headers: { location }, cookies };
}

/** JSON as the OAuth endpoints answer it: never cached [DG example]. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): EndpointResponse {
  return {
    status,
    headers: {
      "content-type": "application/json;charset=UTF-8",
      "cache-control": "no-cache, no-store, max-age=0, must-revalidate",
      pragma: "no-cache",
      ...headers,
    },
    cookies: [],
    body: JSON.stringify(body),
  };
}

export function html(status: number, body: string, cookies: string[] = []): EndpointResponse {
  return {
    status,
    headers: { "content-type": "text/html;charset=UTF-8", "cache-control": "no-store" },
    cookies,
    body,
  };
}

export function empty(status: number): EndpointResponse {
  return { status, headers: {}, cookies: [] };
}
