/**
 * Email by SMTP (nodemailer). The sender address is the pool's EmailConfiguration.From when it has
 * one (as Cognito sends with SES), else the configured one; ReplyToEmailAddress is kept.
 */
import { createTransport, type Transporter } from "nodemailer";
import type { SmtpConfig } from "../config/messages.js";
import { Errors } from "../domain/errors.js";
import type { Store } from "../store/store.js";
import type { Message, MessageSender } from "./sender.js";

/** Why a message was not taken, without what the server said (it may echo the message). */
function failureReason(error: unknown): string {
  const { code, responseCode } = error as { code?: string; responseCode?: number };
  if (responseCode) return `the SMTP server answered ${responseCode}${code ? ` (${code})` : ""}.`;
  return `the SMTP server could not be used${code ? ` (${code})` : ""}.`;
}

export class SmtpSender implements MessageSender {
  private readonly transport: Transporter;

  constructor(
    private readonly config: SmtpConfig,
    private readonly store: Store,
  ) {
    this.transport = createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.auth,
    });
  }

  async send(message: Message): Promise<void> {
    const email = (await this.store.pools.get(message.poolId))?.config.EmailConfiguration;
    try {
      await this.transport.sendMail({
        from: email?.From ?? this.config.from,
        replyTo: email?.ReplyToEmailAddress,
        to: message.destination,
        subject: message.subject ?? "",
        text: message.message,
      });
    } catch (error) {
      throw Errors.emailDeliveryFailed(failureReason(error));
    }
  }
}
