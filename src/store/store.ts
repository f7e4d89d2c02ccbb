/**
 * The storage contract: repositories over one query builder handle, and explicit transactions.
 * Nothing outside store/ sees the query builder.
 */

import type { Kysely, Transaction } from "kysely";
import { SecretsAtRest } from "./at-rest.js";
import { AuthEventRepository } from "./auth-events.js";
import { AuthSessionRepository } from "./auth-sessions.js";
import { AuthorizationCodeRepository } from "./authorization-codes.js";
import { BrandingRepository } from "./brandings.js";
import { BrowserSessionRepository } from "./browser-sessions.js";
import { ClientRepository } from "./clients.js";
import { CodeRepository } from "./codes.js";
import { DeviceRepository, SpentSrpBlockRepository } from "./devices.js";
import { DomainRepository } from "./domains.js";
import { FederationStateRepository } from "./federation-states.js";
import { GroupRepository } from "./groups.js";
import { IdentityLinkRepository } from "./identity-links.js";
import { IdentityProviderRepository } from "./identity-providers.js";
import { LockoutRepository } from "./lockouts.js";
import { LogDeliveryRepository } from "./log-delivery.js";
import { PoolMfaConfigRepository, TotpSpentStepRepository } from "./mfa.js";
import { OutboxRepository } from "./outbox.js";
import { PoolRepository } from "./pools.js";
import { checkReadiness, type Readiness } from "./readiness.js";
import { RefreshTokenRepository } from "./refresh-tokens.js";
import { ResealingRepository } from "./resealing.js";
import { ResourceServerRepository } from "./resource-servers.js";
import { RiskConfigurationRepository } from "./risk-configurations.js";
import { SamlAssertionRepository, SamlSessionRepository } from "./saml-sessions.js";
import { SamlSigningKeyRepository } from "./saml-signing-keys.js";
import type { Database } from "./schema.js";
import { SecretRepository } from "./secrets.js";
import { SigningKeyRepository } from "./signing-keys.js";
import { SnapshotRepository } from "./snapshots.js";
import { TermsRepository } from "./terms.js";
import { UiCustomizationRepository } from "./ui-customizations.js";
import { UserAttemptRepository } from "./user-attempts.js";
import { UserImportRepository } from "./user-imports.js";
import { UserRepository } from "./users.js";
import { WebAuthnRepository } from "./webauthn.js";

/** A connection pool at one moment: its connections, the idle ones, and queries waiting for one. */
export interface ConnectionStats {
  total: number;
  idle: number;
  waiting: number;
}

export type Db = Kysely<Database> | Transaction<Database>;

export class Store {
  readonly pools: PoolRepository;
  readonly clients: ClientRepository;
  readonly users: UserRepository;
  readonly groups: GroupRepository;
  readonly outbox: OutboxRepository;
  readonly codes: CodeRepository;
  readonly secrets: SecretRepository;
  readonly authSessions: AuthSessionRepository;
  readonly riskConfigurations: RiskConfigurationRepository;
  readonly authEvents: AuthEventRepository;
  readonly lockouts: LockoutRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly refreshTokens: RefreshTokenRepository;
  readonly devices: DeviceRepository;
  readonly spentSrpBlocks: SpentSrpBlockRepository;
  readonly webAuthn: WebAuthnRepository;
  readonly poolMfaConfigs: PoolMfaConfigRepository;
  readonly totpSpentSteps: TotpSpentStepRepository;
  readonly domains: DomainRepository;
  readonly authorizationCodes: AuthorizationCodeRepository;
  readonly browserSessions: BrowserSessionRepository;
  readonly resourceServers: ResourceServerRepository;
  readonly uiCustomizations: UiCustomizationRepository;
  readonly brandings: BrandingRepository;
  readonly terms: TermsRepository;
  readonly identityProviders: IdentityProviderRepository;
  readonly samlSigningKeys: SamlSigningKeyRepository;
  readonly identityLinks: IdentityLinkRepository;
  readonly userImports: UserImportRepository;
  readonly logDelivery: LogDeliveryRepository;
  readonly userAttempts: UserAttemptRepository;
  /** Every secret at rest at once: how each is stored, and resealing them (at start). */
  readonly resealing: ResealingRepository;
  readonly federationStates: FederationStateRepository;
  readonly samlAssertions: SamlAssertionRepository;
  readonly samlSessions: SamlSessionRepository;
  /** The connection pool's state, for metrics; set by a store that has a pool (PostgreSQL). */
  connectionStats?: () => ConnectionStats;
  /** Statements waiting now for the write lock another connection holds, for metrics (SQLite). */
  lockWaiting?: () => number;
  /** Copies of the whole SQLite database, for test suites. */
  readonly snapshots: SnapshotRepository;

  constructor(
    private readonly db: Db,
    private readonly onClose: () => Promise<void> = async () => {},
    /** How secrets are kept at rest: sealed under the configured key, or in clear. */
    readonly secretsAtRest: SecretsAtRest = SecretsAtRest.none(),
  ) {
    this.pools = new PoolRepository(db);
    this.clients = new ClientRepository(db, secretsAtRest);
    this.users = new UserRepository(db);
    this.groups = new GroupRepository(db);
    this.outbox = new OutboxRepository(db);
    this.codes = new CodeRepository(db);
    this.secrets = new SecretRepository(db, secretsAtRest);
    this.authSessions = new AuthSessionRepository(db);
    this.riskConfigurations = new RiskConfigurationRepository(db);
    this.authEvents = new AuthEventRepository(db);
    this.lockouts = new LockoutRepository(db);
    this.signingKeys = new SigningKeyRepository(db, secretsAtRest);
    this.refreshTokens = new RefreshTokenRepository(db);
    this.devices = new DeviceRepository(db);
    this.spentSrpBlocks = new SpentSrpBlockRepository(db);
    this.webAuthn = new WebAuthnRepository(db);
    this.poolMfaConfigs = new PoolMfaConfigRepository(db);
    this.totpSpentSteps = new TotpSpentStepRepository(db);
    this.domains = new DomainRepository(db);
    this.authorizationCodes = new AuthorizationCodeRepository(db);
    this.browserSessions = new BrowserSessionRepository(db);
    this.resourceServers = new ResourceServerRepository(db);
    this.uiCustomizations = new UiCustomizationRepository(db);
    this.brandings = new BrandingRepository(db);
    this.terms = new TermsRepository(db);
    this.identityProviders = new IdentityProviderRepository(db, secretsAtRest);
    this.samlSigningKeys = new SamlSigningKeyRepository(db, secretsAtRest);
    this.identityLinks = new IdentityLinkRepository(db);
    this.userImports = new UserImportRepository(db);
    this.logDelivery = new LogDeliveryRepository(db);
    this.userAttempts = new UserAttemptRepository(db);
    this.resealing = new ResealingRepository(db, secretsAtRest);
    this.federationStates = new FederationStateRepository(db);
    this.samlAssertions = new SamlAssertionRepository(db);
    this.samlSessions = new SamlSessionRepository(db);
    this.snapshots = new SnapshotRepository(db as Kysely<Database>);
  }

  /** Runs `work` in one database transaction; everything it does commits or rolls back together. */
  async transaction<T>(work: (tx: Store) => Promise<T>): Promise<T> {
    if (this.db.isTransaction) return work(this);
    return (this.db as Kysely<Database>)
      .transaction()
      .execute((trx) => work(new Store(trx, undefined, this.secretsAtRest)));
  }

  /** Whether the database answers and its schema is this build's (for `/ready`). */
  ready(): Promise<Readiness> {
    return checkReadiness(this.db as Kysely<Database>);
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
