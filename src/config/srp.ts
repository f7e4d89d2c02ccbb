/** Settings of SRP sign-in (USER_SRP_AUTH and device SRP), where Cognito's numbers are undocumented. */
import { z } from "zod";

export const srpConfigSchema = z
  .strictObject({
    /**
     * How far a PASSWORD_VERIFIER's TIMESTAMP may be from the server's clock, in seconds [UNDOC:
     * the API asks for an answer "within a few seconds"; clients' clocks drift more than that].
     */
    timestampSkewSeconds: z.number().int().min(0).max(86_400).default(300),
    /**
     * Worker threads for SRP arithmetic per process: null = the cores the server's processes leave
     * free, shared among them (one process: one per core but one, at least one); 0 = on the event loop.
     */
    workers: z.number().int().min(0).max(64).nullable().default(null),
  })
  .prefault({});

export type SrpConfig = z.infer<typeof srpConfigSchema>;
