// A worker thread for SRP's modular exponentiations (CHALLENGES.md §4), so that sign-ins under
// load do not hold the event loop. Plain JavaScript because a worker starts without the TypeScript
// loader the server runs under. The arithmetic is modPowN of srp.ts (native Diffie-Hellman: the
// group always has generator 2; other bases go through computeSecret); srp-pool.test.ts checks
// that both give the same results.
//
// Request: { id, op: "pow", args: [base, exponent] } → base^exponent mod N
//          { id, op: "secret", args: [A, v, u, b] }  → (A · v^u)^b mod N
// All numbers are lower-case hex. Reply: { id, value } or { id, error }.
import { createDiffieHellman } from "node:crypto";
import { parentPort, workerData } from "node:worker_threads";

const N_BYTES = Buffer.from(workerData.nHex, "hex");
const N = BigInt(`0x${workerData.nHex}`);
const G_BYTES = Buffer.from([2]);

function bytes(n) {
  const h = n.toString(16);
  return Buffer.from(h.length % 2 ? `0${h}` : h, "hex");
}

function modPow(base, exponent) {
  const dh = createDiffieHellman(N_BYTES, G_BYTES);
  dh.setPrivateKey(bytes(exponent));
  if (base === 2n) {
    dh.generateKeys();
    return BigInt(`0x${dh.getPublicKey("hex")}`);
  }
  return BigInt(`0x${dh.computeSecret(bytes(base)).toString("hex")}`);
}

const OPS = {
  pow: (base, exponent) => modPow(base, exponent),
  secret: (A, v, u, b) => modPow((A * modPow(v, u)) % N, b),
};

parentPort.on("message", ({ id, op, args }) => {
  try {
    const value = OPS[op](...args.map((hex) => BigInt(`0x${hex}`)));
    parentPort.postMessage({ id, value: value.toString(16) });
  } catch (error) {
    // OpenSSL refuses degenerate values (0, 1, N-1) that a chosen A can aim for.
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
