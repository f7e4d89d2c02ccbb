// The entry of a trigger worker thread. Plain JavaScript because a worker starts without the
// TypeScript loader the server may run under: in the compiled server (dist/) the worker is
// JavaScript beside this file; run from the sources it is TypeScript, loaded through tsx.
import { existsSync } from "node:fs";

const compiled = new URL("./worker.js", import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { tsImport } = await import("tsx/esm/api");
  await tsImport("./worker.ts", import.meta.url);
}
