/**
 * Threat protection's configuration rules: the pool's UserPoolAddOns (which mode applies to which
 * sign-in, the PLUS tier it needs), and the risk configurations SetRiskConfiguration stores for the
 * pool and its clients (ADMIN_INITIATE_AUTH.md §15; docs/RISK.md).
 */
import type {
  AccountTakeoverActionType,
  AdvancedSecurityModeType,
  CompromisedCredentialsEventActionType,
  EventFilterType,
  RiskConfigurationType,
  RiskLevelType,
  SetRiskConfigurationRequest,
} from "../protocol/types.generated.js";
import type { PoolConfig, PoolRecord } from "../store/records.js";
import type { StoredRiskConfiguration } from "../store/risk-configurations.js";
import type { Store } from "../store/store.js";
import { Errors } from "./errors.js";
import { parseRange } from "./risk.js";

/** CloudFormation's name for the pool-wide configuration; the API leaves ClientId out instead. */
const ALL_CLIENTS = "ALL";

/** Standard sign-ins (password, SRP) follow AdvancedSecurityMode; custom authentication its own mode. */
export type SignInKind = "standard" | "custom";

export function protectionMode(config: PoolConfig, kind: SignInKind = "standard"): AdvancedSecurityModeType {
  const addOns = config.UserPoolAddOns;
  if (kind === "custom") return addOns?.AdvancedSecurityAdditionalFlows?.CustomAuthMode ?? "OFF";
  return addOns?.AdvancedSecurityMode ?? "OFF";
}

/** Threat protection is on for some sign-ins of the pool. */
export function addOnsEnabled(config: PoolConfig): boolean {
  return protectionMode(config, "standard") !== "OFF" || protectionMode(config, "custom") !== "OFF";
}

/** The risk-configuration and auth-event operations need threat protection on. */
export function assertAddOnsEnabled(pool: PoolRecord): void {
  if (!addOnsEnabled(pool.config)) throw Errors.addOnsNotEnabled(pool.id);
}

/** Threat protection is a feature of the PLUS plan: CreateUserPool / UpdateUserPool refuse it below. */
export function assertTierAllowsAddOns(config: PoolConfig): void {
  const tier = config.UserPoolTier ?? "ESSENTIALS";
  if (addOnsEnabled(config) && tier !== "PLUS") throw Errors.threatProtectionNotInTier(tier);
}

/** The client a request names, with the pool-wide alias ALL read as no client. */
export function clientOfRequest(clientId: string | undefined): string | undefined {
  return clientId === undefined || clientId === ALL_CLIENTS ? undefined : clientId;
}

function checkRanges(list: string, ranges: string[] | undefined): string[] | undefined {
  for (const range of ranges ?? []) {
    if (!parseRange(range)) throw Errors.invalidIpRange(list, range);
  }
  return ranges;
}

/** What SetRiskConfiguration stores: the members given (it replaces the whole configuration). */
export function newRiskConfiguration(input: SetRiskConfigurationRequest): StoredRiskConfiguration {
  const exceptions = input.RiskExceptionConfiguration;
  const config: StoredRiskConfiguration = {
    AccountTakeoverRiskConfiguration: input.AccountTakeoverRiskConfiguration,
    CompromisedCredentialsRiskConfiguration: input.CompromisedCredentialsRiskConfiguration,
    RiskExceptionConfiguration: exceptions && {
      BlockedIPRangeList: checkRanges("BlockedIPRangeList", exceptions.BlockedIPRangeList),
      SkippedIPRangeList: checkRanges("SkippedIPRangeList", exceptions.SkippedIPRangeList),
    },
  };
  return JSON.parse(JSON.stringify(config)) as StoredRiskConfiguration;
}

/** The configuration that applies to a client's sign-ins: its own, else the pool's. */
export async function effectiveRiskConfiguration(
  store: Store,
  poolId: string,
  clientId: string | undefined,
): Promise<{ config: StoredRiskConfiguration; clientId?: string; updatedAt: Date } | undefined> {
  const own = clientId === undefined ? undefined : await store.riskConfigurations.get(poolId, clientId);
  return own ?? (await store.riskConfigurations.get(poolId));
}

/** DescribeRiskConfiguration's shape: the ids, the stored members, the date it was set. */
export function describeRiskConfiguration(
  poolId: string,
  found: { config: StoredRiskConfiguration; clientId?: string; updatedAt: Date } | undefined,
): RiskConfigurationType {
  if (!found) return { UserPoolId: poolId };
  return {
    UserPoolId: poolId,
    ...(found.clientId !== undefined && { ClientId: found.clientId }),
    ...found.config,
    LastModifiedDate: found.updatedAt,
  };
}

const LEVEL_ACTION = { Low: "LowAction", Medium: "MediumAction", High: "HighAction" } as const;

/** The account-takeover action configured for a risk level; none without a configuration. */
export function accountTakeoverAction(
  config: StoredRiskConfiguration | undefined,
  level: RiskLevelType | undefined,
): AccountTakeoverActionType | undefined {
  if (!level) return undefined;
  return config?.AccountTakeoverRiskConfiguration?.Actions[LEVEL_ACTION[level]];
}

/** The compromised-credentials action for an event; none when unconfigured or filtered out (no filter = every event). */
export function compromisedCredentialsAction(
  config: StoredRiskConfiguration | undefined,
  event: EventFilterType,
): CompromisedCredentialsEventActionType | undefined {
  const compromised = config?.CompromisedCredentialsRiskConfiguration;
  if (!compromised) return undefined;
  const filter = compromised.EventFilter;
  if (filter?.length && !filter.includes(event)) return undefined;
  return compromised.Actions.EventAction;
}
