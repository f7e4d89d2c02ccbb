/**
 * Links between the account pages (OAUTH.md §2.2): each carries the authorization request's query
 * on as received; the pages that take a code add who it was sent to (`username`, `destination`,
 * `deliveryMedium`, the fields `/confirm` posts [OBS]) after it [UNDOC].
 */
import { confirmsWithLink } from "../domain/confirmation-link.js";
import type { CodeDeliveryDetailsType } from "../protocol/types.generated.js";
import type { EndpointRequest, Params } from "./endpoint.js";
import { sitePath } from "./site.js";

/** Who a code was sent for, and where it went (masked, as CodeDeliveryDetails gives it). */
export interface CodeSent {
  username: string;
  destination?: string;
  deliveryMedium?: string;
}

const CODE_SENT_PARAMETERS: ReadonlySet<string> = new Set(["username", "destination", "deliveryMedium"]);

export function codeSentTo(username: string, details: CodeDeliveryDetailsType | undefined): CodeSent {
  return { username, destination: details?.Destination, deliveryMedium: details?.DeliveryMedium };
}

/** What a page's query (after a redirect) or form (after a POST) says of the code sent. */
export function codeSentOf(params: Params | undefined): CodeSent {
  return {
    username: params?.get("username")?.trim() ?? "",
    destination: params?.get("destination") || undefined,
    deliveryMedium: params?.get("deliveryMedium") || undefined,
  };
}

function parameterName(pair: string): string {
  const name = pair.slice(0, pair.includes("=") ? pair.indexOf("=") : pair.length).replace(/\+/g, " ");
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The authorization request's query, as received, without what the account pages added to it. */
export function authorizeQueryOf(request: EndpointRequest): string {
  return request.rawQuery
    .split("&")
    .filter((pair) => pair !== "" && !CODE_SENT_PARAMETERS.has(parameterName(pair)))
    .join("&");
}

/** A link to a page of this domain that carries the authorization request on (and the code sent, if given). */
export function accountLink(request: EndpointRequest, endpoint: string, codeSent?: CodeSent): string {
  const added = new URLSearchParams();
  for (const [name, value] of Object.entries(codeSent ?? {})) if (value) added.set(name, value);
  const query = [authorizeQueryOf(request), added.toString()].filter(Boolean).join("&");
  return `${sitePath(request.site, endpoint)}?${query}`;
}

/** The page that says a confirmation link was sent (no code to type) [UNDOC: Cognito documents none]. */
export const LINK_SENT_PATH = "/confirmLinkSent";

/**
 * Whether a sign-up code went as a link: an e-mail in a link pool. The pages are served on the
 * pool's domain, so the link had a domain to point to (src/domain/confirmation-link.ts); SMS
 * always carries a code.
 */
export function sentAsLink(request: EndpointRequest, sent: CodeSent): boolean {
  return sent.deliveryMedium === "EMAIL" && confirmsWithLink(request.site.pool);
}

/** Where a sign-up confirmation sent goes on: the link's page, or `/confirm` that takes the code. */
export function confirmationPageLink(request: EndpointRequest, sent: CodeSent): string {
  return accountLink(request, sentAsLink(request, sent) ? LINK_SENT_PATH : "/confirm", sent);
}
