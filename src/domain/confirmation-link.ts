/**
 * Sign-up confirmation by link (`DefaultEmailOption` CONFIRM_WITH_LINK, DG "Customizing email
 * verification messages"): the e-mail is EmailSubjectByLink / EmailMessageByLink, and each
 * `{##text##}` in it becomes a link titled `text` to the pool domain's
 * `/confirmUser?client_id=&user_name=&confirmation_code=`, which confirms the user.
 */
import type { Services } from "../services.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { LINK_PLACEHOLDER } from "../triggers/events.js";
import { preferredDomain, publicUrlOf } from "./domains.js";
import { verificationMessageTemplate } from "./pools.js";

/** The link's address for a code. */
export type ConfirmationLink = (code: string) => string;

/** Whether the pool confirms sign-ups by e-mail with a link rather than a code to type. */
export function confirmsWithLink(pool: PoolRecord): boolean {
  return verificationMessageTemplate(pool).DefaultEmailOption === "CONFIRM_WITH_LINK";
}

/**
 * The confirmation link of a sign-up e-mail, when the pool sends links. Undefined without an app
 * client, and when the pool has no domain: nothing could serve the link, so the code message goes
 * instead and the user can still confirm with the code (Cognito refuses the request) [UNDOC].
 */
export async function signUpConfirmationLink(
  services: Pick<Services, "store" | "config" | "baseUrl">,
  pool: PoolRecord,
  user: UserRecord,
  clientId: string | undefined,
): Promise<ConfirmationLink | undefined> {
  if (!confirmsWithLink(pool) || !clientId) return undefined;
  const domain = preferredDomain(await services.store.domains.listForPool(pool.id));
  if (!domain) return undefined;
  const page = `${publicUrlOf(services, domain)}/confirmUser`;
  return (code) =>
    `${page}?${new URLSearchParams({ client_id: clientId, user_name: user.username, confirmation_code: code })}`;
}

/** The pool's link e-mail (with Cognito's defaults). */
export function linkTemplate(pool: PoolRecord): { message: string; subject: string } {
  const template = verificationMessageTemplate(pool);
  return { message: template.EmailMessageByLink, subject: template.EmailSubjectByLink };
}

/** Each `{##text##}` → `<a href="url">text</a>`. */
export function fillLinks(text: string, url: string): string {
  return text.replace(LINK_PLACEHOLDER, (_placeholder, title: string) => `<a href="${url}">${title}</a>`);
}
