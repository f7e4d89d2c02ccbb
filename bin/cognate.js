#!/usr/bin/env node
// Runs the compiled server (dist/, built by `npm install` or `npm run build`) when it is there;
// otherwise the TypeScript sources through tsx, as in development.
import { existsSync } from "node:fs";

const compiled = new URL("../dist/main.js", import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/main.ts");
}
