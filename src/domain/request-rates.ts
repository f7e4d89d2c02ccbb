/**
 * Cognito's request-rate quotas (ADMINISTRATION.md §4.1, LIMITS.md §1): every operation counts
 * toward a category, all pools of the server together; each configured category is a token bucket
 * of its requests per second (a second's worth of burst). A request finding its bucket empty is
 * refused with `TooManyRequestsException` `Rate exceeded` and not run. The operations of the pool
 * resource and client categories are also capped per pool, each on its own (Cognito: 5 per second).
 * Off unless configured (`limits.requestRates`). Buckets are per instance: several instances
 * sharing a database each allow the configured rate; the N worker processes of one instance
 * (`server.workers`) each allow 1/N of it, and the port round-robins among them.
 *
 * The JSON API takes its requests in the dispatcher (`takeOperation`); other endpoints (the OAuth
 * endpoints: token refresh, client credentials, federation responses) take theirs by category
 * with `takeRequest`.
 */
import { effectiveLimits, type LimitsConfig, type QUOTA_CATEGORIES } from "../config/limits.js";
import type { OperationName } from "../protocol/model.generated.js";
import { Errors } from "./errors.js";

export type QuotaCategory = (typeof QUOTA_CATEGORIES)[number];
type RateName = QuotaCategory | "perPoolOperation";

/** Cognito's default requests per second [DG quotas]. */
const COGNITO_RATES: Record<RateName, number> = {
  UserAuthentication: 120,
  UserCreation: 50,
  UserFederation: 25,
  UserAccountRecovery: 30,
  UserRead: 120,
  UserUpdate: 25,
  UserToken: 120,
  UserResourceRead: 50,
  UserResourceUpdate: 25,
  UserList: 30,
  UserPoolRead: 15,
  UserPoolUpdate: 15,
  UserPoolResourceRead: 20,
  UserPoolResourceUpdate: 15,
  UserPoolClientRead: 15,
  UserPoolClientUpdate: 15,
  ClientAuthentication: 150,
  LimitManagement: 1,
  perPoolOperation: 5,
};

/** Challenge answers have an allowance of their own, three times UserAuthentication's [DG]. */
const CHALLENGE_ALLOWANCE_FACTOR = 3;

/** The categories whose every operation is also capped per pool [DG]. */
const PER_POOL_CATEGORIES: ReadonlySet<QuotaCategory> = new Set([
  "UserPoolResourceRead",
  "UserPoolResourceUpdate",
  "UserPoolClientRead",
  "UserPoolClientUpdate",
]);

/**
 * Each operation's category [DG quotas]. Those AWS does not list [UNDOC]: Terms and log delivery by
 * verb as pool resources; client secrets with the clients; passkey and GetUserAuthFactors as user resources.
 */
export const OPERATION_CATEGORIES: Record<OperationName, QuotaCategory> = {
  InitiateAuth: "UserAuthentication",
  AdminInitiateAuth: "UserAuthentication",
  RespondToAuthChallenge: "UserAuthentication",
  AdminRespondToAuthChallenge: "UserAuthentication",
  GetTokensFromRefreshToken: "UserAuthentication",
  SignUp: "UserCreation",
  ConfirmSignUp: "UserCreation",
  AdminCreateUser: "UserCreation",
  AdminConfirmSignUp: "UserCreation",
  ChangePassword: "UserAccountRecovery",
  ConfirmForgotPassword: "UserAccountRecovery",
  ForgotPassword: "UserAccountRecovery",
  AdminResetUserPassword: "UserAccountRecovery",
  AdminSetUserPassword: "UserAccountRecovery",
  AdminGetUser: "UserRead",
  GetUser: "UserRead",
  AdminAddUserToGroup: "UserUpdate",
  AdminRemoveUserFromGroup: "UserUpdate",
  AdminDeleteUserAttributes: "UserUpdate",
  AdminUpdateUserAttributes: "UserUpdate",
  AdminDeleteUser: "UserUpdate",
  AdminDisableUser: "UserUpdate",
  AdminEnableUser: "UserUpdate",
  AdminLinkProviderForUser: "UserUpdate",
  AdminDisableProviderForUser: "UserUpdate",
  VerifyUserAttribute: "UserUpdate",
  DeleteUser: "UserUpdate",
  DeleteUserAttributes: "UserUpdate",
  UpdateUserAttributes: "UserUpdate",
  AdminUserGlobalSignOut: "UserUpdate",
  GlobalSignOut: "UserUpdate",
  RevokeToken: "UserToken",
  AdminGetDevice: "UserResourceRead",
  AdminListDevices: "UserResourceRead",
  GetDevice: "UserResourceRead",
  ListDevices: "UserResourceRead",
  AdminListGroupsForUser: "UserResourceRead",
  GetUserAttributeVerificationCode: "UserResourceRead",
  ResendConfirmationCode: "UserResourceRead",
  AdminListUserAuthEvents: "UserResourceRead",
  GetUserAuthFactors: "UserResourceRead",
  ListWebAuthnCredentials: "UserResourceRead",
  AdminForgetDevice: "UserResourceUpdate",
  ForgetDevice: "UserResourceUpdate",
  AdminUpdateDeviceStatus: "UserResourceUpdate",
  UpdateDeviceStatus: "UserResourceUpdate",
  ConfirmDevice: "UserResourceUpdate",
  AdminSetUserMFAPreference: "UserResourceUpdate",
  SetUserMFAPreference: "UserResourceUpdate",
  AdminSetUserSettings: "UserResourceUpdate",
  SetUserSettings: "UserResourceUpdate",
  AssociateSoftwareToken: "UserResourceUpdate",
  VerifySoftwareToken: "UserResourceUpdate",
  AdminUpdateAuthEventFeedback: "UserResourceUpdate",
  UpdateAuthEventFeedback: "UserResourceUpdate",
  StartWebAuthnRegistration: "UserResourceUpdate",
  CompleteWebAuthnRegistration: "UserResourceUpdate",
  DeleteWebAuthnCredential: "UserResourceUpdate",
  ListUsers: "UserList",
  ListUsersInGroup: "UserList",
  DescribeUserPool: "UserPoolRead",
  ListUserPools: "UserPoolRead",
  CreateUserPool: "UserPoolUpdate",
  UpdateUserPool: "UserPoolUpdate",
  DeleteUserPool: "UserPoolUpdate",
  DescribeIdentityProvider: "UserPoolResourceRead",
  DescribeResourceServer: "UserPoolResourceRead",
  DescribeUserImportJob: "UserPoolResourceRead",
  DescribeUserPoolDomain: "UserPoolResourceRead",
  GetCSVHeader: "UserPoolResourceRead",
  GetGroup: "UserPoolResourceRead",
  GetSigningCertificate: "UserPoolResourceRead",
  GetIdentityProviderByIdentifier: "UserPoolResourceRead",
  GetUserPoolMfaConfig: "UserPoolResourceRead",
  ListGroups: "UserPoolResourceRead",
  ListIdentityProviders: "UserPoolResourceRead",
  ListResourceServers: "UserPoolResourceRead",
  ListTagsForResource: "UserPoolResourceRead",
  ListUserImportJobs: "UserPoolResourceRead",
  DescribeRiskConfiguration: "UserPoolResourceRead",
  GetUICustomization: "UserPoolResourceRead",
  DescribeManagedLoginBranding: "UserPoolResourceRead",
  DescribeManagedLoginBrandingByClient: "UserPoolResourceRead",
  DescribeTerms: "UserPoolResourceRead",
  ListTerms: "UserPoolResourceRead",
  GetLogDeliveryConfiguration: "UserPoolResourceRead",
  AddCustomAttributes: "UserPoolResourceUpdate",
  CreateGroup: "UserPoolResourceUpdate",
  UpdateGroup: "UserPoolResourceUpdate",
  DeleteGroup: "UserPoolResourceUpdate",
  CreateIdentityProvider: "UserPoolResourceUpdate",
  UpdateIdentityProvider: "UserPoolResourceUpdate",
  DeleteIdentityProvider: "UserPoolResourceUpdate",
  CreateResourceServer: "UserPoolResourceUpdate",
  UpdateResourceServer: "UserPoolResourceUpdate",
  DeleteResourceServer: "UserPoolResourceUpdate",
  CreateUserImportJob: "UserPoolResourceUpdate",
  StartUserImportJob: "UserPoolResourceUpdate",
  StopUserImportJob: "UserPoolResourceUpdate",
  CreateUserPoolDomain: "UserPoolResourceUpdate",
  UpdateUserPoolDomain: "UserPoolResourceUpdate",
  DeleteUserPoolDomain: "UserPoolResourceUpdate",
  SetUserPoolMfaConfig: "UserPoolResourceUpdate",
  SetRiskConfiguration: "UserPoolResourceUpdate",
  SetUICustomization: "UserPoolResourceUpdate",
  TagResource: "UserPoolResourceUpdate",
  UntagResource: "UserPoolResourceUpdate",
  CreateManagedLoginBranding: "UserPoolResourceUpdate",
  UpdateManagedLoginBranding: "UserPoolResourceUpdate",
  DeleteManagedLoginBranding: "UserPoolResourceUpdate",
  CreateTerms: "UserPoolResourceUpdate",
  UpdateTerms: "UserPoolResourceUpdate",
  DeleteTerms: "UserPoolResourceUpdate",
  SetLogDeliveryConfiguration: "UserPoolResourceUpdate",
  DescribeUserPoolClient: "UserPoolClientRead",
  ListUserPoolClients: "UserPoolClientRead",
  ListUserPoolClientSecrets: "UserPoolClientRead",
  CreateUserPoolClient: "UserPoolClientUpdate",
  UpdateUserPoolClient: "UserPoolClientUpdate",
  DeleteUserPoolClient: "UserPoolClientUpdate",
  AddUserPoolClientSecret: "UserPoolClientUpdate",
  DeleteUserPoolClientSecret: "UserPoolClientUpdate",
};

/** Tokens refill continuously at `rate` a second, up to `rate` (one second's burst). */
class TokenBucket {
  private tokens: number;
  private at: number;
  /** A second's worth, and at least one request (a worker's share of a rate may be under one a second). */
  private readonly capacity: number;

  constructor(
    private readonly rate: number,
    now: number,
  ) {
    this.capacity = Math.max(1, rate);
    this.tokens = this.capacity;
    this.at = now;
  }

  /** Whether a token is there, refilled up to `now`. */
  has(now: number): boolean {
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    return this.tokens >= 1;
  }

  take(): void {
    this.tokens -= 1;
  }
}

/** Where a challenge answer's own allowance is kept, apart from the categories. */
const CHALLENGE_ALLOWANCE = "challenge answers";

export class RequestRates {
  private readonly rates: Map<RateName, number>;
  private readonly buckets = new Map<string, TokenBucket>();

  /**
   * `clock`: milliseconds of a monotonic clock (tests stop it). `sharedBy`: the server processes
   * behind one port, each of which allows its share of every rate.
   */
  constructor(
    config: LimitsConfig["requestRates"],
    private readonly clock: () => number = () => performance.now(),
    sharedBy = 1,
  ) {
    const rates = effectiveLimits(config, COGNITO_RATES);
    this.rates = new Map([...rates].map(([name, rate]) => [name, rate / sharedBy]));
  }

  /**
   * One request of the category (and, for the pool-resource and client categories, of the
   * operation in the pool); `TooManyRequestsException` when a bucket it takes from is empty.
   * A refused request takes nothing.
   */
  take(category: QuotaCategory, poolId?: string, operation?: string): void {
    const buckets = [this.bucket(category, this.rates.get(category))];
    if (poolId !== undefined && operation !== undefined && PER_POOL_CATEGORIES.has(category)) {
      buckets.push(this.bucket(`${poolId} ${operation}`, this.rates.get("perPoolOperation")));
    }
    if (!this.takeAll(buckets)) throw Errors.rateExceeded();
  }

  /**
   * One JSON API request: its operation's category. A challenge answer draws on its own allowance
   * first and on UserAuthentication beyond it; a NEW_PASSWORD_REQUIRED answer counts as account
   * recovery [DG].
   */
  takeOperation(operation: OperationName, input: { UserPoolId?: unknown; ChallengeName?: unknown }): void {
    const poolId = typeof input.UserPoolId === "string" ? input.UserPoolId : undefined;
    if (operation === "RespondToAuthChallenge" || operation === "AdminRespondToAuthChallenge") {
      if (input.ChallengeName === "NEW_PASSWORD_REQUIRED") {
        this.take("UserAccountRecovery");
        return;
      }
      const rate = this.rates.get("UserAuthentication");
      const allowance = rate === undefined ? undefined : rate * CHALLENGE_ALLOWANCE_FACTOR;
      if (allowance !== undefined && this.takeAll([this.bucket(CHALLENGE_ALLOWANCE, allowance)])) return;
    }
    this.take(OPERATION_CATEGORIES[operation], poolId, operation);
  }

  /** The bucket of a limit in force; undefined when the limit is off. */
  private bucket(key: string, rate: number | undefined): TokenBucket | undefined {
    if (rate === undefined) return undefined;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(rate, this.clock());
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** A token from each bucket when every one has one; else none, and false. */
  private takeAll(buckets: (TokenBucket | undefined)[]): boolean {
    const now = this.clock();
    const limited = buckets.filter((b): b is TokenBucket => b !== undefined);
    if (!limited.every((b) => b.has(now))) return false;
    for (const b of limited) b.take();
    return true;
  }
}

/**
 * For endpoints outside the JSON API (OAuth: the token endpoint's refresh and client credentials,
 * managed login, federation responses): one request of `category` for the pool, or
 * `TooManyRequestsException` `Rate exceeded`, which the endpoint answers in its own form.
 */
export function takeRequest(rates: RequestRates, category: QuotaCategory, poolId: string): void {
  rates.take(category, poolId);
}
