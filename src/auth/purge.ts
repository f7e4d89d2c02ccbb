/**
 * Sign-in state (challenge sessions, spent SRP blocks) past its use is deleted in passing, by the
 * requests that write more of it: at most once a minute for each store, so a request rarely pays.
 */
import type { Store } from "../store/store.js";

const PURGE_INTERVAL_MS = 60 * 1000;

/** A purge that runs when called at most once per interval for each store; other calls return at once. */
export function occasionally(purge: (store: Store, now: Date) => Promise<unknown>) {
  const lastPurge = new WeakMap<Store, number>();
  return async (store: Store, now: Date): Promise<void> => {
    if (now.getTime() - (lastPurge.get(store) ?? 0) < PURGE_INTERVAL_MS) return;
    lastPurge.set(store, now.getTime());
    await purge(store, now);
  };
}
