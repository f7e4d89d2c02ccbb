/**
 * Messages that carry a secret: one-time codes (sign-up confirmation, password reset, attribute
 * verification) and invitations with a temporary password. Codes are random digits
 * from the CSPRNG, kept only as a keyed hash, sent through the one message sender, and checked in
 * constant time. Also where a code goes: which attribute, which channel, masked as Cognito shows it.
 */
import { createHmac } from "node:crypto";
import { sameText } from "../crypto/compare.js";
import { randomToken } from "../crypto/random.js";
import type { CodeDeliveryDetailsType, DeliveryMediumType } from "../protocol/types.generated.js";
import type { Services } from "../services.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { TriggerServices } from "../triggers/call.js";
import {
  type ConfirmationLink,
  fillLinks,
  linkTemplate,
  signUpConfirmationLink,
} from "./confirmation-link.js";
import { customizedText, type MessageTrigger } from "./custom-message.js";
import { Errors } from "./errors.js";
import { messageCode } from "./fixed-codes.js";
import { verificationMessageTemplate } from "./pools.js";

/** What a code is for; the store keeps one live code per user and purpose. */
export type CodePurpose = "signup" | "forgot-password" | `verify:${string}`;

/** How long each kind of code stays valid [DG quotas, LIMITS.md §5]. */
export const CODE_TTL_SECONDS = {
  signup: 24 * 60 * 60,
  "forgot-password": 60 * 60,
  verify: 24 * 60 * 60,
} as const;

const CODE_DIGITS = 6;
const CODE_KEY_NAME = "code-hash-key";

/** The text of a message carrying a code: `{####}` is the code, `{username}` the username. */
export interface MessageTemplate {
  message: string;
  subject?: string;
}

/** The attribute a code is sent to and over which channel. */
export interface Delivery {
  attribute: "email" | "phone_number";
  channel: DeliveryMediumType;
  destination: string;
}

export interface IssueCodeOptions {
  delivery: Delivery;
  template: MessageTemplate;
  now: Date;
  ttlSeconds: number;
  /** What the CustomMessage trigger is told; by default the event of the code's purpose. */
  trigger?: MessageTrigger;
  /** The e-mail carries the code as this confirmation link, in place of each `{##text##}`. */
  link?: ConfirmationLink;
}

/** A keyed hash, so a copy of the codes table alone does not give away 6-digit codes. */
async function hashCode(store: Store, pool: PoolRecord, user: UserRecord, purpose: string, code: string) {
  const key = await store.secrets.getOrCreate(CODE_KEY_NAME, () => randomToken(32));
  return createHmac("sha256", key)
    .update(`${pool.id}\0${user.usernameKey}\0${purpose}\0${code}`)
    .digest("hex");
}

/** The placeholders filled in: `{####}` the code, `{username}` the username, `{##text##}` the link if any. */
export function fillTemplate(
  text: string,
  values: { code?: string; username: string; link?: string },
): string {
  const linked = values.link === undefined ? text : fillLinks(text, values.link);
  return linked.replaceAll("{####}", values.code ?? "").replaceAll("{username}", values.username);
}

/** `j***@e***` for emails and `+*******1234` for phone numbers, as Cognito shows destinations [OBS]. */
export function maskDestination(attribute: Delivery["attribute"], value: string): string {
  if (attribute === "phone_number") return `+${"*".repeat(Math.max(value.length - 5, 0))}${value.slice(-4)}`;
  const [local, domain = ""] = value.split("@");
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

export function deliveryDetails(delivery: Delivery): CodeDeliveryDetailsType {
  return {
    AttributeName: delivery.attribute,
    DeliveryMedium: delivery.channel,
    Destination: maskDestination(delivery.attribute, delivery.destination),
  };
}

export function emailDelivery(user: UserRecord): Delivery | undefined {
  const destination = user.attributes.email;
  return destination ? { attribute: "email", channel: "EMAIL", destination } : undefined;
}

export function smsDelivery(user: UserRecord): Delivery | undefined {
  const destination = user.attributes.phone_number;
  return destination ? { attribute: "phone_number", channel: "SMS", destination } : undefined;
}

/**
 * Where a sign-up confirmation code goes: the pool's auto-verified attributes the user has, the
 * phone number first when both are auto-verified [DG]. Undefined when the pool verifies nothing.
 */
export function verificationDelivery(pool: PoolRecord, user: UserRecord): Delivery | undefined {
  const auto = pool.config.AutoVerifiedAttributes ?? [];
  if (auto.includes("phone_number") && user.attributes.phone_number) return smsDelivery(user);
  if (auto.includes("email") && user.attributes.email) return emailDelivery(user);
  return undefined;
}

const isVerified = (user: UserRecord, attribute: Delivery["attribute"]) =>
  user.attributes[`${attribute}_verified`] === "true";

/**
 * Where a password-reset code goes: the first verified attribute in the pool's
 * AccountRecoverySetting order (default: phone number, then email) [DG]. `admin_only` sends nothing.
 */
export function recoveryDelivery(pool: PoolRecord, user: UserRecord): Delivery | undefined {
  const mechanisms = [...(pool.config.AccountRecoverySetting?.RecoveryMechanisms ?? [])].sort(
    (a, b) => a.Priority - b.Priority,
  );
  const order = mechanisms.length
    ? mechanisms.map((m) => m.Name)
    : (["verified_phone_number", "verified_email"] as const);
  for (const mechanism of order) {
    if (mechanism === "verified_phone_number" && isVerified(user, "phone_number")) return smsDelivery(user);
    if (mechanism === "verified_email" && isVerified(user, "email")) return emailDelivery(user);
  }
  return undefined;
}

/** Cognito's invitation texts when the pool sets none [OBS]. */
const DEFAULT_INVITATION = {
  EmailSubject: "Your temporary password",
  EmailMessage: "Your username is {username} and temporary password is {####}. ",
  SMSMessage: "Your username is {username} and temporary password is {####}. ",
} as const;

/**
 * Where an AdminCreateUser invitation goes: the DesiredDeliveryMediums the user has a destination
 * for; without any, SMS when the user has a phone number, else email [API: default SMS].
 */
export function invitationDeliveries(
  user: UserRecord,
  mediums: DeliveryMediumType[] | undefined,
): Delivery[] {
  const requested = mediums?.length ? mediums : [user.attributes.phone_number ? "SMS" : "EMAIL"];
  return [...new Set(requested)]
    .map((medium) => (medium === "SMS" ? smsDelivery(user) : emailDelivery(user)))
    .filter((delivery): delivery is Delivery => delivery !== undefined);
}

/** Sends the invitation with the username and the temporary password through `services.messages`. */
export async function sendInvitation(
  services: Pick<Services, "messages"> & TriggerServices,
  pool: PoolRecord,
  user: UserRecord,
  temporaryPassword: string,
  deliveries: Delivery[],
  now: Date,
  trigger?: MessageTrigger,
): Promise<void> {
  const template = { ...DEFAULT_INVITATION, ...pool.config.AdminCreateUserConfig?.InviteMessageTemplate };
  const values = { code: temporaryPassword, username: user.username };
  for (const delivery of deliveries) {
    const email = delivery.channel === "EMAIL";
    const text = await customizedText(services, {
      pool,
      user,
      purpose: "invitation",
      channel: delivery.channel,
      text: email
        ? { message: template.EmailMessage, subject: template.EmailSubject }
        : { message: template.SMSMessage },
      trigger,
    });
    await services.messages.send(
      {
        poolId: pool.id,
        username: user.username,
        channel: delivery.channel,
        destination: delivery.destination,
        purpose: "invitation",
        subject: email && text.subject !== undefined ? fillTemplate(text.subject, values) : undefined,
        message: fillTemplate(text.message, values),
      },
      now,
    );
  }
}

/** The pool's verification message for the channel (with Cognito's defaults). */
export function verificationTemplate(pool: PoolRecord, channel: DeliveryMediumType): MessageTemplate {
  const template = verificationMessageTemplate(pool);
  return channel === "SMS"
    ? { message: template.SmsMessage }
    : { message: template.EmailMessage, subject: template.EmailSubject };
}

/** What sending a code needs: the store, the sender, and the CustomMessage trigger. */
type CodeServices = Pick<Services, "store" | "messages"> & TriggerServices;

/**
 * Creates a code for the user and purpose (replacing any earlier one), keeps its hash, and sends it
 * through `services.messages`. Returns the CodeDeliveryDetails Cognito answers with.
 */
export async function issueCode(
  services: CodeServices,
  pool: PoolRecord,
  user: UserRecord,
  purpose: CodePurpose,
  options: IssueCodeOptions,
): Promise<CodeDeliveryDetailsType> {
  const { delivery, now, ttlSeconds } = options;
  const template = await customizedText(services, {
    pool,
    user,
    purpose,
    channel: delivery.channel,
    text: options.template,
    trigger: options.trigger,
    sendsLink: options.link !== undefined,
  });
  const code = messageCode(services.config, pool.id, CODE_DIGITS);
  await services.store.codes.put({
    poolId: pool.id,
    usernameKey: user.usernameKey,
    purpose,
    codeHash: await hashCode(services.store, pool, user, purpose, code),
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    attempts: 0,
    createdAt: now,
  });
  const values = { code, username: user.username, link: options.link?.(code) };
  await services.messages.send(
    {
      poolId: pool.id,
      username: user.username,
      channel: delivery.channel,
      destination: delivery.destination,
      purpose,
      subject: template.subject === undefined ? undefined : fillTemplate(template.subject, values),
      message: fillTemplate(template.message, values),
    },
    now,
  );
  return deliveryDetails(delivery);
}

/** Wrong guesses a code survives; then it is void and a new one must be requested (10⁶ codes, 10 tries). */
export const MAX_CODE_ATTEMPTS = 10;

/**
 * Checks a code: none live, expired, or voided by too many wrong guesses → `ExpiredCodeException`;
 * wrong → `CodeMismatchException` (the attempt is counted). A right code is used up, once: of two
 * concurrent requests with it only one succeeds.
 */
export async function verifyCode(
  store: Store,
  pool: PoolRecord,
  user: UserRecord,
  purpose: CodePurpose,
  code: string,
  now: Date,
): Promise<void> {
  const stored = await store.codes.get(pool.id, user.usernameKey, purpose);
  if (!stored || stored.expiresAt.getTime() <= now.getTime()) throw Errors.codeExpired();
  if (!sameText(stored.codeHash, await hashCode(store, pool, user, purpose, code), "hex")) {
    const attempts = await store.codes.recordAttempt(pool.id, user.usernameKey, purpose);
    if (attempts !== undefined && attempts >= MAX_CODE_ATTEMPTS) {
      await store.codes.delete(pool.id, user.usernameKey, purpose);
    }
    throw Errors.codeMismatch();
  }
  if (!(await store.codes.delete(pool.id, user.usernameKey, purpose))) throw Errors.codeExpired();
}

// ---------------------------------------------------------------------------------------------
// The three codes, each sent with the pool's verification message and its own validity.

async function sendCode(
  services: CodeServices,
  pool: PoolRecord,
  user: UserRecord,
  purpose: CodePurpose,
  delivery: Delivery,
  options: { now: Date; ttlSeconds: number; trigger?: MessageTrigger },
): Promise<CodeDeliveryDetailsType> {
  const template = verificationTemplate(pool, delivery.channel);
  return issueCode(services, pool, user, purpose, { delivery, template, ...options });
}

/**
 * The sign-up confirmation code (24 h), when the pool auto-verifies an attribute the user has. By
 * e-mail in a pool that confirms with a link, the code goes as a link to the pool's domain.
 */
export async function sendSignUpCode(
  services: CodeServices & Pick<Services, "baseUrl">,
  pool: PoolRecord,
  user: UserRecord,
  now: Date,
  trigger?: MessageTrigger,
) {
  const delivery = verificationDelivery(pool, user);
  if (!delivery) return undefined;
  const ttlSeconds = CODE_TTL_SECONDS.signup;
  const link =
    delivery.channel === "EMAIL"
      ? await signUpConfirmationLink(services, pool, user, trigger?.clientId)
      : undefined;
  if (!link) return sendCode(services, pool, user, "signup", delivery, { now, ttlSeconds, trigger });
  const template = linkTemplate(pool);
  return issueCode(services, pool, user, "signup", { delivery, template, now, ttlSeconds, trigger, link });
}

/** A code that verifies the user's email or phone number (24 h); undefined when the user has none. */
export async function sendAttributeCode(
  services: CodeServices,
  pool: PoolRecord,
  user: UserRecord,
  attribute: Delivery["attribute"],
  now: Date,
  trigger?: MessageTrigger,
) {
  const delivery = attribute === "email" ? emailDelivery(user) : smsDelivery(user);
  if (!delivery) return undefined;
  const ttlSeconds = CODE_TTL_SECONDS.verify;
  return sendCode(services, pool, user, `verify:${attribute}`, delivery, { now, ttlSeconds, trigger });
}

/** The password-reset code ConfirmForgotPassword takes (1 h), to where `recoveryDelivery` chose. */
export async function sendRecoveryCode(
  services: CodeServices,
  pool: PoolRecord,
  user: UserRecord,
  delivery: Delivery,
  now: Date,
  trigger?: MessageTrigger,
) {
  const ttlSeconds = CODE_TTL_SECONDS["forgot-password"];
  return sendCode(services, pool, user, "forgot-password", delivery, { now, ttlSeconds, trigger });
}
