// The entry of a trigger worker thread. Plain JavaScript because a worker starts without the
// TypeScript loader the server runs under; it loads tsx, then the worker itself.
import { tsImport } from "tsx/esm/api";

await tsImport("./worker.ts", import.meta.url);
