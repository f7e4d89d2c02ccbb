/**
 * Provider attributes as user attributes are written: strings (FEDERATION.md §2.2 step 6). Numbers
 * and booleans become their text; a multi-valued claim becomes the bracketed list `[a,b]`
 * [OBS/UNDOC]; an object its JSON; null says nothing.
 */
export function attributeText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    return `[${value.map((item) => (typeof item === "string" ? item : JSON.stringify(item))).join(",")}]`;
  }
  return JSON.stringify(value);
}

/** Every member of a provider's JSON object (claims, a userInfo answer) as text. */
export function attributeTexts(source: Readonly<Record<string, unknown>>): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    const text = attributeText(value);
    if (text !== undefined) texts[name] = text;
  }
  return texts;
}
