/**
 * Email by SMTP (nodemailer). The sender address is the pool's EmailConfiguration.From when it has
 * one (as Cognito sends with SES), else the configured one; ReplyToEmailAddress is kept. A message
 * with HTML markup (templates may carry it; a confirmation link is an `<a>`) goes as HTML with a
 * plain-text alternative; one without goes as the plain text it is [UNDOC].
 */
import type { Transporter } from "nodemailer";
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

const MARKUP = /<[a-z][^>]*>/i;
const ANCHOR = /<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi;

/** The text as HTML when it has markup, with a plain alternative: links as `title: address`, tags dropped. */
function mailBody(text: string): { text: string; html?: string } {
  if (!MARKUP.test(text)) return { text };
  const plain = text
    .replace(ANCHOR, (_anchor, href: string, title: string) => `${title}: ${href.replaceAll("&amp;", "&")}`)
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "");
  return { text: plain, html: text };
}

export class SmtpSender implements MessageSender {
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly config: SmtpConfig,
    private readonly store: Store,
  ) {}

  /** nodemailer is loaded on the first message: it costs every server ~15 MB, most never send mail. */
  private transporter(): Promise<Transporter> {
    this.transport ??= import("nodemailer").then(({ createTransport }) =>
      createTransport({
        host: this.config.host,
        port: this.config.port,
        secure: this.config.secure,
        auth: this.config.auth,
        // nodemailer waits minutes by default (10 for an answer): the caller waits on the message.
        connectionTimeout: this.config.timeoutMs,
        greetingTimeout: this.config.timeoutMs,
        socketTimeout: this.config.timeoutMs,
      }),
    );
    return this.transport;
  }

  async send(message: Message): Promise<void> {
    const email = (await this.store.pools.get(message.poolId))?.config.EmailConfiguration;
    try {
      await (await this.transporter()).sendMail({
        from: email?.From ?? this.config.from,
        replyTo: email?.ReplyToEmailAddress,
        to: message.destination,
        subject: message.subject ?? "",
        ...mailBody(message.message),
      });
    } catch (error) {
      throw Errors.emailDeliveryFailed(failureReason(error));
    }
  }
}
