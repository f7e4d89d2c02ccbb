/**
 * SMS by HTTP webhook: each message is POSTed as JSON to the configured URL (with its headers),
 * for a gateway of the operator's choosing to deliver. Any 2xx answer means delivered.
 */
import type { WebhookConfig } from "../config/messages.js";
import { Errors } from "../domain/errors.js";
import type { Message, MessageSender } from "./sender.js";

/** What the webhook receives. */
export interface SmsWebhookBody {
  poolId: string;
  username: string;
  /** The phone number, E.164. */
  phoneNumber: string;
  purpose: string;
  message: string;
}

export class WebhookSmsSender implements MessageSender {
  constructor(private readonly config: WebhookConfig) {}

  async send(message: Message): Promise<void> {
    const body: SmsWebhookBody = {
      poolId: message.poolId,
      username: message.username,
      phoneNumber: message.destination,
      purpose: message.purpose,
      message: message.message,
    };
    let status: number;
    try {
      const response = await fetch(this.config.url, {
        method: "POST",
        headers: { ...this.config.headers, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      status = response.status;
      await response.body?.cancel();
    } catch {
      throw Errors.smsDeliveryFailed("the SMS webhook could not be reached.");
    }
    if (status < 200 || status > 299)
      throw Errors.smsDeliveryFailed(`the SMS webhook answered HTTP ${status}.`);
  }
}
