/** The admin console at /console (docs/CONSOLE.md). */
import { z } from "zod";

export const consoleConfigSchema = z
  .strictObject({
    /** Serve /console at all. */
    enabled: z.boolean().default(true),
    /**
     * The operator credential. Unset: the console answers loopback requests only. Set: every
     * request must present it (signed in through the console's form, or `Authorization: Bearer`),
     * wherever it comes from.
     */
    token: z.string().min(16, "must be at least 16 characters").nullable().default(null),
  })
  .prefault({});

export type ConsoleConfig = z.infer<typeof consoleConfigSchema>;
