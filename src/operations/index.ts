/** Every implemented operation, by name. Operations not listed answer "not implemented". */
import type { HandlerTable } from "./types.js";

export const handlers: HandlerTable = {};
