/**
 * What the account pages (sign-up, confirmation, password reset) share: the authorization request
 * re-checked as on `/login`, a POST's CSRF token, the self-service rules' view of the request, and
 * how the pool's settings read on a page.
 */
import type { SelfServiceClient } from "../auth/sign-up.js";
import { passwordPolicy } from "../domain/pools.js";
import type { PasswordRules } from "../pages/form-parts.js";
import type { UsernameField } from "../pages/sign-up.js";
import type { PoolRecord } from "../store/records.js";
import { authorizeFailure } from "./authorize.js";
import { type AuthorizeRequest, checkAuthorizeRequest } from "./authorize-request.js";
import { csrfValid } from "./csrf.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "./endpoint.js";
import { errorPageLocation } from "./redirects.js";
import type { EndpointHandler } from "./routes.js";

export type AccountHandler = (
  request: EndpointRequest,
  authorize: AuthorizeRequest,
) => Promise<EndpointResponse>;

/** A page that runs only for a valid authorization request, and (a POST) with the CSRF token its form carried. */
export function accountEndpoint(handler: AccountHandler): EndpointHandler {
  return async (request) => {
    const check = await checkAuthorizeRequest(request.services, request.site, request.query);
    if (check.kind !== "ok") return authorizeFailure(request, check);
    if (request.method === "POST" && !csrfValid(request)) {
      return redirect(errorPageLocation(request.site, { error: "csrf", client_id: check.request.client.id }));
    }
    return handler(request, check.request);
  };
}

/** The app client and pool a page's self-service request goes through. */
export function selfServiceClient(request: EndpointRequest, authorize: AuthorizeRequest): SelfServiceClient {
  return { pool: request.site.pool, client: authorize.client, now: request.now };
}

/** A form field's value, trimmed where a person would not mean the spaces (names, codes). */
export function formValue(request: EndpointRequest, name: string): string {
  return request.form?.get(name)?.trim() ?? "";
}

export function passwordRulesOf(pool: PoolRecord): PasswordRules {
  const policy = passwordPolicy(pool);
  return {
    minimumLength: policy.MinimumLength,
    lowercase: policy.RequireLowercase,
    uppercase: policy.RequireUppercase,
    numbers: policy.RequireNumbers,
    symbols: policy.RequireSymbols,
  };
}

/** What the username field asks for: in email / phone-as-username pools, one of those. */
export function usernameFieldOf(pool: PoolRecord): UsernameField {
  const attributes = pool.config.UsernameAttributes ?? [];
  const email = attributes.includes("email");
  const phone = attributes.includes("phone_number");
  if (email && phone) return { label: "Email or phone number", type: "text" };
  if (email) return { label: "Email", type: "email" };
  if (phone) return { label: "Phone number", type: "tel" };
  return { label: "Username", type: "text" };
}
