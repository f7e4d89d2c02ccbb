/**
 * CustomMessage (DG custom message): the function may replace the text of a message carrying a
 * code; Cognito then puts the code (and, in invitations, the username) into it. A replacement that
 * drops the code placeholder is not used: the default message is sent [OBS]. In a sign-up e-mail
 * sent as a link, a link placeholder (`linkParameter`) may stand for the code instead [UNDOC].
 */
import { z } from "zod";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { callTrigger, type TriggerServices, triggerArn } from "./call.js";
import {
  CODE_PARAMETER,
  type CustomMessageSource,
  customMessageEvent,
  eventUserAttributes,
  LINK_PLACEHOLDER,
  type StringMap,
  USERNAME_PARAMETER,
} from "./events.js";

const customMessageResponse = z.object({
  smsMessage: z.string().nullish(),
  emailMessage: z.string().nullish(),
  emailSubject: z.string().nullish(),
});

/** Cognito's limits on a custom message's length [DG custom message]. */
const MAX_EMAIL_MESSAGE = 20_000;
const MAX_SMS_MESSAGE = 140;
const MAX_EMAIL_SUBJECT = 140;

export interface CustomMessageInput {
  pool: PoolRecord;
  clientId?: string;
  source: CustomMessageSource;
  user: UserRecord;
  clientMetadata?: StringMap;
  /** The e-mail carries a confirmation link (CONFIRM_WITH_LINK). */
  sendsLink?: boolean;
}

/** The texts the function chose; undefined members keep the pool's own template. */
export interface CustomMessageTexts {
  smsMessage?: string;
  emailMessage?: string;
  emailSubject?: string;
}

/** Whether the text keeps the code: its placeholder, or in a link e-mail a link placeholder. */
function carriesCode(text: string, sendsLink: boolean): boolean {
  return text.includes(CODE_PARAMETER) || (sendsLink && text.search(LINK_PLACEHOLDER) >= 0);
}

/** A message must still carry the code (and an invitation the username) to be used. */
function usable(
  text: string | null | undefined,
  max: number,
  source: CustomMessageSource,
  sendsLink = false,
): string | undefined {
  if (!text || text.length > max || !carriesCode(text, sendsLink)) return undefined;
  if (source === "CustomMessage_AdminCreateUser" && !text.includes(USERNAME_PARAMETER)) return undefined;
  return text;
}

export async function runCustomMessage(
  services: TriggerServices,
  input: CustomMessageInput,
): Promise<CustomMessageTexts | undefined> {
  const arn = triggerArn(input.pool, "CustomMessage");
  if (!arn) return undefined;
  const event = customMessageEvent({ ...input, userName: input.user.username }, input.source, {
    userAttributes: eventUserAttributes(input.pool, input.user),
    clientMetadata: input.clientMetadata ?? {},
  });
  const response = await callTrigger(services, "CustomMessage", arn, event, customMessageResponse);
  const subject = response.emailSubject;
  return {
    smsMessage: usable(response.smsMessage, MAX_SMS_MESSAGE, input.source),
    emailMessage: usable(response.emailMessage, MAX_EMAIL_MESSAGE, input.source, input.sendsLink),
    emailSubject: subject && subject.length <= MAX_EMAIL_SUBJECT ? subject : undefined,
  };
}
