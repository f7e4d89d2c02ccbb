/**
 * Where the logs of SetLogDeliveryConfiguration go (ADMINISTRATION.md §3.4): the destination ARNs a
 * pool names (CloudWatch Logs log groups, S3 buckets, Firehose streams) are mapped to local sinks.
 */
import { z } from "zod";

/** `stdout`, `memory`, `file:///path/to/file.ndjson`, or an `http(s)://` endpoint that records are POSTed to. */
const sink = z
  .string()
  .regex(
    /^(stdout|memory|file:\/\/\/.+|https?:\/\/\S+)$/,
    "must be stdout, memory, file:///absolute/path or an http(s):// URL",
  );

export const logDeliveryConfigSchema = z
  .strictObject({
    /** Destination ARN (exact, or a pattern where `*` stands for any characters) → sink; the first match wins. */
    sinks: z.record(z.string().min(1), sink).default({}),
    /** The sink of destination ARNs no entry of `sinks` matches. */
    defaultSink: sink.default("memory"),
    /** Records the `memory` sink keeps per pool (the newest), readable at GET /_cognate/logs/<userPoolId>. */
    memoryRecords: z.number().int().min(1).max(100_000).default(1000),
  })
  .prefault({});

export type LogDeliveryConfig = z.infer<typeof logDeliveryConfigSchema>;
