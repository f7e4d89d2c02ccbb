/**
 * Tables as the query builder sees them. Times are epoch milliseconds (bigint), booleans 0/1,
 * structured values JSON text: the same on SQLite and PostgreSQL.
 */
import type { Generated } from "kysely";

export interface UserPoolsTable {
  id: string;
  name: string;
  /** JSON: the pool's configuration as DescribeUserPool shows it (see domain/pools). */
  config: string;
  created_at: number;
  updated_at: number;
}

export interface UserPoolClientsTable {
  id: string;
  pool_id: string;
  name: string;
  /** JSON array of the client's secrets, {id, value, createdAt (epoch ms)}, oldest first. */
  secrets: string;
  /** JSON: the client's configuration as DescribeUserPoolClient shows it. */
  config: string;
  created_at: number;
  updated_at: number;
}

export interface UsersTable {
  pool_id: string;
  username: string;
  /** The username as looked up: lower-cased in case-insensitive pools. */
  username_key: string;
  sub: string;
  status: string;
  enabled: number;
  /** JSON object: attribute name → value (without `sub`). */
  attributes: string;
  // Attributes ListUsers can filter on, kept as columns so the database can search them.
  email: string | null;
  phone_number: string | null;
  name: string | null;
  given_name: string | null;
  family_name: string | null;
  preferred_username: string | null;
  /** SRP salt and verifier (hex) of the current password; never the password. */
  password_salt: string | null;
  password_verifier: string | null;
  password_set_at: number | null;
  /** JSON array of earlier {salt, verifier}, newest first, for the pool's password history. */
  password_history: string;
  /** JSON: MFA settings and other per-user state that later features add. */
  extra: string;
  created_at: number;
  updated_at: number;
}

export interface UserAliasesTable {
  pool_id: string;
  /** `email:<value>`, `phone_number:<value>` or `preferred_username:<value>`, normalised. */
  alias_key: string;
  username_key: string;
}

export interface GroupsTable {
  pool_id: string;
  name: string;
  description: string | null;
  role_arn: string | null;
  precedence: number | null;
  created_at: number;
  updated_at: number;
}

export interface GroupMembersTable {
  pool_id: string;
  group_name: string;
  username_key: string;
}

export interface OutboxTable {
  /** Sortable: zero-padded time then random. */
  id: string;
  pool_id: string;
  username: string;
  channel: string;
  destination: string;
  purpose: string;
  subject: string | null;
  message: string;
  created_at: number;
}

export interface CodesTable {
  pool_id: string;
  username_key: string;
  /** e.g. `signup`, `forgot-password`, `verify:email`. */
  purpose: string;
  code_hash: string;
  expires_at: number;
  attempts: number;
  created_at: number;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: number;
}

export interface AuthSessionsTable {
  /** SHA-256 (hex) of the Session string. */
  id: string;
  pool_id: string;
  client_id: string;
  username_key: string;
  challenge_name: string;
  /** JSON: what the next step of the sign-in needs (see auth/session). */
  state: string;
  created_at: number;
  expires_at: number;
  /** Set when a successful answer consumed the session. */
  used_at: number | null;
}

export interface LockoutsTable {
  pool_id: string;
  username_key: string;
  /** Consecutive failed password attempts. */
  failures: number;
  locked_until: number | null;
  last_failure_at: number;
}

export interface RiskConfigurationsTable {
  pool_id: string;
  /** '' for the pool's own configuration. */
  client_id: string;
  /** JSON: the RiskConfigurationType as DescribeRiskConfiguration shows it (without ids and date). */
  config: string;
  updated_at: number;
}

export interface AuthEventsTable {
  pool_id: string;
  /** The sign-in's event id: the `event_id` of the tokens it issued. */
  event_id: string;
  username_key: string;
  /** The owner's sub; '' for a name no user has. */
  sub: string;
  username: string;
  client_id: string | null;
  /** SignIn, SignUp, PasswordChange, ForgotPassword, ResendCode. */
  event_type: string;
  created_at: number;
  /** Pass, Fail or InProgress. */
  event_response: string;
  risk_decision: string | null;
  risk_level: string | null;
  compromised: number;
  /** JSON: mode, action, score and the reasons of the risk level. */
  risk_detail: string;
  /** JSON: [{ChallengeName, ChallengeResponse}]. */
  challenges: string;
  ip: string | null;
  user_agent: string | null;
  device_name: string | null;
  device_key: string | null;
  fingerprint: string | null;
  timezone: string | null;
  analytics_endpoint_id: string | null;
  /** JSON: the app client's AnalyticsConfiguration at the time. */
  analytics_configuration: string | null;
  /** SHA-256 (hex) of the feedback token; never the token. */
  feedback_token_hash: string | null;
  feedback_value: string | null;
  feedback_provider: string | null;
  feedback_at: number | null;
}

export interface SigningKeysTable {
  pool_id: string;
  /** Opaque key id, as the JWT header and the JWKS carry it. */
  kid: string;
  /** `id` or `access`: each pool signs its two token kinds with different keys. */
  token_use: string;
  /** `current` signs; `previous` only verifies (still in the JWKS); `retired` is gone from both. */
  status: string;
  /** PKCS#8 PEM. */
  private_key: string;
  /** JSON: the public JWK ({kty, n, e}). */
  public_jwk: string;
  created_at: number;
  updated_at: number;
}

export interface RefreshTokensTable {
  /** SHA-256 (hex) of the refresh token string. */
  token_hash: string;
  pool_id: string;
  client_id: string;
  username_key: string;
  username: string;
  sub: string;
  device_key: string | null;
  /** The sign-in the token descends from; revocation is keyed by it. */
  origin_jti: string;
  event_id: string;
  auth_time: number;
  issued_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** Set when rotation replaced the token (usable for the client's grace period after). */
  rotated_at: number | null;
  /** Space-separated OAuth scopes; null for API sign-in (aws.cognito.signin.user.admin). */
  scopes: string | null;
  /** The resource the sign-in's access tokens are bound to (`aud`); null without resource binding. */
  resource: string | null;
}

export interface DevicesTable {
  pool_id: string;
  /** `<region>_<uuid>`. */
  device_key: string;
  username_key: string;
  /** The owner's sub: a user created again under the same name does not inherit the device. */
  sub: string;
  group_key: string;
  name: string | null;
  /** SRP salt and verifier (hex) from ConfirmDevice; null until confirmed. */
  salt: string | null;
  verifier: string | null;
  confirmed_at: number | null;
  /** 1 remembered, 0 not remembered. */
  remembered: number;
  last_ip: string | null;
  created_at: number;
  updated_at: number;
  last_authenticated_at: number | null;
}

export interface SrpSpentBlocksTable {
  /** The random id sealed in an answered SECRET_BLOCK. */
  id: string;
  expires_at: number;
}

export interface PoolMfaConfigsTable {
  pool_id: string;
  /** JSON: which factors SetUserPoolMfaConfig configured, with their settings. */
  factors: string;
  updated_at: number;
}

export interface TotpSpentStepsTable {
  pool_id: string;
  sub: string;
  /** A TOTP time step whose code the user has used. */
  time_step: number;
  expires_at: number;
}

export interface WebAuthnConfigsTable {
  pool_id: string;
  /** Null: the pool's domain is the relying party, if it has one. */
  relying_party_id: string | null;
  /** `required` or `preferred`. */
  user_verification: string;
  /** `SINGLE_FACTOR` or `MULTI_FACTOR_WITH_USER_VERIFICATION`. */
  factor_configuration: string;
  updated_at: number;
}

export interface WebAuthnCredentialsTable {
  pool_id: string;
  /** base64url. */
  credential_id: string;
  username_key: string;
  /** The owner's sub: a user created again under the same name does not inherit passkeys. */
  sub: string;
  /** The COSE public key, base64url. */
  public_key: string;
  sign_count: number;
  /** JSON array of the transports the authenticator reported. */
  transports: string;
  attachment: string | null;
  friendly_name: string;
  relying_party_id: string;
  created_at: number;
}

export interface WebAuthnRegistrationsTable {
  pool_id: string;
  sub: string;
  username_key: string;
  /** The app client whose access token started the registration. */
  client_id: string;
  /** base64url, as the creation options carried it. */
  challenge: string;
  relying_party_id: string;
  user_verification: string;
  expires_at: number;
}

export interface PoolMfaConfigsTable {
  pool_id: string;
  /** JSON: which factors SetUserPoolMfaConfig configured, with their settings. */
  factors: string;
  updated_at: number;
}

export interface TotpSpentStepsTable {
  pool_id: string;
  sub: string;
  /** A TOTP time step whose code the user has used. */
  time_step: number;
  expires_at: number;
}

export interface UserPoolDomainsTable {
  domain: string;
  pool_id: string;
  custom: number;
  certificate_arn: string | null;
  managed_login_version: number;
  cloudfront_distribution: string;
  version: string;
  created_at: number;
  updated_at: number;
}

export interface AuthorizationCodesTable {
  code_hash: string;
  pool_id: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string | null;
  sealed_tokens: string;
  refresh_token_hash: string;
  expires_at: number;
  consumed_at: number | null;
}

export interface BrowserSessionsTable {
  id_hash: string;
  pool_id: string;
  domain: string;
  username_key: string;
  sub: string;
  auth_time: number;
  managed_login_version: number;
  expires_at: number;
}

export interface ResourceServersTable {
  pool_id: string;
  identifier: string;
  name: string;
  /** JSON array of {ScopeName, ScopeDescription}. */
  scopes: string;
}

export interface UiCustomizationsTable {
  pool_id: string;
  /** '' for the pool's default. */
  client_id: string;
  css: string | null;
  /** base64. */
  image: string | null;
  image_type: string | null;
  version: string;
  created_at: number;
  updated_at: number;
}

export interface ManagedLoginBrandingsTable {
  pool_id: string;
  id: string;
  client_id: string;
  use_cognito_provided_values: number;
  /** JSON object, or null. */
  settings: string | null;
  created_at: number;
  updated_at: number;
}

export interface ManagedLoginBrandingAssetsTable {
  pool_id: string;
  branding_id: string;
  category: string;
  color_mode: string;
  extension: string;
  resource_id: string | null;
  /** base64. */
  bytes: string;
}

export interface TermsTable {
  pool_id: string;
  id: string;
  client_id: string;
  name: string;
  source: string;
  enforcement: string;
  /** JSON object: language id → URL. */
  links: string;
  created_at: number;
  updated_at: number;
}

export interface IdentityProvidersTable {
  pool_id: string;
  name: string;
  provider_type: string;
  /** JSON object: ProviderDetails as stored, with the keys Describe hides. */
  details: string;
  /** JSON object: pool attribute → provider attribute. */
  attribute_mapping: string;
  /** JSON array of the provider's identifiers, in the order given. */
  idp_identifiers: string;
  /** SAML: JSON of what the metadata says; null for other types. */
  saml_metadata: string | null;
  /** PKCS#8 PEM; SAML with EncryptedResponses only. */
  encryption_private_key: string | null;
  /** base64 DER. */
  encryption_certificate: string | null;
  created_at: number;
  updated_at: number;
}

export interface IdentityProviderIdentifiersTable {
  pool_id: string;
  identifier: string;
  provider_name: string;
}

export interface SamlSigningKeysTable {
  pool_id: string;
  /** PKCS#8 PEM. */
  private_key: string;
  /** base64 DER. */
  certificate: string;
  created_at: number;
}

export interface IdentityLinksTable {
  pool_id: string;
  provider_name: string;
  /** Cognito_Subject, or a pool attribute the provider's mapping fills. */
  attribute_name: string;
  attribute_value: string;
  /** The user the outside identity signs in as. */
  username_key: string;
  /** The provider's subject: a Cognito_Subject link's value; a link by attribute's once it was used. */
  subject: string | null;
  created_at: number;
}

export interface UserImportJobsTable {
  job_id: string;
  pool_id: string;
  job_name: string;
  role_arn: string;
  presigned_url: string;
  status: string;
  created_at: number;
  started_at: number | null;
  completed_at: number | null;
  completion_message: string | null;
  imported_users: number;
  skipped_users: number;
  failed_users: number;
  /** Data rows of the file processed so far: where a resumed run goes on. */
  rows_done: number;
  /** The upload whose chunks are the job's file; null until one completed. */
  file_upload: string | null;
  file_bytes: number | null;
  /** The instance running the job, and until when its claim holds. */
  runner: string | null;
  lease_until: number | null;
}

export interface UserImportFileChunksTable {
  job_id: string;
  upload_id: string;
  seq: number;
  bytes: Buffer;
}

export interface UserImportLogTable {
  job_id: string;
  seq: number;
  line: string;
}

export interface LogDeliveryConfigurationsTable {
  pool_id: string;
  /** JSON: the LogConfigurations list. */
  configurations: string;
  updated_at: number;
}

export interface UserAttemptsTable {
  pool_id: string;
  username_key: string;
  /** The operation whose per-user limit the attempt counts toward. */
  action: string;
  at: number;
}

export interface FederationStatesTable {
  id_hash: string;
  pool_id: string;
  kind: string;
  provider_name: string;
  browser_hash: string | null;
  data: string;
  expires_at: number;
}

export interface SamlAssertionsTable {
  pool_id: string;
  provider_name: string;
  assertion_id: string;
  expires_at: number;
}

export interface SamlSessionsTable {
  session_hash: string;
  pool_id: string;
  provider_name: string;
  subject: string;
  expires_at: number;
}

export interface Database {
  user_pools: UserPoolsTable;
  user_pool_clients: UserPoolClientsTable;
  users: UsersTable;
  user_aliases: UserAliasesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  outbox: OutboxTable;
  codes: CodesTable;
  server_secrets: ServerSecretsTable;
  auth_sessions: AuthSessionsTable;
  lockouts: LockoutsTable;
  risk_configurations: RiskConfigurationsTable;
  auth_events: AuthEventsTable;
  signing_keys: SigningKeysTable;
  refresh_tokens: RefreshTokensTable;
  devices: DevicesTable;
  srp_spent_blocks: SrpSpentBlocksTable;
  webauthn_configs: WebAuthnConfigsTable;
  webauthn_credentials: WebAuthnCredentialsTable;
  webauthn_registrations: WebAuthnRegistrationsTable;
  pool_mfa_configs: PoolMfaConfigsTable;
  totp_spent_steps: TotpSpentStepsTable;
  user_pool_domains: UserPoolDomainsTable;
  authorization_codes: AuthorizationCodesTable;
  browser_sessions: BrowserSessionsTable;
  resource_servers: ResourceServersTable;
  ui_customizations: UiCustomizationsTable;
  managed_login_brandings: ManagedLoginBrandingsTable;
  managed_login_branding_assets: ManagedLoginBrandingAssetsTable;
  terms: TermsTable;
  identity_providers: IdentityProvidersTable;
  identity_provider_identifiers: IdentityProviderIdentifiersTable;
  saml_signing_keys: SamlSigningKeysTable;
  identity_links: IdentityLinksTable;
  user_import_jobs: UserImportJobsTable;
  user_import_file_chunks: UserImportFileChunksTable;
  user_import_log: UserImportLogTable;
  log_delivery_configurations: LogDeliveryConfigurationsTable;
  user_attempts: UserAttemptsTable;
  federation_states: FederationStatesTable;
  saml_assertions: SamlAssertionsTable;
  saml_sessions: SamlSessionsTable;
}

export type { Generated };
