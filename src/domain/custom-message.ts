/**
 * Every message with a code or a temporary password passes the pool's CustomMessage trigger, which
 * may rewrite its text (DG custom message). Which event it is (`triggerSource`) follows from what
 * the code is for, unless the operation says more (a resent code, a changed attribute).
 */
import type { DeliveryMediumType } from "../protocol/types.generated.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import type { TriggerServices } from "../triggers/call.js";
import type { CustomMessageSource, StringMap } from "../triggers/events.js";
import { runCustomMessage } from "../triggers/messages.js";

/** What the operation sending a message tells the trigger. */
export interface MessageTrigger {
  /** Defaults to the one of the message's purpose. */
  source?: CustomMessageSource;
  /** The app client of the operation; none for admin operations. */
  clientId?: string;
  clientMetadata?: StringMap;
}

export interface MessageText {
  message: string;
  subject?: string;
}

/** The trigger source of each kind of message, when the operation does not say otherwise. */
function sourceOf(purpose: string): CustomMessageSource {
  if (purpose === "signup") return "CustomMessage_SignUp";
  if (purpose === "forgot-password") return "CustomMessage_ForgotPassword";
  if (purpose === "invitation") return "CustomMessage_AdminCreateUser";
  return "CustomMessage_VerifyUserAttribute";
}

/**
 * The text to send on the channel: the function's, where it gave a usable one, else `text`
 * (the pool's template). Placeholders are still in it; the caller fills them.
 */
export async function customizedText(
  services: TriggerServices,
  args: {
    pool: PoolRecord;
    user: UserRecord;
    purpose: string;
    channel: DeliveryMediumType;
    text: MessageText;
    trigger?: MessageTrigger;
    /** The e-mail carries a confirmation link: a link placeholder may stand for the code. */
    sendsLink?: boolean;
  },
): Promise<MessageText> {
  const { pool, user, channel, text, trigger } = args;
  const custom = await runCustomMessage(services, {
    pool,
    user,
    source: trigger?.source ?? sourceOf(args.purpose),
    clientId: trigger?.clientId,
    clientMetadata: trigger?.clientMetadata,
    sendsLink: args.sendsLink,
  });
  if (!custom) return text;
  if (channel === "SMS") return { message: custom.smsMessage ?? text.message };
  return { message: custom.emailMessage ?? text.message, subject: custom.emailSubject ?? text.subject };
}
