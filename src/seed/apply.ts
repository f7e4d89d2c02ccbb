/**
 * Applies a seed at start. What is missing is created, through the API's own operations (the same
 * checks as a request); what exists is left as it is, so changes made at run time survive a
 * restart. Declared group memberships are added when missing. Several instances applying the same
 * seed at once are safe: a create that loses the race finds the winner's entity and goes on.
 */
import type { Logger } from "pino";
import { ConfigError } from "../config/config.js";
import type { MigrationSource } from "../config/seed.js";
import { CognitoError } from "../domain/errors.js";
import { requirePool } from "../domain/lookup.js";
import { userMfaSettings, withMfaSettings } from "../domain/mfa.js";
import { withCarriedVerifier, withoutPassword } from "../domain/passwords.js";
import { sealSoftwareTokenSecret, withVerifiedToken } from "../domain/software-token.js";
import { findUser, requireUserForUpdate, saveUser } from "../domain/users.js";
import type { Services } from "../services.js";
import type { UserRecord } from "../store/records.js";
import { callOperation } from "./call.js";
import type { Seed, SeedPool, SeedUser } from "./schema.js";

export interface SeedReport {
  created: string[];
}

/** A refusal names the seed's path and what was being created. */
function seedError(path: string, what: string, error: unknown): Error {
  if (error instanceof CognitoError) {
    return new ConfigError(`seed ${path}: ${what} refused: ${error.type}: ${error.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Creates unless it exists; a create that fails because another instance just made it is no failure. */
async function ensure(
  path: string,
  what: string,
  exists: () => Promise<boolean>,
  create: () => Promise<unknown>,
  report: SeedReport,
): Promise<boolean> {
  if (await exists()) return false;
  try {
    await create();
  } catch (error) {
    if (await exists()) return false;
    throw seedError(path, what, error);
  }
  report.created.push(what);
  return true;
}

/** Whether a Describe/Get operation finds it (its not-found error: false). */
async function found(call: () => Promise<unknown>, ...notFound: string[]): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (error instanceof CognitoError && notFound.includes(error.type)) return false;
    throw error;
  }
}

async function applyUser(
  services: Services,
  poolId: string,
  user: SeedUser,
  path: string,
  report: SeedReport,
) {
  const { store } = services;
  const created = await ensure(
    path,
    `user ${user.username} in ${poolId}`,
    async () => (await findUser(store, await requirePool(store, poolId), user.username)) !== undefined,
    () =>
      callOperation(services, "AdminCreateUser", {
        UserPoolId: poolId,
        Username: user.username,
        UserAttributes: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
        TemporaryPassword: user.temporaryPassword,
        MessageAction: "SUPPRESS",
      }),
    report,
  );
  if (created) await completeUser(services, poolId, user, path);
  for (const group of user.groups) {
    const add = () =>
      callOperation(services, "AdminAddUserToGroup", {
        UserPoolId: poolId,
        Username: user.username,
        GroupName: group,
      });
    // Adding is idempotent: a second try after losing a race to another instance finds the membership.
    await add().catch(add);
  }
}

/** What AdminCreateUser does not set: the password's final form, the software token, the state. */
async function completeUser(services: Services, poolId: string, user: SeedUser, path: string) {
  try {
    if (user.password !== undefined) {
      await callOperation(services, "AdminSetUserPassword", {
        UserPoolId: poolId,
        Username: user.username,
        Password: user.password,
        Permanent: true,
      });
    } else if (user.temporaryPassword === undefined) {
      await updateUser(services, poolId, user.username, (record, now) =>
        user.passwordHash
          ? withCarriedVerifier(record, user.passwordHash, now)
          : withoutPassword(record, now),
      );
    }
    if (user.totpSecret !== undefined) await registerToken(services, poolId, user.username, user.totpSecret);
    if (!user.enabled) {
      await callOperation(services, "AdminDisableUser", { UserPoolId: poolId, Username: user.username });
    }
  } catch (error) {
    throw seedError(path, `user ${user.username} in ${poolId}`, error);
  }
}

async function updateUser(
  services: Services,
  poolId: string,
  username: string,
  change: (user: UserRecord, now: Date) => UserRecord,
) {
  const now = services.clock();
  await services.store.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    const user = await requireUserForUpdate(tx, pool, username);
    await saveUser(tx, pool, change(user, now));
  });
}

/** The declared TOTP secret as the user's verified software token, then turned on and preferred. */
async function registerToken(services: Services, poolId: string, username: string, secret: string) {
  const sealed = await sealSoftwareTokenSecret(services.store, secret);
  await updateUser(services, poolId, username, (user, now) =>
    withMfaSettings(user, withVerifiedToken(userMfaSettings(user), sealed, undefined, now), now),
  );
  await callOperation(services, "AdminSetUserMFAPreference", {
    UserPoolId: poolId,
    Username: username,
    SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
  });
}

async function applyPool(services: Services, pool: SeedPool, path: string, report: SeedReport) {
  const UserPoolId = pool.id;
  await ensure(
    path,
    `user pool ${UserPoolId}`,
    () =>
      found(() => callOperation(services, "DescribeUserPool", { UserPoolId }), "ResourceNotFoundException"),
    () => callOperation(services, "CreateUserPool", pool.settings, { chosenId: UserPoolId }),
    report,
  );
  for (const [i, server] of pool.resourceServers.entries()) {
    await ensure(
      `${path}.resourceServers.${i}`,
      `resource server ${String(server.Identifier)} in ${UserPoolId}`,
      () =>
        found(
          () =>
            callOperation(services, "DescribeResourceServer", { UserPoolId, Identifier: server.Identifier }),
          "ResourceNotFoundException",
        ),
      () => callOperation(services, "CreateResourceServer", { ...server, UserPoolId }),
      report,
    );
  }
  for (const [i, client] of pool.clients.entries()) {
    await ensure(
      `${path}.clients.${i}`,
      `app client ${client.id} in ${UserPoolId}`,
      () =>
        found(
          () => callOperation(services, "DescribeUserPoolClient", { UserPoolId, ClientId: client.id }),
          "ResourceNotFoundException",
        ),
      () =>
        callOperation(
          services,
          "CreateUserPoolClient",
          { ...client.settings, UserPoolId, ClientSecret: client.secret },
          { chosenId: client.id },
        ),
      report,
    );
  }
  if (pool.domain) {
    const domain = pool.domain;
    await ensure(
      `${path}.domain`,
      `domain ${String(domain.Domain)} of ${UserPoolId}`,
      async () =>
        (await callOperation(services, "DescribeUserPoolDomain", { Domain: domain.Domain as string }))
          .DomainDescription?.UserPoolId === UserPoolId,
      () => callOperation(services, "CreateUserPoolDomain", { ...domain, UserPoolId }),
      report,
    );
  }
  for (const [i, group] of pool.groups.entries()) {
    await ensure(
      `${path}.groups.${i}`,
      `group ${String(group.GroupName)} in ${UserPoolId}`,
      () =>
        found(
          () => callOperation(services, "GetGroup", { UserPoolId, GroupName: group.GroupName }),
          "ResourceNotFoundException",
        ),
      () => callOperation(services, "CreateGroup", { ...group, UserPoolId }),
      report,
    );
  }
  for (const [i, user] of pool.users.entries()) {
    await applyUser(services, UserPoolId, user, `${path}.users.${i}`, report);
  }
}

/** The pools' lazy-migration sources the seed declares, by pool id. */
export function migrationSources(seed: Seed): Map<string, MigrationSource> {
  return new Map(seed.pools.flatMap((pool) => (pool.migration ? [[pool.id, pool.migration] as const] : [])));
}

export async function applySeed(services: Services, seed: Seed, log: Logger): Promise<SeedReport> {
  const report: SeedReport = { created: [] };
  for (const [i, pool] of seed.pools.entries()) await applyPool(services, pool, `pools.${i}`, report);
  if (report.created.length > 0) log.info({ created: report.created }, "seed applied");
  return report;
}
