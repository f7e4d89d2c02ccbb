/**
 * The fixed values both SRP test vectors of shared/spec CHALLENGES.md start from (§4.6 for a
 * user's password, §5.3 for a device): the client's and server's secret exponents, the
 * SECRET_BLOCK and the TIMESTAMP.
 */
import { fromHex, N, sha256Hex } from "../../src/crypto/srp.js";

export const VECTOR_A = fromHex(sha256Hex("fixed-a").repeat(4)) % N;
export const VECTOR_B = fromHex(sha256Hex("fixed-b").repeat(4)) % N;
export const VECTOR_SECRET_BLOCK = Buffer.from("b3BhcXVlLXNlY3JldC1ibG9jay1ieXRlcw==", "base64");
export const VECTOR_TIMESTAMP = "Tue May 7 00:09:40 UTC 2025";
