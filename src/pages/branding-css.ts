/**
 * A managed-login style's settings document (OAUTH.md §7.1) as the CSS custom properties our
 * stylesheet reads: colours per colour mode (light, dark, or both following the browser), corner
 * radii, the font, spacing density, where the form sits, and background images. Settings are
 * stored verbatim, so every value is checked here before it reaches the CSS: colours must be hex,
 * radii numbers, fonts plain names; anything else is left to the default.
 */

type Mode = "lightMode" | "darkMode";

/** Custom property ← path of a colour in the document, below the mode's object. */
const MODE_COLOURS: readonly [string, string, ...string[]][] = [
  ["--page", "components.pageBackground", "color"],
  ["--card", "components.form", "backgroundColor"],
  ["--card-border", "components.form", "borderColor"],
  ["--heading", "components.pageText", "headingColor"],
  ["--text", "components.pageText", "bodyColor"],
  ["--muted", "components.pageText", "descriptionColor"],
  ["--label", "componentClasses.inputLabel", "textColor"],
  ["--accent", "components.primaryButton", "defaults", "backgroundColor"],
  ["--accent-text", "components.primaryButton", "defaults", "textColor"],
  ["--accent-hover", "components.primaryButton", "hover", "backgroundColor"],
  ["--accent-hover-text", "components.primaryButton", "hover", "textColor"],
  ["--secondary-bg", "components.secondaryButton", "defaults", "backgroundColor"],
  ["--secondary-border", "components.secondaryButton", "defaults", "borderColor"],
  ["--secondary-text", "components.secondaryButton", "defaults", "textColor"],
  ["--secondary-hover-bg", "components.secondaryButton", "hover", "backgroundColor"],
  ["--link", "componentClasses.link", "defaults", "textColor"],
  ["--link-hover", "componentClasses.link", "hover", "textColor"],
  ["--focus", "componentClasses.focusState", "borderColor"],
  ["--input-bg", "componentClasses.input", "defaults", "backgroundColor"],
  ["--border", "componentClasses.input", "defaults", "borderColor"],
  ["--placeholder", "componentClasses.input", "placeholderColor"],
  ["--error-bg", "components.alert", "error", "backgroundColor"],
  ["--error-border", "components.alert", "error", "borderColor"],
  ["--error-text", "componentClasses.statusIndicator", "error", "indicatorColor"],
  ["--divider", "componentClasses.divider", "borderColor"],
  ["--option-selected", "componentClasses.optionControls", "selected", "backgroundColor"],
  ["--header-bg", "components.pageHeader", "background", "color"],
  ["--header-border", "components.pageHeader", "borderColor"],
  ["--footer-bg", "components.pageFooter", "background", "color"],
  ["--footer-border", "components.pageFooter", "borderColor"],
];

/** Custom property ← a corner radius in pixels. */
const RADII: readonly [string, string][] = [
  ["--radius-card", "components.form.borderRadius"],
  ["--radius-input", "componentClasses.input.borderRadius"],
  ["--radius-button", "componentClasses.buttons.borderRadius"],
  ["--radius-alert", "components.alert.borderRadius"],
];

const DENSITY: Readonly<Record<string, string>> = { COMPACT: "0.8", REGULAR: "1", SPACIOUS: "1.25" };
const HORIZONTAL: Readonly<Record<string, string>> = {
  START: "flex-start",
  CENTER: "center",
  END: "flex-end",
};
const VERTICAL: Readonly<Record<string, string>> = {
  TOP: "flex-start",
  CENTER: "center",
  BOTTOM: "flex-end",
};

/** The value at a dotted path, or undefined. */
export function settingAt(settings: unknown, path: string): unknown {
  let value = settings;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Cognito's RRGGBB(AA) colour as CSS, or undefined for anything else. */
export function cssColour(value: unknown): string | undefined {
  return typeof value === "string" && /^[0-9a-f]{6}([0-9a-f]{2})?$/i.test(value) ? `#${value}` : undefined;
}

function cssRadius(value: unknown): string | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= 100
    ? `${value}px`
    : undefined;
}

/** A font-family list of plain names: letters, digits, spaces, commas, hyphens, quotes. */
function cssFont(value: unknown): string | undefined {
  return typeof value === "string" && value.length <= 300 && /^[\w\s,'"-]+$/.test(value) ? value : undefined;
}

function declarations(entries: [string, string | undefined][]): string {
  return entries
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => `${name}: ${value};`)
    .join(" ");
}

/** Images by custom property, for one colour mode: CSS `url()`s of this server's asset URLs. */
export type ModeImages = Partial<
  Record<"--page-image" | "--form-image" | "--header-image" | "--footer-image", string>
>;

function modeDeclarations(settings: unknown, mode: Mode, images: ModeImages): string {
  const colours = MODE_COLOURS.map(([name, base, ...rest]): [string, string | undefined] => [
    name,
    cssColour(settingAt(settings, [base, mode, ...rest].join("."))),
  ]);
  const urls = Object.entries(images).map(([name, url]): [string, string] => [name, `url("${url}")`]);
  const scheme: [string, string] = ["color-scheme", mode === "darkMode" ? "dark" : "light"];
  return declarations([...colours, ...urls, scheme]);
}

export interface StyleImages {
  light: ModeImages;
  dark: ModeImages;
}

/** The colour modes the style shows: one, or light with dark following the browser (DYNAMIC). */
export function colourScheme(settings: unknown): "LIGHT" | "DARK" | "DYNAMIC" {
  const mode = settingAt(settings, "categories.global.colorSchemeMode");
  return mode === "LIGHT" || mode === "DARK" ? mode : "DYNAMIC";
}

/** The style sheet of a managed-login style: custom properties on `:root`, per colour mode. */
export function managedLoginCss(settings: unknown, images: StyleImages): string {
  const scheme = colourScheme(settings);
  const common = declarations([
    ...RADII.map(([name, path]): [string, string | undefined] => [
      name,
      cssRadius(settingAt(settings, path)),
    ]),
    ["--font", cssFont(settingAt(settings, "categories.global.fontFamily"))],
    ["--density", DENSITY[String(settingAt(settings, "categories.global.spacingDensity"))]],
    ["--form-justify", HORIZONTAL[String(settingAt(settings, "categories.form.location.horizontal"))]],
    ["--form-align", VERTICAL[String(settingAt(settings, "categories.form.location.vertical"))]],
  ]);
  const light = modeDeclarations(settings, "lightMode", images.light);
  const dark = modeDeclarations(settings, "darkMode", images.dark);
  const root = (...parts: string[]) => `:root { ${parts.filter(Boolean).join(" ")} }`;
  if (scheme === "LIGHT") return root(common, light);
  if (scheme === "DARK") return root(common, dark);
  return `${root(common, light)}\n@media (prefers-color-scheme: dark) { ${root(dark)} }`;
}
