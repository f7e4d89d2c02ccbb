/**
 * An optional HTTPS listener beside the HTTP one, for clients that insist on https for a domain
 * (docs/OAUTH.md): a configured certificate and key, or a self-signed one generated for loopback
 * names and kept in the data directory.
 */
import { z } from "zod";

export const tlsConfigSchema = z
  .strictObject({
    /** The HTTPS port (0: any free port); null: no HTTPS listener. */
    port: z.number().int().min(0).max(65535).nullable().default(null),
    /** PEM files of the certificate (with its chain) and its private key; both or neither. */
    certFile: z.string().min(1).nullable().default(null),
    keyFile: z.string().min(1).nullable().default(null),
  })
  .refine((tls) => (tls.certFile === null) === (tls.keyFile === null), {
    message: "certFile and keyFile must be given together (neither: a generated self-signed certificate)",
  })
  .prefault({});

export type TlsConfig = z.infer<typeof tlsConfigSchema>;
