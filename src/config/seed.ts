/** The seed file (docs/OPERATIONS.md) and the lazy-migration source a seeded pool may name. */
import { z } from "zod";

export const seedConfigSchema = z
  .strictObject({
    /** A JSON or YAML seed file applied at every start (--seed, COGNATE_SEED); null = none. */
    file: z.string().min(1).nullable().default(null),
  })
  .prefault({});

/** The source of a pool's lazy migration: any server speaking Cognito's API. */
export const migrationSourceSchema = z.strictObject({
  /** The endpoint; null = AWS's own for the region (credentials from the standard AWS chain). */
  endpoint: z.url().nullable().default(null),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "must be an AWS region such as us-east-1"),
  poolId: z.string().min(1),
  /** An app client of the source pool that allows ADMIN_USER_PASSWORD_AUTH. */
  clientId: z.string().min(1),
  /** Its secret, when it has one. */
  clientSecret: z.string().min(1).optional(),
});

export type MigrationSource = z.infer<typeof migrationSourceSchema>;
