/** The shape of an operation handler: validated input in, output out, with the request's context. */
import type { OperationName } from "../protocol/model.generated.js";
import type { OperationShapes } from "../protocol/types.generated.js";
import type { Services } from "../services.js";

export interface RequestContext {
  requestId: string;
  /** Fixed once per request, so every step agrees on the time. */
  now: Date;
  /** Region of the SigV4 credential scope, else the configured default. */
  region: string;
  /** The connecting client's address. */
  sourceIp: string;
  /** Lower-cased request headers (for UserContextData and risk checks). */
  headers: Record<string, string | string[] | undefined>;
  services: Services;
  /**
   * The id of what the operation creates, chosen by the caller (CreateUserPool, CreateUserPoolClient):
   * a seed file's fixed ids. Never set from a request.
   */
  chosenId?: string;
}

export type Input<Op extends OperationName> = OperationShapes[Op]["input"];
export type Output<Op extends OperationName> = OperationShapes[Op]["output"];

export type Handler<Op extends OperationName> = (
  input: Input<Op>,
  ctx: RequestContext,
) => Promise<Output<Op>>;

/** Each operations module exports one of these; operations/index.ts merges them. */
export type HandlerTable = { [Op in OperationName]?: Handler<Op> };

/** Every operation of the model, each with its handler: what operations/index.ts must add up to. */
export type CompleteHandlerTable = { [Op in OperationName]: Handler<Op> };
