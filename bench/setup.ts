/** Bench fixtures: a pool and client through the API, the signing-in users, and filler users in bulk. */
import { computeVerifier } from "../src/crypto/srp.js";
import { openPostgresStore, openSqliteStore } from "../src/store/open.js";
import type { Store } from "../src/store/store.js";
import { call, type Target } from "./client.js";

export interface BenchPool {
  poolId: string;
  clientId: string;
  users: { username: string; password: string }[];
}

async function ok(target: Target, operation: string, payload: unknown) {
  const res = await call(target, operation, payload);
  if (res.status !== 200) throw new Error(`${operation}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function setUpPool(target: Target, userCount: number): Promise<BenchPool> {
  const pool = (await ok(target, "CreateUserPool", { PoolName: "bench" })) as { UserPool: { Id: string } };
  const poolId = pool.UserPool.Id;
  const client = (await ok(target, "CreateUserPoolClient", {
    UserPoolId: poolId,
    ClientName: "bench",
    ExplicitAuthFlows: [
      "ALLOW_ADMIN_USER_PASSWORD_AUTH",
      "ALLOW_USER_PASSWORD_AUTH",
      "ALLOW_USER_SRP_AUTH",
      "ALLOW_REFRESH_TOKEN_AUTH",
    ],
  })) as { UserPoolClient: { ClientId: string } };
  const users = Array.from({ length: userCount }, (_, i) => ({
    username: `bench-user-${i}`,
    password: `Bench-Passw0rd-${i}!`,
  }));
  for (const u of users) {
    await ok(target, "AdminCreateUser", {
      UserPoolId: poolId,
      Username: u.username,
      MessageAction: "SUPPRESS",
    });
    await ok(target, "AdminSetUserPassword", {
      UserPoolId: poolId,
      Username: u.username,
      Password: u.password,
      Permanent: true,
    });
  }
  return { poolId, clientId: client.UserPoolClient.ClientId, users };
}

async function openBenchStore(store: { dataDir?: string; databaseUrl?: string }): Promise<Store> {
  if (store.dataDir) return openSqliteStore(store.dataDir);
  if (store.databaseUrl) return openPostgresStore(store.databaseUrl);
  throw new Error("filler users of --targets servers need their --database-url (PostgreSQL)");
}

/** Users that never sign in but make the pool large; one shared verifier keeps seeding fast. */
export async function seedFillerUsers(
  where: { dataDir?: string; databaseUrl?: string },
  poolId: string,
  /** Filler users number `from` (inclusive) to `to` (exclusive), so a pool can grow in steps. */
  from: number,
  to: number,
): Promise<void> {
  const store = await openBenchStore(where);
  const verifier = computeVerifier(poolId, "filler", "Filler-Passw0rd!");
  const now = new Date();
  const batch = 5000;
  try {
    for (let start = from; start < to; start += batch) {
      await store.transaction(async (tx) => {
        for (let i = start; i < Math.min(to, start + batch); i++) {
          const username = `filler-${String(i).padStart(7, "0")}`;
          await tx.users.insert({
            poolId,
            username,
            usernameKey: username,
            sub: crypto.randomUUID(),
            status: "CONFIRMED",
            enabled: true,
            attributes: { email: `${username}@example.com` },
            password: { ...verifier, setAt: now },
            passwordHistory: [],
            extra: {},
            createdAt: now,
            updatedAt: now,
          });
        }
      });
    }
  } finally {
    await store.close();
  }
}
