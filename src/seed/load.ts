/** Reads a seed file (JSON, or YAML: `.yaml` / `.yml`) and checks it; a bad one is a ConfigError naming the key. */
import { readFileSync } from "node:fs";
import { ConfigError, describeIssue } from "../config/config.js";
import { type Seed, seedSchema } from "./schema.js";

async function parseText(path: string, text: string): Promise<unknown> {
  try {
    // The YAML parser loads only for a YAML seed.
    return /\.ya?ml$/i.test(path) ? (await import("yaml")).parse(text) : JSON.parse(text);
  } catch (e) {
    throw new ConfigError(
      `seed file ${path} cannot be read as ${/\.ya?ml$/i.test(path) ? "YAML" : "JSON"}: ${(e as Error).message}`,
    );
  }
}

/** The seed in `input`, checked; `source` names it in errors. */
export function parseSeed(input: unknown, source: string): Seed {
  const result = seedSchema.safeParse(input ?? {});
  if (!result.success) {
    throw new ConfigError(`invalid seed in ${source}: ${result.error.issues.map(describeIssue).join("; ")}`);
  }
  return result.data;
}

export async function loadSeed(path: string): Promise<Seed> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read seed file ${path}: ${(e as Error).message}`);
  }
  return parseSeed(await parseText(path, text), path);
}
