/**
 * PreTokenGeneration (TRIGGERS.md §4.6): V1 changes the ID token and the groups; V2 and V3 also the
 * access token and its scopes. The pool's PreTokenGenerationConfig says which event version the
 * function gets; a pool with only the legacy PreTokenGeneration ARN gets V1.
 */
import { z } from "zod";
import { Errors } from "../domain/errors.js";
import { SIGNIN_SCOPE } from "../domain/scopes.js";
import type { ClaimChanges, GroupOverride, TokenCustomization } from "../domain/token-customization.js";
import { userGroupClaims } from "../domain/tokens.js";
import type { Services } from "../services.js";
import type { PoolRecord, UserRecord } from "../store/records.js";
import { callTrigger, triggerArn } from "./call.js";
import {
  clientCredentialsTokenEvent,
  eventUserAttributes,
  type GroupConfiguration,
  type PreTokenVersion,
  preTokenGenerationEvent,
  type StringMap,
  type TokenGenerationSource,
} from "./events.js";

export type { GroupConfiguration, TokenGenerationSource };

/** At most this many claim and scope changes in one response [DG quotas]. */
const MAX_CHANGES = 5000;

const strings = z.array(z.string()).nullish();

const groupOverride = z
  .object({ groupsToOverride: strings, iamRolesToOverride: strings, preferredRole: z.string().nullish() })
  .nullish();

const v1Response = z.object({
  claimsOverrideDetails: z
    .object({
      // V1 claim values are strings only [DG].
      claimsToAddOrOverride: z.record(z.string(), z.string()).nullish(),
      claimsToSuppress: strings,
      groupOverrideDetails: groupOverride,
    })
    .nullish(),
});

const claimChanges = {
  claimsToAddOrOverride: z.record(z.string(), z.unknown()).nullish(),
  claimsToSuppress: strings,
};

/** Scopes are space-separated in the token, so a scope cannot contain one [DG]. */
const scopes = z.array(z.string().regex(/^\S+$/)).nullish();

const v2Response = z.object({
  claimsAndScopeOverrideDetails: z
    .object({
      idTokenGeneration: z.object(claimChanges).nullish(),
      accessTokenGeneration: z
        .object({ ...claimChanges, scopesToAdd: scopes, scopesToSuppress: scopes })
        .nullish(),
      groupOverrideDetails: groupOverride,
    })
    .nullish(),
});

type GroupOverrideResponse = z.output<typeof groupOverride>;
type ClaimChangesResponse = {
  claimsToAddOrOverride?: Record<string, unknown> | null;
  claimsToSuppress?: string[] | null;
};

/** Null or absent keeps the user's groups; an object replaces them, an empty one removes them [DG]. */
function groupsFrom(details: GroupOverrideResponse): GroupOverride | undefined {
  if (!details) return undefined;
  return {
    groups: details.groupsToOverride ?? [],
    roles: details.iamRolesToOverride ?? [],
    preferredRole: details.preferredRole ?? undefined,
  };
}

function changesFrom(details: ClaimChangesResponse | null | undefined): ClaimChanges {
  return { add: details?.claimsToAddOrOverride ?? {}, suppress: details?.claimsToSuppress ?? [] };
}

function countChanges(c: TokenCustomization): number {
  const { idToken: id, accessToken: access } = c;
  return (
    Object.keys(id.add).length +
    id.suppress.length +
    Object.keys(access.add).length +
    access.suppress.length +
    access.scopesToAdd.length +
    access.scopesToSuppress.length
  );
}

export interface PreTokenGenerationInput {
  pool: PoolRecord;
  clientId: string;
  source: TokenGenerationSource;
  user: UserRecord;
  /** The user's groups, roles and preferred role as the tokens would show them. */
  groupConfiguration: GroupConfiguration;
  /** The access token's scopes (V2 and V3 see them). */
  scopes: string[];
  clientMetadata?: StringMap;
}

function eventVersion(pool: PoolRecord): PreTokenVersion {
  return (pool.config.LambdaConfig?.PreTokenGenerationConfig?.LambdaVersion as PreTokenVersion) ?? "V1_0";
}

/** Runs the pool's function; undefined when it has none. A function error fails the sign-in. */
export async function runPreTokenGeneration(
  services: Services,
  input: PreTokenGenerationInput,
): Promise<TokenCustomization | undefined> {
  const arn = triggerArn(input.pool, "PreTokenGeneration");
  if (!arn) return undefined;
  const version = eventVersion(input.pool);
  const event = preTokenGenerationEvent(
    { pool: input.pool, clientId: input.clientId, userName: input.user.username },
    input.source,
    version,
    {
      userAttributes: eventUserAttributes(input.pool, input.user),
      groupConfiguration: input.groupConfiguration,
      clientMetadata: input.clientMetadata ?? {},
      scopes: input.scopes,
    },
  );
  const customization =
    version === "V1_0"
      ? fromV1(await callTrigger(services, "PreTokenGeneration", arn, event, v1Response))
      : fromV2(await callTrigger(services, "PreTokenGeneration", arn, event, v2Response));
  if (countChanges(customization) > MAX_CHANGES) throw Errors.lambdaOutputUnrecognizable();
  return customization;
}

/**
 * PreTokenGeneration of a `client_credentials` grant: only a V3_0 function sees these grants, and
 * only its access token changes apply (there is no ID token and no group) [DG].
 */
export async function clientCredentialsCustomization(
  services: Services,
  input: { pool: PoolRecord; clientId: string; scopes: readonly string[]; clientMetadata?: StringMap },
): Promise<TokenCustomization | undefined> {
  const arn = triggerArn(input.pool, "PreTokenGeneration");
  if (!arn || eventVersion(input.pool) !== "V3_0") return undefined;
  const event = clientCredentialsTokenEvent(input.pool, input.clientId, {
    scopes: [...input.scopes],
    clientMetadata: input.clientMetadata ?? {},
  });
  const { accessToken } = fromV2(await callTrigger(services, "PreTokenGeneration", arn, event, v2Response));
  const customization = { idToken: { add: {}, suppress: [] }, accessToken };
  if (countChanges(customization) > MAX_CHANGES) throw Errors.lambdaOutputUnrecognizable();
  return customization;
}

const NO_SCOPE_CHANGES = { scopesToAdd: [], scopesToSuppress: [] };

function fromV1(response: z.output<typeof v1Response>): TokenCustomization {
  const details = response.claimsOverrideDetails;
  return {
    idToken: changesFrom(details),
    accessToken: { add: {}, suppress: [], ...NO_SCOPE_CHANGES },
    groups: groupsFrom(details?.groupOverrideDetails),
  };
}

function fromV2(response: z.output<typeof v2Response>): TokenCustomization {
  const details = response.claimsAndScopeOverrideDetails;
  const access = details?.accessTokenGeneration;
  return {
    idToken: changesFrom(details?.idTokenGeneration),
    accessToken: {
      ...changesFrom(access),
      scopesToAdd: access?.scopesToAdd ?? [],
      scopesToSuppress: access?.scopesToSuppress ?? [],
    },
    groups: groupsFrom(details?.groupOverrideDetails),
  };
}

export interface TokenCustomizationRequest {
  pool: PoolRecord;
  clientId: string;
  source: TokenGenerationSource;
  user: UserRecord;
  clientMetadata?: StringMap;
  /** The access token's scopes: the OAuth grant's, else API sign-in's only one. */
  scopes?: readonly string[];
}

/**
 * What the pool's PreTokenGeneration function changes in the tokens about to be issued to the
 * user (API sign-in and refresh: the access token's only scope is aws.cognito.signin.user.admin).
 */
export async function tokenCustomizationFor(
  services: Services,
  request: TokenCustomizationRequest,
): Promise<TokenCustomization | undefined> {
  if (!triggerArn(request.pool, "PreTokenGeneration")) return undefined;
  const groups = await userGroupClaims(services.store, request.pool, request.user);
  return runPreTokenGeneration(services, {
    ...request,
    groupConfiguration: {
      groupsToOverride: groups["cognito:groups"] ?? [],
      iamRolesToOverride: groups["cognito:roles"] ?? [],
      preferredRole: groups["cognito:preferred_role"] ?? null,
    },
    scopes: [...(request.scopes ?? [SIGNIN_SCOPE])],
  });
}
