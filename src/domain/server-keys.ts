/**
 * Server-wide keys kept in the database (store.secrets), so that every instance of a deployment
 * opens what another sealed and derives what another derived. Each is read once per store.
 */
import { createHmac, randomBytes } from "node:crypto";
import { Sealer } from "../crypto/seal.js";
import type { Store } from "../store/store.js";

/** Seals server state handed to clients (the SRP SECRET_BLOCK). */
const SEAL_KEY = "srp-seal";
/** Derives values that must look random but stay the same per input (simulated users, device groups). */
const DERIVATION_KEY = "derivation";

interface ServerKeys {
  sealer: Sealer;
  derivation: Buffer;
}

const loaded = new WeakMap<Store, Promise<ServerKeys>>();

async function load(store: Store): Promise<ServerKeys> {
  const [seal, derivation] = await Promise.all([
    store.secrets.getOrCreate(SEAL_KEY, Sealer.newKey),
    store.secrets.getOrCreate(DERIVATION_KEY, () => randomBytes(32).toString("base64")),
  ]);
  return { sealer: new Sealer(Buffer.from(seal, "base64")), derivation: Buffer.from(derivation, "base64") };
}

function keysOf(store: Store): Promise<ServerKeys> {
  let keys = loaded.get(store);
  if (!keys) {
    keys = load(store);
    // A failed read is retried by the next request rather than cached.
    keys.catch(() => loaded.delete(store));
    loaded.set(store, keys);
  }
  return keys;
}

export async function serverSealer(store: Store): Promise<Sealer> {
  return (await keysOf(store)).sealer;
}

/** HMAC-SHA256 under the server's derivation key of `label` and `parts`, unambiguously joined. */
export async function deriveBytes(store: Store, label: string, ...parts: string[]): Promise<Buffer> {
  const { derivation } = await keysOf(store);
  return createHmac("sha256", derivation)
    .update(JSON.stringify([label, ...parts]), "utf8")
    .digest();
}
