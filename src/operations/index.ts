/** Every implemented operation, by name. Operations not listed answer "not implemented". */
import { authHandlers } from "./auth.js";
import { clientHandlers } from "./clients.js";
import { poolHandlers } from "./pools.js";
import type { HandlerTable } from "./types.js";

export const handlers: HandlerTable = {
  ...poolHandlers,
  ...clientHandlers,
  ...authHandlers,
};
