/**
 * `/signup` (OAUTH.md §2.2): SignUp on a page. The rules are SignUp's own (src/auth/sign-up.ts):
 * the username (or email / phone number as username), the policy, the pool's required attributes
 * as the app client may write them, PreSignUp and the code's CustomMessage. Then the code's page,
 * `/confirm` (or `/confirmLinkSent` when the code went by e-mail as a link); a user PreSignUp
 * confirmed signs in at once with the password just chosen.
 */
import { signUp } from "../auth/sign-up.js";
import { publicRequestContext } from "../domain/client-context.js";
import { Errors } from "../domain/errors.js";
import { requiredAttributes } from "../domain/pools.js";
import { signUpClosedContent, signUpContent } from "../pages/sign-up.js";
import type { AttributeType } from "../protocol/types.generated.js";
import { validateInput } from "../protocol/validate.js";
import type { PoolRecord } from "../store/records.js";
import { accountLink, codeSentTo, confirmationPageLink } from "./account-links.js";
import {
  accountEndpoint,
  formValue,
  passwordRulesOf,
  selfServiceClient,
  usernameFieldOf,
} from "./account-page.js";
import type { AuthorizeRequest } from "./authorize-request.js";
import { pageCsrf } from "./csrf.js";
import { type EndpointRequest, type EndpointResponse, redirect } from "./endpoint.js";
import { runEngine, signInWithPassword, signUpAllowed } from "./login.js";
import { noticeCookie } from "./notice.js";
import { termsLineFor } from "./terms-line.js";
import { pageResponse } from "./views.js";

const ATTRIBUTE_PREFIX = "requiredAttributes[";

/**
 * The attributes the form asks for: the pool's required ones, but `sub` and the one the username
 * stands for in a pool that signs in with email or phone number alone.
 */
function formAttributes(pool: PoolRecord): string[] {
  const usernameAttributes = pool.config.UsernameAttributes ?? [];
  const asUsername = usernameAttributes.length === 1 ? usernameAttributes[0] : undefined;
  return requiredAttributes(pool).filter((name) => name !== "sub" && name !== asUsername);
}

/** `requiredAttributes[<name>]` fields → UserAttributes, empty ones left out. */
function postedAttributes(request: EndpointRequest): AttributeType[] {
  const posted = request.form?.withPrefix(ATTRIBUTE_PREFIX) ?? {};
  return Object.entries(posted)
    .filter(([rest]) => rest.endsWith("]"))
    .map(([rest, value]) => ({ Name: rest.slice(0, -1), Value: value.trim() }))
    .filter((attribute) => attribute.Value !== "");
}

async function signUpPage(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
  options: { error?: string } = {},
): Promise<EndpointResponse> {
  const { pool } = request.site;
  const { token, cookies } = pageCsrf(request);
  const signInUrl = accountLink(request, "/login");
  const typed = request.form?.withPrefix(ATTRIBUTE_PREFIX) ?? {};
  const content = signUpAllowed(request)
    ? signUpContent({
        action: accountLink(request, "/signup"),
        csrf: token,
        error: options.error,
        username: usernameFieldOf(pool),
        typedUsername: request.form?.get("username"),
        attributes: formAttributes(pool).map((name) => ({ name, value: typed[`${name}]`] })),
        passwordRules: passwordRulesOf(pool),
        signInUrl,
        // Terms are linked on managed login's sign-up page only [API].
        terms:
          request.site.domain.managedLoginVersion === 2
            ? await termsLineFor(request.services.store, authorize.client, request.query.get("lang"))
            : undefined,
      })
    : signUpClosedContent(Errors.signUpNotPermitted().message, signInUrl);
  return pageResponse(
    request,
    authorize.client,
    {
      title: "Sign up",
      description: signUpAllowed(request) ? `Create an account for ${authorize.client.name}.` : undefined,
      content,
    },
    { cookies },
  );
}

async function submitSignUp(
  request: EndpointRequest,
  authorize: AuthorizeRequest,
): Promise<EndpointResponse> {
  const username = formValue(request, "username");
  const password = request.form?.get("password") ?? "";
  const attributes = postedAttributes(request);
  return runEngine(
    authorize,
    async () => {
      // The model's constraints on SignUp's members (lengths, patterns), in Cognito's words.
      validateInput("SignUpRequest", {
        ClientId: authorize.client.id,
        Username: username,
        Password: password,
        UserAttributes: attributes,
      });
      const { user, delivery } = await signUp(request.services, {
        ...selfServiceClient(request, authorize),
        username,
        password,
        attributes,
        context: publicRequestContext(request, authorize.client),
      });
      if (user.status === "CONFIRMED") return signInWithPassword(request, authorize);
      if (!delivery) {
        // The pool sends no code: the user waits for an administrator.
        return redirect(accountLink(request, "/login"), [noticeCookie(request.site, "signedUpUnconfirmed")]);
      }
      return redirect(confirmationPageLink(request, codeSentTo(username, delivery)));
    },
    (error) => signUpPage(request, authorize, { error: error.message }),
  );
}

export const signUpGet = accountEndpoint(async (request, authorize) => signUpPage(request, authorize));
export const signUpPost = accountEndpoint(submitSignUp);
