/**
 * What a PreTokenGeneration function may change in the tokens it is about to see issued, and the
 * rules Cognito applies when changing them [DG pre token generation]: claims added or overridden,
 * claims suppressed (suppressing wins), groups replaced, access-token scopes added or suppressed.
 * Claims Cognito keeps for itself are left as they are [UNDOC: ignored rather than refused].
 */

export interface ClaimChanges {
  add: Record<string, unknown>;
  suppress: string[];
}

/** The user's groups as the tokens should show them instead of their real ones. */
export interface GroupOverride {
  groups: string[];
  roles: string[];
  preferredRole?: string;
}

export interface TokenCustomization {
  idToken: ClaimChanges;
  accessToken: ClaimChanges & { scopesToAdd: string[]; scopesToSuppress: string[] };
  /** Undefined: the user's groups, unchanged. */
  groups?: GroupOverride;
}

export type TokenUse = "id" | "access";

const GROUPS = "cognito:groups";
const PREFERRED_ROLE = "cognito:preferred_role";
const ROLES = "cognito:roles";
/** The only `cognito:` claims a function may touch. */
const CHANGEABLE_COGNITO_CLAIMS: ReadonlySet<string> = new Set([GROUPS, PREFERRED_ROLE, ROLES]);

const IMMUTABLE_CLAIMS: ReadonlySet<string> = new Set([
  "username",
  "sub",
  "identities",
  "client_id",
  "event_id",
  "device_key",
  "version",
  "acr",
  "amr",
  "at_hash",
  "auth_time",
  "azp",
  "exp",
  "iat",
  "iss",
  "jti",
  "nbf",
  "nonce",
  "origin_jti",
  "token_use",
  "scope",
]);

function isImmutable(claim: string, use: TokenUse): boolean {
  if (IMMUTABLE_CLAIMS.has(claim)) return true;
  if (claim.startsWith("cognito:")) return !CHANGEABLE_COGNITO_CLAIMS.has(claim);
  // `aud` is the client; the access token may name it (and only it), the ID token has it already.
  return claim === "aud" && use === "id";
}

/** Groups of the override, as the token of each use shows them: roles only in the ID token. */
function overrideGroupClaims(claims: Record<string, unknown>, groups: GroupOverride, use: TokenUse): void {
  delete claims[GROUPS];
  delete claims[PREFERRED_ROLE];
  delete claims[ROLES];
  if (groups.groups.length > 0) claims[GROUPS] = groups.groups;
  if (use === "access") return;
  if (groups.preferredRole) claims[PREFERRED_ROLE] = groups.preferredRole;
  if (groups.roles.length > 0) claims[ROLES] = groups.roles;
}

function addClaims(
  claims: Record<string, unknown>,
  changes: ClaimChanges,
  use: TokenUse,
  clientId: string,
): void {
  for (const [name, value] of Object.entries(changes.add)) {
    if (isImmutable(name, use) || name.startsWith("dev:")) continue;
    if (name === "aud" && value !== clientId) continue;
    claims[name] = value;
  }
}

function suppressClaims(claims: Record<string, unknown>, changes: ClaimChanges, use: TokenUse): void {
  for (const name of changes.suppress) {
    if (isImmutable(name, use)) continue;
    delete claims[name];
    // Without groups there is no role to prefer [DG].
    if (name === GROUPS) {
      delete claims[PREFERRED_ROLE];
      delete claims[ROLES];
    }
  }
}

function changeScopes(claims: Record<string, unknown>, customization: TokenCustomization): void {
  const { scopesToAdd, scopesToSuppress } = customization.accessToken;
  const scopes = new Set(
    String(claims.scope ?? "")
      .split(" ")
      .filter(Boolean),
  );
  for (const scope of scopesToAdd) scopes.add(scope);
  for (const scope of scopesToSuppress) scopes.delete(scope);
  if (scopes.size > 0) claims.scope = [...scopes].join(" ");
  else delete claims.scope;
}

/** Applies the function's changes to the claims of one token, in place. */
export function customizeClaims(
  claims: Record<string, unknown>,
  customization: TokenCustomization,
  use: TokenUse,
  clientId: string,
): void {
  const changes = use === "id" ? customization.idToken : customization.accessToken;
  if (customization.groups) overrideGroupClaims(claims, customization.groups, use);
  addClaims(claims, changes, use, clientId);
  suppressClaims(claims, changes, use);
  if (use === "access") changeScopes(claims, customization);
}
