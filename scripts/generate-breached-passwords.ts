/**
 * Writes data/breached-passwords.txt: the most common passwords of public breach dumps, one a
 * line, most common first. The source is the password list of @zxcvbn-ts/language-common (MIT),
 * itself from the xato 10-million-password dump, fetched from the npm registry with `npm pack` at
 * a pinned version. Entries shorter than Cognito's shortest allowed password (6) can never be
 * chosen, so they are left out. Run: `npx tsx scripts/generate-breached-passwords.ts`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PACKAGE = "@zxcvbn-ts/language-common@4.1.3";
const LIST_IN_PACKAGE = "package/src/passwords.json";
const OUTPUT = new URL("../data/breached-passwords.txt", import.meta.url);
const MIN_LENGTH = 6;

function fetchList(): string[] {
  const dir = mkdtempSync(join(tmpdir(), "breached-passwords-"));
  try {
    const tarball = execFileSync("npm", ["pack", PACKAGE, "--silent", "--pack-destination", dir], {
      encoding: "utf8",
    }).trim();
    execFileSync("tar", ["xzf", join(dir, tarball), "-C", dir, LIST_IN_PACKAGE]);
    return JSON.parse(readFileSync(join(dir, LIST_IN_PACKAGE), "utf8")) as string[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const seen = new Set<string>();
const kept = fetchList()
  .map((p) => p.toLowerCase())
  .filter((p) => [...p].length >= MIN_LENGTH && !/[\r\n]/.test(p) && !seen.has(p) && seen.add(p));
writeFileSync(OUTPUT, `${kept.join("\n")}\n`);
process.stdout.write(`${kept.length} passwords from ${PACKAGE} written to data/breached-passwords.txt\n`);
