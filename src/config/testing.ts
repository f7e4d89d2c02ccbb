/**
 * Conveniences for test suites, each off unless configured, none weakening a default
 * (docs/OPERATIONS.md): a fixed code in every message, and the reset and snapshot endpoints.
 */
import { z } from "zod";

const code = z.string().regex(/^\d{4,8}$/, "must be 4 to 8 digits");

export const testingConfigSchema = z
  .strictObject({
    /** The code every message of every pool carries (verification, reset, MFA, sign-in codes); null = random. */
    fixedCode: code.nullable().default(null),
    /** The same, for some pools only: pool id → code (wins over fixedCode). */
    poolFixedCodes: z.record(z.string().min(1), code).default({}),
    /** POST /_cognate/reset and /_cognate/snapshot(/restore) on loopback: off unless true. */
    resetEndpoint: z.boolean().default(false),
  })
  .prefault({});

export type TestingConfig = z.infer<typeof testingConfigSchema>;
