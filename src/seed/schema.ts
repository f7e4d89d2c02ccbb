/**
 * The seed file: pools with fixed ids and what they hold, declared once and applied at every start
 * (docs/OPERATIONS.md). Settings are the API's own inputs (CreateUserPool, CreateUserPoolClient, …)
 * without the members the seed gives itself; everything is checked strictly, and a bad key is
 * reported with its path.
 */
import { z } from "zod";
import { migrationSourceSchema } from "../config/seed.js";
import { inputSchema } from "./shapes.js";

/** A password kept as Cognate keeps it (SRP salt and verifier), for a Cognate-to-Cognate move. */
const passwordHash = z.strictObject({
  salt: z.string().regex(/^[0-9a-f]+$/),
  verifier: z.string().regex(/^[0-9a-f]+$/),
});

const userSchema = z
  .strictObject({
    username: z.string().min(1).max(128),
    attributes: z.record(z.string().min(1), z.string()).default({}),
    /** A permanent password (the user is CONFIRMED). */
    password: z.string().min(1).optional(),
    /** A temporary password (the user must choose a new one: FORCE_CHANGE_PASSWORD). */
    temporaryPassword: z.string().min(1).optional(),
    /** An exported password (`cognate export --with-password-hashes`). */
    passwordHash: passwordHash.optional(),
    enabled: z.boolean().default(true),
    groups: z.array(z.string().min(1)).default([]),
    /** A TOTP secret (base32) registered as the user's software token, turned on and preferred. */
    totpSecret: z
      .string()
      .regex(/^[A-Z2-7]{16,}=*$/, "must be base32 (A-Z, 2-7), at least 16 characters")
      .optional(),
  })
  .refine(
    (u) => [u.password, u.temporaryPassword, u.passwordHash].filter((p) => p !== undefined).length <= 1,
    {
      message: "give at most one of password, temporaryPassword and passwordHash",
    },
  );
export type SeedUser = z.infer<typeof userSchema>;

const clientSchema = z.strictObject({
  id: z.string().min(1),
  /** The client's secret; absent = none, unless settings.GenerateSecret asks for a random one. */
  secret: z.string().min(1).optional(),
  settings: inputSchema("CreateUserPoolClientRequest", ["UserPoolId", "ClientSecret"]),
});

const poolSchema = z
  .strictObject({
    id: z.string().min(1),
    settings: inputSchema("CreateUserPoolRequest", []),
    clients: z.array(clientSchema).default([]),
    domain: inputSchema("CreateUserPoolDomainRequest", ["UserPoolId"]).optional(),
    resourceServers: z.array(inputSchema("CreateResourceServerRequest", ["UserPoolId"])).default([]),
    groups: z.array(inputSchema("CreateGroupRequest", ["UserPoolId"])).default([]),
    users: z.array(userSchema).default([]),
    migration: migrationSourceSchema.optional(),
  })
  .superRefine((pool, ctx) => {
    unique(ctx, pool.clients, (c) => c.id, "clients", "id");
    unique(ctx, pool.groups, (g) => String(g.GroupName), "groups", "GroupName");
    unique(ctx, pool.users, (u) => u.username, "users", "username");
    const groups = new Set(pool.groups.map((g) => String(g.GroupName)));
    for (const [i, user] of pool.users.entries()) {
      for (const [j, group] of user.groups.entries()) {
        if (groups.has(group)) continue;
        ctx.addIssue({
          code: "custom",
          path: ["users", i, "groups", j],
          message: `group ${group} is not declared in this pool's groups`,
        });
      }
    }
  });
export type SeedPool = z.infer<typeof poolSchema>;

function unique<T>(ctx: z.RefinementCtx, items: T[], key: (item: T) => string, list: string, name: string) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const value = key(item);
    if (seen.has(value))
      ctx.addIssue({ code: "custom", path: [list, i, name], message: `duplicate ${name} ${value}` });
    seen.add(value);
  });
}

export const seedSchema = z
  .strictObject({
    pools: z.array(poolSchema).default([]),
  })
  .superRefine((seed, ctx) => unique(ctx, seed.pools, (p) => p.id, "pools", "id"));

export type Seed = z.infer<typeof seedSchema>;
export type SeedInput = z.input<typeof seedSchema>;
