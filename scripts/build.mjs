// `npm run build` (and `npm install`, through `prepare`): compiles src/ to dist/ with tsc, then
// copies what tsc does not emit, the plain JavaScript worker entries. Plain JavaScript itself, so
// the build needs nothing but Node and TypeScript.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(root, "src");
const dist = join(root, "dist");

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const run = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (run.status !== 0) process.exit(run.status ?? 1);

/** Files under src/ that run as they are: worker threads' entries (`new URL("./x.mjs", import.meta.url)`). */
function copyPlainJavaScript(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copyPlainJavaScript(path);
    else if (entry.name.endsWith(".mjs")) cpSync(path, join(dist, relative(src, path)));
  }
}
copyPlainJavaScript(src);
