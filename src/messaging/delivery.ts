/**
 * The message sender the server uses: each channel goes to its configured sender (SMTP for email,
 * the webhook for SMS), or to the local outbox when it has none; a copy of what a real sender
 * delivered stays in the outbox only when configured (keepOutboxCopy).
 */
import type { MessagesConfig } from "../config/messages.js";
import type { Store } from "../store/store.js";
import { type Message, type MessageSender, OutboxSender } from "./sender.js";
import { SmtpSender } from "./smtp.js";
import { WebhookSmsSender } from "./webhook.js";

export class RoutingSender implements MessageSender {
  constructor(
    private readonly outbox: MessageSender,
    private readonly senders: { EMAIL?: MessageSender; SMS?: MessageSender },
    private readonly keepOutboxCopy: boolean,
  ) {}

  async send(message: Message, now: Date): Promise<void> {
    const sender = this.senders[message.channel];
    if (!sender) return this.outbox.send(message, now);
    await sender.send(message, now);
    if (this.keepOutboxCopy) await this.outbox.send(message, now);
  }
}

/**
 * A sender that reports the messages it could not send (log delivery's user-notification errors)
 * before the failure reaches the operation.
 */
export class ReportingSender implements MessageSender {
  constructor(
    private readonly inner: MessageSender,
    private readonly report: (message: Message, error: Error, now: Date) => Promise<void>,
  ) {}

  async send(message: Message, now: Date): Promise<void> {
    try {
      await this.inner.send(message, now);
    } catch (error) {
      await this.report(message, error as Error, now);
      throw error;
    }
  }
}

export function messageSender(config: MessagesConfig, store: Store): MessageSender {
  const { smtp } = config.email;
  const { webhook } = config.sms;
  return new RoutingSender(
    new OutboxSender(store),
    {
      EMAIL: smtp ? new SmtpSender(smtp, store) : undefined,
      SMS: webhook ? new WebhookSmsSender(webhook) : undefined,
    },
    config.keepOutboxCopy,
  );
}
