/**
 * User import jobs (ADMINISTRATION.md §1): how long a job waits to be started, how the upload is
 * checked, and how a run goes through its file.
 */
import { z } from "zod";

export const importConfigSchema = z
  .strictObject({
    /** A job not started within this time expires (Cognito: 24 to 48 hours). */
    expireAfterSeconds: z.number().int().min(1).default(86_400),
    /** The upload must carry `x-amz-server-side-encryption: aws:kms`, which the pre-signed URL signs. */
    requireSseHeader: z.boolean().default(true),
    /** The largest CSV file accepted (Cognito: 100 MB). */
    maxFileBytes: z
      .number()
      .int()
      .min(1)
      .max(1024 * 1024 * 1024)
      .default(100 * 1024 * 1024),
    /** StartUserImportJob answers once the run is over (its answer still says Pending): for tests. */
    synchronous: z.boolean().default(false),
    /** Rows written in one transaction: larger is faster, smaller holds other writers up less. */
    batchSize: z.number().int().min(1).max(5000).default(500),
    /** How long a run's claim on its job holds unless renewed (each batch renews it); then another instance takes it over. */
    leaseSeconds: z.number().int().min(1).max(3600).default(30),
  })
  .prefault({});

export type ImportConfig = z.infer<typeof importConfigSchema>;
