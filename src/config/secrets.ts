/**
 * Secrets at rest (the pools' signing keys, the app clients' secrets, the server's own keys): sealed
 * under `encryptionKey` when one is given, else kept in clear; `previousKeys` open what older keys
 * sealed, so that a key can be replaced (docs/DEPLOYMENT.md).
 */
import { z } from "zod";

/** Whether a text is 32 bytes in base64, as a key must be. */
function isKey(text: string): boolean {
  const key = Buffer.from(text, "base64");
  return key.length === 32 && key.toString("base64").replace(/=+$/, "") === text.replace(/=+$/, "");
}

/** A key: 32 random bytes in base64 (`openssl rand -base64 32`). */
const key = z.string().refine(isKey, "must be 32 bytes in base64 (openssl rand -base64 32)");

export const secretsConfigSchema = z
  .strictObject({
    encryptionKey: key.nullable().default(null),
    previousKeys: z.array(key).default([]),
  })
  .prefault({});

export type SecretsConfig = z.infer<typeof secretsConfigSchema>;
