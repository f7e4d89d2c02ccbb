/**
 * App clients: the stored configuration (as DescribeUserPoolClient shows it), the rules
 * Create/UpdateUserPoolClient apply, and the accessors sign-in and the OAuth endpoints read (auth
 * flows, token lifetimes, user-existence errors, revocation, attribute permissions, OAuth settings).
 */
import type {
  AuthFlowType,
  CreateUserPoolClientRequest,
  ExplicitAuthFlowsType,
  OAuthFlowType,
  PreventUserExistenceErrorTypes,
  TimeUnitsType,
  TokenValidityUnitsType,
  UpdateUserPoolClientRequest,
  UserPoolClientType,
} from "../protocol/types.generated.js";
import type { ClientConfig, ClientRecord, PoolRecord } from "../store/records.js";
import { activeSecrets, isConfidential, newSecretRecord } from "./client-secrets.js";
import { Errors } from "./errors.js";
import { type ClientProviders, notSamlProvider } from "./identity-providers.js";
import { schemaAttributes } from "./pools.js";

export type TokenKind = keyof TokenValidityUnitsType;

/** Flows a client allows when created without ExplicitAuthFlows [MODEL]. */
export const DEFAULT_EXPLICIT_AUTH_FLOWS: readonly ExplicitAuthFlowsType[] = [
  "ALLOW_REFRESH_TOKEN_AUTH",
  "ALLOW_USER_SRP_AUTH",
  "ALLOW_CUSTOM_AUTH",
];

const LEGACY_AUTH_FLOWS: ReadonlySet<ExplicitAuthFlowsType> = new Set([
  "ADMIN_NO_SRP_AUTH",
  "CUSTOM_AUTH_FLOW_ONLY",
  "USER_PASSWORD_AUTH",
]);

const SECONDS: Record<TimeUnitsType, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86400 };

/** Default unit, default value (in that unit) and allowed duration of each token [DG quotas][MODEL]. */
const TOKEN_VALIDITY: Record<TokenKind, { unit: TimeUnitsType; value: number; min: number; max: number }> = {
  AccessToken: { unit: "hours", value: 1, min: 5 * 60, max: 86400 },
  IdToken: { unit: "hours", value: 1, min: 5 * 60, max: 86400 },
  RefreshToken: { unit: "days", value: 30, min: 3600, max: 3650 * 86400 },
};

const VALIDITY_MEMBER = {
  AccessToken: "AccessTokenValidity",
  IdToken: "IdTokenValidity",
  RefreshToken: "RefreshTokenValidity",
} as const satisfies Record<TokenKind, keyof ClientConfig>;

const DEFAULT_AUTH_SESSION_MINUTES = 3;

/** Verification flags a client may write only when it lists them in WriteAttributes. */
const VERIFIED_FLAGS = new Set(["email_verified", "phone_number_verified"]);

// ---------------------------------------------------------------------------------------------
// Accessors.

function explicitAuthFlows(client: ClientRecord): readonly ExplicitAuthFlowsType[] {
  const flows = client.config.ExplicitAuthFlows;
  return flows?.length ? flows : DEFAULT_EXPLICIT_AUTH_FLOWS;
}

function isLegacyList(flows: readonly ExplicitAuthFlowsType[]): boolean {
  return flows.some((f) => LEGACY_AUTH_FLOWS.has(f));
}

/** Whether a legacy-values list (ADMIN_NO_SRP_AUTH, …) admits a flow [ADMIN_INITIATE_AUTH §6, UNDOC]. */
function legacyListAllows(flows: readonly ExplicitAuthFlowsType[], authFlow: AuthFlowType): boolean {
  switch (authFlow) {
    case "ADMIN_USER_PASSWORD_AUTH":
    case "ADMIN_NO_SRP_AUTH":
      return flows.includes("ADMIN_NO_SRP_AUTH");
    case "USER_PASSWORD_AUTH":
      return flows.includes("USER_PASSWORD_AUTH");
    case "USER_SRP_AUTH":
      return !flows.includes("CUSTOM_AUTH_FLOW_ONLY");
    case "CUSTOM_AUTH":
    case "REFRESH_TOKEN_AUTH":
    case "REFRESH_TOKEN":
      return true;
    default:
      return false;
  }
}

const ALLOW_VALUE: Record<AuthFlowType, ExplicitAuthFlowsType> = {
  ADMIN_USER_PASSWORD_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  ADMIN_NO_SRP_AUTH: "ALLOW_ADMIN_USER_PASSWORD_AUTH",
  USER_PASSWORD_AUTH: "ALLOW_USER_PASSWORD_AUTH",
  USER_SRP_AUTH: "ALLOW_USER_SRP_AUTH",
  CUSTOM_AUTH: "ALLOW_CUSTOM_AUTH",
  REFRESH_TOKEN_AUTH: "ALLOW_REFRESH_TOKEN_AUTH",
  REFRESH_TOKEN: "ALLOW_REFRESH_TOKEN_AUTH",
  USER_AUTH: "ALLOW_USER_AUTH",
};

/** Whether the client's ExplicitAuthFlows (or the default set) admit an AuthFlow. */
export function authFlowAllowed(client: ClientRecord, authFlow: AuthFlowType): boolean {
  const flows = explicitAuthFlows(client);
  if (isLegacyList(flows)) return legacyListAllows(flows, authFlow);
  return flows.includes(ALLOW_VALUE[authFlow]);
}

/** The unit a token's validity is counted in (the given unit, else Cognito's default for that token). */
export function tokenValidityUnit(config: ClientConfig, token: TokenKind): TimeUnitsType {
  return config.TokenValidityUnits?.[token] ?? TOKEN_VALIDITY[token].unit;
}

function validitySeconds(config: ClientConfig, token: TokenKind): number {
  const value = config[VALIDITY_MEMBER[token]];
  if (!value) return TOKEN_VALIDITY[token].value * SECONDS[TOKEN_VALIDITY[token].unit];
  return value * SECONDS[tokenValidityUnit(config, token)];
}

/** A token's lifetime in seconds: value × unit, defaults 1 h (access, ID) and 30 days (refresh). */
export function tokenValiditySeconds(client: ClientRecord, token: TokenKind): number {
  return validitySeconds(client.config, token);
}

/** How long a sign-in session (challenge Session, MFA codes) stays valid, in seconds. */
export function authSessionValiditySeconds(client: ClientRecord): number {
  return (client.config.AuthSessionValidity ?? DEFAULT_AUTH_SESSION_MINUTES) * 60;
}

/** LEGACY (the API default) reveals unknown users; ENABLED hides them. */
export function preventUserExistenceErrors(client: ClientRecord): PreventUserExistenceErrorTypes {
  return client.config.PreventUserExistenceErrors ?? "LEGACY";
}

export function tokenRevocationEnabled(client: ClientRecord): boolean {
  return client.config.EnableTokenRevocation !== false;
}

export function refreshTokenRotation(client: ClientRecord): {
  enabled: boolean;
  retryGracePeriodSeconds: number;
} {
  const rotation = client.config.RefreshTokenRotation;
  return {
    enabled: rotation?.Feature === "ENABLED",
    retryGracePeriodSeconds: rotation?.RetryGracePeriodSeconds ?? 0,
  };
}

/** Attributes a client can never read or write: developer-only ones. */
function clientVisible(name: string): boolean {
  return !name.startsWith("dev:");
}

/** Attributes the client may read: its ReadAttributes, else every attribute of the pool. */
export function readableAttributes(pool: PoolRecord, client: ClientRecord): string[] {
  if (client.config.ReadAttributes?.length) return [...client.config.ReadAttributes];
  return schemaAttributes(pool)
    .map((a) => a.Name as string)
    .filter(clientVisible);
}

/**
 * Attributes the client may write: its WriteAttributes, else every attribute but `sub` and the
 * verification flags. Immutable attributes are included — a client sets them at sign-up; whether
 * a value may change later is the schema's `Mutable`, checked by the update operations.
 */
export function writableAttributes(pool: PoolRecord, client: ClientRecord): string[] {
  if (client.config.WriteAttributes?.length) return [...client.config.WriteAttributes];
  return schemaAttributes(pool)
    .map((a) => a.Name as string)
    .filter((name) => clientVisible(name) && name !== "sub" && !VERIFIED_FLAGS.has(name));
}

// ---------------------------------------------------------------------------------------------
// OAuth settings (OAUTH.md §4), as the OAuth endpoints read them. A client made without them has
// none: the lists are empty and the master switch is off. Scopes are returned as stored; a custom
// scope whose resource server no longer defines it is inactive (see domain/resource-servers).

/** AllowedOAuthFlowsUserPoolClient: the master switch of the OAuth endpoints for this client. */
export function oauthEnabled(client: ClientRecord): boolean {
  return client.config.AllowedOAuthFlowsUserPoolClient === true;
}

export function allowedOAuthFlows(client: ClientRecord): readonly OAuthFlowType[] {
  return client.config.AllowedOAuthFlows ?? [];
}

export function allowedOAuthScopes(client: ClientRecord): readonly string[] {
  return client.config.AllowedOAuthScopes ?? [];
}

export function callbackUrls(client: ClientRecord): readonly string[] {
  return client.config.CallbackURLs ?? [];
}

export function logoutUrls(client: ClientRecord): readonly string[] {
  return client.config.LogoutURLs ?? [];
}

export function supportedIdentityProviders(client: ClientRecord): readonly string[] {
  return client.config.SupportedIdentityProviders ?? [];
}

// ---------------------------------------------------------------------------------------------
// Rules of CreateUserPoolClient / UpdateUserPoolClient.

type ClientSettings = Omit<
  CreateUserPoolClientRequest,
  "UserPoolId" | "ClientName" | "GenerateSecret" | "ClientSecret"
>;

function checkExplicitAuthFlows(flows: ExplicitAuthFlowsType[] | undefined): void {
  if (!flows?.length) return;
  const legacy = flows.filter((f) => LEGACY_AUTH_FLOWS.has(f));
  if (legacy.length === 0) {
    if (!flows.includes("ALLOW_REFRESH_TOKEN_AUTH")) throw Errors.refreshTokenAuthRequired();
  } else if (legacy.length !== flows.length) {
    throw Errors.legacyAndNewAuthFlows();
  }
}

function checkTokenValidity(config: ClientConfig): void {
  for (const token of Object.keys(TOKEN_VALIDITY) as TokenKind[]) {
    const seconds = validitySeconds(config, token);
    if (seconds < TOKEN_VALIDITY[token].min || seconds > TOKEN_VALIDITY[token].max) {
      throw Errors.invalidTokenValidity();
    }
  }
  // Access and ID tokens may not outlive the refresh token [OBS Terraform docs; UNDOC at AWS].
  const refresh = validitySeconds(config, "RefreshToken");
  if (validitySeconds(config, "AccessToken") > refresh || validitySeconds(config, "IdToken") > refresh) {
    throw Errors.invalidTokenValidity();
  }
}

/**
 * ReadAttributes must name attributes of the pool; WriteAttributes must too, may not include `sub`,
 * and must include every attribute the pool requires (a client must be able to sign users up).
 */
function checkAttributePermissions(pool: PoolRecord, config: ClientConfig, action: string): void {
  const schema = new Map(schemaAttributes(pool).map((a) => [a.Name as string, a]));
  const known = (name: string) => schema.has(name) && clientVisible(name);
  if (config.ReadAttributes?.some((name) => !known(name))) throw Errors.invalidReadAttributes(action);
  const write = config.WriteAttributes;
  if (!write?.length) return;
  if (write.some((name) => !known(name) || name === "sub")) throw Errors.invalidWriteAttributes(action);
  const missingRequired = [...schema.values()].some(
    (a) => a.Required && a.Name !== "sub" && !write.includes(a.Name as string),
  );
  if (missingRequired) throw Errors.invalidWriteAttributes(action);
}

/** What the OAuth settings may name: the pool's custom scopes and identity providers, now. */
export interface OAuthNames {
  customScopes: ReadonlySet<string>;
  identityProviders: ClientProviders;
}

/** Scopes every client may allow without a resource server [DG]. */
const STANDARD_SCOPES: ReadonlySet<string> = new Set([
  "openid",
  "email",
  "phone",
  "profile",
  "aws.cognito.signin.user.admin",
]);

/** Hosts a plain-http callback may point to: the developer's own machine, on any port [API][DG]. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The flows and scopes rules, checked only while the master switch is on: flows and scopes stored
 * with it off are accepted as given [OBS], and checked by the update that turns it on (Update
 * replaces the whole configuration). client_credentials stands alone, needs a secret and custom
 * scopes; code and implicit need a callback.
 */
function checkOAuthFlowsAndScopes(
  settings: ClientSettings,
  hasSecret: boolean,
  customScopes: ReadonlySet<string>,
): void {
  if (!settings.AllowedOAuthFlowsUserPoolClient) return;
  const flows = settings.AllowedOAuthFlows ?? [];
  const clientCredentials = flows.includes("client_credentials");
  if (clientCredentials && flows.some((flow) => flow !== "client_credentials")) {
    throw Errors.clientCredentialsWithOtherFlows();
  }
  if (clientCredentials && !hasSecret) throw Errors.clientCredentialsNeedsSecret();
  for (const scope of settings.AllowedOAuthScopes ?? []) {
    if (STANDARD_SCOPES.has(scope)) {
      if (clientCredentials) throw Errors.scopeNotForClientCredentials(scope);
    } else if (!customScopes.has(scope)) {
      throw Errors.scopeDoesNotExist(scope);
    }
  }
  if (!clientCredentials && flows.length > 0 && !settings.CallbackURLs?.length)
    throw Errors.callbackUrlsRequired();
}

/**
 * Absolute, without a fragment, and https unless it is loopback http; other schemes (`myapp://`)
 * are apps' own. Also the rule of an authorization request's `resource` [DG resource binding].
 */
export function validRedirectUrl(text: string): boolean {
  if (text.includes("#") || !URL.canParse(text)) return false;
  const url = new URL(text);
  return url.protocol !== "http:" || LOOPBACK_HOSTS.has(url.hostname);
}

/** Redirect URLs are checked whether or not the switch is on; DefaultRedirectURI must be a callback [API]. */
function checkRedirectUrls(settings: ClientSettings): void {
  for (const member of ["CallbackURLs", "LogoutURLs"] as const) {
    const invalid = settings[member]?.find((url) => !validRedirectUrl(url));
    if (invalid !== undefined) throw Errors.invalidRedirectUrl(member, invalid);
  }
  const fallback = settings.DefaultRedirectURI;
  if (fallback !== undefined && !settings.CallbackURLs?.includes(fallback)) {
    throw Errors.invalidRedirectUrl("DefaultRedirectURI", fallback);
  }
}

/** Every listed provider exists; one that is IdP-initiated SAML stands only with SAML ones (FEDERATION.md §2.5). */
function checkIdentityProviders(
  pool: PoolRecord,
  settings: ClientSettings,
  providers: ClientProviders,
): void {
  const listed = settings.SupportedIdentityProviders ?? [];
  const unknown = listed.find((name) => !providers.types.has(name));
  if (unknown !== undefined) throw Errors.identityProviderNotInPool(unknown, pool.id);
  const initiated = listed.find((name) => providers.idpInitiated.has(name));
  if (initiated === undefined) return;
  const other = notSamlProvider(listed, providers.types);
  if (other !== undefined) throw Errors.idpInitiatedClientMix(initiated, other);
}

/** RefreshTokenValidity 0 means the default: 30 days, stated in the client's refresh-token unit. */
function refreshTokenValidity(settings: ClientSettings): number {
  if (settings.RefreshTokenValidity) return settings.RefreshTokenValidity;
  const unit = settings.TokenValidityUnits?.RefreshToken ?? "days";
  return (TOKEN_VALIDITY.RefreshToken.value * SECONDS.days) / SECONDS[unit];
}

/** Drops members left undefined so the stored JSON is what DescribeUserPoolClient returns. */
function compact(config: ClientConfig): ClientConfig {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined)) as ClientConfig;
}

/**
 * The stored configuration for the given settings, defaults filled in as DescribeUserPoolClient
 * shows them. Update replaces the whole configuration, so this serves both operations.
 */
export function clientConfig(
  pool: PoolRecord,
  settings: ClientSettings,
  hasSecret: boolean,
  action: "creating" | "updating",
  names: OAuthNames,
): ClientConfig {
  checkExplicitAuthFlows(settings.ExplicitAuthFlows);
  if (settings.EnablePropagateAdditionalUserContextData && !hasSecret) throw Errors.contextDataNeedsSecret();
  checkOAuthFlowsAndScopes(settings, hasSecret, names.customScopes);
  checkRedirectUrls(settings);
  checkIdentityProviders(pool, settings, names.identityProviders);
  const config = compact({
    ...settings,
    ExplicitAuthFlows: settings.ExplicitAuthFlows?.length ? settings.ExplicitAuthFlows : undefined,
    RefreshTokenValidity: refreshTokenValidity(settings),
    TokenValidityUnits: { ...settings.TokenValidityUnits },
    AllowedOAuthFlowsUserPoolClient: settings.AllowedOAuthFlowsUserPoolClient ?? false,
    EnableTokenRevocation: settings.EnableTokenRevocation ?? true,
    EnablePropagateAdditionalUserContextData: settings.EnablePropagateAdditionalUserContextData ?? false,
    AuthSessionValidity: settings.AuthSessionValidity ?? DEFAULT_AUTH_SESSION_MINUTES,
  });
  checkTokenValidity(config);
  checkAttributePermissions(pool, config, action);
  return config;
}

/** A new client record. `secret` is the generated or given secret (its first), or null. */
export function createClient(
  pool: PoolRecord,
  id: string,
  secret: string | null,
  input: CreateUserPoolClientRequest,
  now: Date,
  names: OAuthNames,
): ClientRecord {
  const {
    UserPoolId: _pool,
    ClientName,
    GenerateSecret: _generate,
    ClientSecret: _secret,
    ...settings
  } = input;
  return {
    id,
    poolId: pool.id,
    name: ClientName,
    secrets: secret === null ? [] : [newSecretRecord(id, secret, now)],
    config: clientConfig(pool, settings, secret !== null, "creating", names),
    createdAt: now,
    updatedAt: now,
  };
}

/** The client after UpdateUserPoolClient: name kept unless given, every setting replaced. */
export function updateClient(
  pool: PoolRecord,
  client: ClientRecord,
  input: UpdateUserPoolClientRequest,
  now: Date,
  names: OAuthNames,
): ClientRecord {
  const { UserPoolId: _pool, ClientId: _id, ClientName, ...settings } = input;
  return {
    ...client,
    name: ClientName ?? client.name,
    config: clientConfig(pool, settings, isConfidential(client), "updating", names),
    updatedAt: now,
  };
}

/**
 * The client as Create/Describe/UpdateUserPoolClient return it; the secret, when asked, is the
 * oldest active one [UNDOC].
 */
export function describeClient(client: ClientRecord, options: { withSecret: boolean }): UserPoolClientType {
  const [oldest] = activeSecrets(client);
  return {
    UserPoolId: client.poolId,
    ClientName: client.name,
    ClientId: client.id,
    ...(options.withSecret && oldest !== undefined && { ClientSecret: oldest }),
    ...client.config,
    CreationDate: client.createdAt,
    LastModifiedDate: client.updatedAt,
  };
}
