import { refuseDuplicate } from "./duplicates.js";
import { date, ms } from "./json.js";
import type { OutboxMessage } from "./records.js";
import type { OutboxTable } from "./schema.js";
import type { Db } from "./store.js";

function toRecord(row: OutboxTable): OutboxMessage {
  return {
    id: row.id,
    poolId: row.pool_id,
    username: row.username,
    channel: row.channel as OutboxMessage["channel"],
    destination: row.destination,
    purpose: row.purpose,
    subject: row.subject,
    message: row.message,
    createdAt: date(row.created_at),
  };
}

export interface OutboxQuery {
  poolId?: string;
  username?: string;
  destination?: string;
  limit?: number;
}

export class OutboxRepository {
  constructor(private readonly db: Db) {}

  async insert(message: OutboxMessage): Promise<void> {
    await refuseDuplicate(this.db, "outbox", () =>
      this.db
        .insertInto("outbox")
        .values({
          id: message.id,
          pool_id: message.poolId,
          username: message.username,
          channel: message.channel,
          destination: message.destination,
          purpose: message.purpose,
          subject: message.subject,
          message: message.message,
          created_at: ms(message.createdAt),
        })
        .execute(),
    );
  }

  /** Newest first. */
  async list(query: OutboxQuery): Promise<OutboxMessage[]> {
    let q = this.db
      .selectFrom("outbox")
      .selectAll()
      .orderBy("id", "desc")
      .limit(query.limit ?? 100);
    if (query.poolId) q = q.where("pool_id", "=", query.poolId);
    if (query.username) q = q.where("username", "=", query.username);
    if (query.destination) q = q.where("destination", "=", query.destination);
    return (await q.execute()).map(toRecord);
  }
}
