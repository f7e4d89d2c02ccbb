import type { Config } from "../config/config.js";
import { openStore } from "../store/open.js";

export async function printOutbox(
  config: Config,
  query: { poolId?: string; username?: string; limit: number; json: boolean },
): Promise<void> {
  const store = await openStore(config);
  try {
    const messages = await store.outbox.list(query);
    for (const m of messages) {
      if (query.json) {
        process.stdout.write(`${JSON.stringify(m)}\n`);
      } else {
        process.stdout.write(
          `${m.createdAt.toISOString()} ${m.poolId} ${m.username} ${m.channel} → ${m.destination} [${m.purpose}]\n` +
            `${m.subject ? `  ${m.subject}\n` : ""}  ${m.message}\n`,
        );
      }
    }
  } finally {
    await store.close();
  }
}
