/** Rendering a console page in its frame, and the pattern of every action: call, then redirect or show the refusal. */
import { CognitoError } from "../domain/errors.js";
import type { OperationName } from "../protocol/model.generated.js";
import { type ConsoleContext, type ConsoleResponse, redirect } from "./request.js";
import { type ConsolePage, renderConsolePage } from "./views/layout.js";

export function render(ctx: ConsoleContext, page: ConsolePage, status = 200): ConsoleResponse {
  const facts = {
    endpoint: ctx.services.baseUrl,
    region: ctx.services.config.server.region,
    signedIn: ctx.services.config.console.token !== null,
    csrf: ctx.csrf,
  };
  return {
    status,
    headers: { "content-type": "text/html; charset=utf-8" },
    cookies: [],
    body: renderConsolePage(page, facts),
  };
}

/** Calls an operation as the console's operator, from the browser's connection. */
export function call(
  ctx: ConsoleContext,
  operation: OperationName,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return ctx.call(operation, input, { sourceIp: ctx.request.sourceIp });
}

export interface Refusal {
  type: string;
  message: string;
}

/**
 * Runs an action: on success, back to `done` (a GET, so a reload repeats nothing); refused by the
 * operation, the page again with Cognito's error and status 400.
 */
export async function act(
  work: () => Promise<string>,
  again: (refusal: Refusal) => Promise<ConsoleResponse>,
): Promise<ConsoleResponse> {
  let location: string;
  try {
    location = await work();
  } catch (error) {
    if (!(error instanceof CognitoError)) throw error;
    const response = await again({ type: error.type, message: error.message });
    return { ...response, status: 400 };
  }
  return redirect(location);
}

/** The notice a redirect asked for (`?done=key`), from the page's own list: never text from the URL. */
export function notice(ctx: ConsoleContext, notices: Record<string, string>): string | undefined {
  const key = ctx.request.query.get("done");
  return key && Object.hasOwn(notices, key) ? notices[key] : undefined;
}

export function withDone(location: string, key: string): string {
  return `${location}${location.includes("?") ? "&" : "?"}done=${encodeURIComponent(key)}`;
}

/** A form field, trimmed; undefined when empty. */
export function field(ctx: ConsoleContext, name: string): string | undefined {
  const value = ctx.request.form.get(name)?.trim();
  return value === "" ? undefined : value;
}

/** The pool's name and id for the frame, read through DescribeUserPool. */
export async function poolOf(ctx: ConsoleContext, poolId: string): Promise<Record<string, unknown>> {
  const out = await call(ctx, "DescribeUserPool", { UserPoolId: poolId });
  return out.UserPool as Record<string, unknown>;
}
