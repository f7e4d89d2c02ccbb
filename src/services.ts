/** What operations need, built once by the composition root (server.ts). */
import type { Config } from "./config/config.js";
import type { MessageSender } from "./messaging/sender.js";
import type { Store } from "./store/store.js";

export interface Services {
  config: Config;
  store: Store;
  messages: MessageSender;
  /** The time every request sees as `ctx.now`; tests replace it to move time without waiting. */
  clock: () => Date;
}
