/**
 * Where the messages Cognito would send go: email by SMTP, SMS to an HTTP webhook, each when
 * configured; otherwise (the default) into the local outbox, readable at `GET /_cognate/outbox`.
 */
import { z } from "zod";

const smtpSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: z.boolean().default(false),
  auth: z.strictObject({ user: z.string().min(1), pass: z.string() }).optional(),
  /** The sender address, unless the pool's EmailConfiguration.From names one. */
  from: z.string().min(1),
  /** A server that does not connect, greet or answer a command within this time has failed the message. */
  timeoutMs: z.number().int().min(1).max(600_000).default(10_000),
});

const webhookSchema = z.strictObject({
  url: z.string().regex(/^https?:\/\/\S+$/, "must be an http:// or https:// URL"),
  /** Sent with every request, e.g. an Authorization header the webhook checks. */
  headers: z.record(z.string(), z.string()).default({}),
  /** A webhook that has not answered within this time has failed the message. */
  timeoutMs: z.number().int().min(1).max(600_000).default(10_000),
});

export const messagesConfigSchema = z
  .strictObject({
    email: z.strictObject({ smtp: smtpSchema.nullable().default(null) }).prefault({}),
    sms: z.strictObject({ webhook: webhookSchema.nullable().default(null) }).prefault({}),
    /**
     * Also keep what a real sender delivered in the outbox. Off by default: the outbox is read
     * without credentials, and its messages carry codes and temporary passwords.
     */
    keepOutboxCopy: z.boolean().default(false),
  })
  .prefault({});

export type MessagesConfig = z.infer<typeof messagesConfigSchema>;
export type SmtpConfig = z.infer<typeof smtpSchema>;
export type WebhookConfig = z.infer<typeof webhookSchema>;
