/** Every message Cognito would send goes through one sender; the default keeps it in the local outbox. */
import { randomBytes } from "node:crypto";
import type { Store } from "../store/store.js";

export interface Message {
  poolId: string;
  username: string;
  channel: "EMAIL" | "SMS";
  destination: string;
  /** What the message is for, e.g. `invitation`, `signup-code`, `forgot-password-code`. */
  purpose: string;
  subject?: string;
  message: string;
}

export interface MessageSender {
  send(message: Message, now: Date): Promise<void>;
}

/** A sortable id: zero-padded milliseconds, then randomness. */
function outboxId(now: Date): string {
  return `${now.getTime().toString().padStart(15, "0")}-${randomBytes(6).toString("hex")}`;
}

export class OutboxSender implements MessageSender {
  constructor(private readonly store: Store) {}

  async send(message: Message, now: Date): Promise<void> {
    await this.store.outbox.insert({
      id: outboxId(now),
      poolId: message.poolId,
      username: message.username,
      channel: message.channel,
      destination: message.destination,
      purpose: message.purpose,
      subject: message.subject ?? null,
      message: message.message,
      createdAt: now,
    });
  }
}
