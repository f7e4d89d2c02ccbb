/** Output as AWS JSON 1.1 wants it: unset members omitted, timestamps as epoch seconds. */
export function serializeOutput(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(serializeOutput);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      out[k] = serializeOutput(v);
    }
    return out;
  }
  return value;
}
