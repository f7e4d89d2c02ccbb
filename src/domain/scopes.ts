/**
 * OAuth scopes (OAUTH.md §2.1, §2.6, §5): the standard ones, what each releases of the user's
 * attributes, and the rules an authorization request's scopes must follow.
 */

/** The only scope of tokens from API sign-in; token-authorized operations require it. */
export const SIGNIN_SCOPE = "aws.cognito.signin.user.admin";
/** The OpenID Connect scope: an ID token, and the userInfo endpoint. */
export const OPENID_SCOPE = "openid";

/** Scopes Cognito defines itself; every other scope is `<resource server>/<scope>`. */
export const STANDARD_SCOPES: ReadonlySet<string> = new Set([
  OPENID_SCOPE,
  "email",
  "phone",
  "profile",
  SIGNIN_SCOPE,
]);

/** Scopes that release attributes, and need `openid` beside them [OBS]. */
const ATTRIBUTE_SCOPES = ["email", "phone", "profile"] as const;

const SCOPE_OF_ATTRIBUTE: Readonly<Record<string, (typeof ATTRIBUTE_SCOPES)[number]>> = {
  email: "email",
  email_verified: "email",
  phone_number: "phone",
  phone_number_verified: "phone",
};

export function isStandardScope(scope: string): boolean {
  return STANDARD_SCOPES.has(scope);
}

/** Whether the scopes ask for attributes without `openid`, which Cognito refuses [OBS]. */
export function lacksOpenId(scopes: readonly string[]): boolean {
  return (
    !scopes.includes(OPENID_SCOPE) && scopes.some((s) => (ATTRIBUTE_SCOPES as readonly string[]).includes(s))
  );
}

/**
 * The readable attributes the scopes release, for the ID token and userInfo: `openid` without an
 * attribute scope releases everything readable; otherwise `email` the e-mail pair, `phone` the
 * phone pair, `profile` every other attribute [DG; the exact split UNDOC]. Without scopes (API
 * sign-in) everything readable.
 */
export function scopedAttributes(readable: readonly string[], scopes?: readonly string[]): string[] {
  if (!scopes) return [...readable];
  const granted = ATTRIBUTE_SCOPES.filter((s) => scopes.includes(s));
  if (granted.length === 0) return [...readable];
  return readable.filter((name) => granted.includes(SCOPE_OF_ATTRIBUTE[name] ?? "profile"));
}

/** What the client must be able to read for each scope that releases a pair of attributes [DG]. */
const ATTRIBUTES_A_SCOPE_NEEDS: Readonly<Record<string, readonly string[]>> = {
  email: ["email", "email_verified"],
  phone: ["phone_number", "phone_number_verified"],
};

/**
 * Whether the client can read every attribute its granted scopes imply: the token endpoint refuses
 * a grant of `email` to a client that reads `email` but not `email_verified` [DG]. Which attributes
 * `profile` implies is not documented; it demands none [UNDOC].
 */
export function scopesReadable(readable: readonly string[], scopes: readonly string[]): boolean {
  return scopes.every((scope) =>
    (ATTRIBUTES_A_SCOPE_NEEDS[scope] ?? []).every((name) => readable.includes(name)),
  );
}

/** A space-separated scope parameter as a list: empty entries dropped, each scope once. */
export function parseScopes(value: string): string[] {
  return [...new Set(value.split(" ").filter(Boolean))];
}
