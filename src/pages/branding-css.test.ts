/** A managed-login settings document as custom properties: what is taken, and what is left out. */
import { describe, expect, it } from "vitest";
import { cssColour, managedLoginCss } from "./branding-css.js";

describe("managedLoginCss", () => {
  it("maps colours per mode, radii, font, density and the form's place", () => {
    const css = managedLoginCss(
      {
        categories: {
          global: {
            colorSchemeMode: "DYNAMIC",
            spacingDensity: "COMPACT",
            fontFamily: "'Inter', sans-serif",
          },
          form: { location: { horizontal: "END", vertical: "TOP" } },
        },
        componentClasses: { input: { borderRadius: 0, lightMode: { defaults: { borderColor: "112233" } } } },
        components: {
          primaryButton: {
            lightMode: { defaults: { backgroundColor: "aabbccff" } },
            darkMode: { defaults: { backgroundColor: "010203ff" } },
          },
        },
      },
      { light: { "--page-image": "/_cognate/managed-login/p/c/1/PAGE_BACKGROUND-LIGHT.png" }, dark: {} },
    );
    const [light, dark] = css.split("@media (prefers-color-scheme: dark)");
    expect(light).toContain("--accent: #aabbccff;");
    expect(light).toContain("--border: #112233;");
    expect(light).toContain("--radius-input: 0px;");
    expect(light).toContain("--font: 'Inter', sans-serif;");
    expect(light).toContain("--density: 0.8;");
    expect(light).toContain("--form-justify: flex-end;");
    expect(light).toContain("--form-align: flex-start;");
    expect(light).toContain('--page-image: url("/_cognate/managed-login/p/c/1/PAGE_BACKGROUND-LIGHT.png");');
    expect(light).toContain("color-scheme: light;");
    expect(dark).toContain("--accent: #010203ff;");
    expect(dark).toContain("color-scheme: dark;");
  });

  it("shows one mode only when the style says LIGHT or DARK", () => {
    const settings = (mode: string) => ({
      categories: { global: { colorSchemeMode: mode } },
      components: {
        form: { lightMode: { backgroundColor: "ffffff" }, darkMode: { backgroundColor: "000000" } },
      },
    });
    const none = { light: {}, dark: {} };
    expect(managedLoginCss(settings("LIGHT"), none)).toBe(":root { --card: #ffffff; color-scheme: light; }");
    expect(managedLoginCss(settings("DARK"), none)).toBe(":root { --card: #000000; color-scheme: dark; }");
  });

  it("leaves out values that are not plain colours, radii, fonts or known words", () => {
    const css = managedLoginCss(
      {
        categories: {
          global: { fontFamily: "x;}body{display:none", spacingDensity: "HUGE", colorSchemeMode: "LIGHT" },
        },
        componentClasses: { buttons: { borderRadius: "4px;}" } },
        components: { form: { borderRadius: 1000, lightMode: { backgroundColor: "red" } } },
      },
      { light: {}, dark: {} },
    );
    expect(css).toBe(":root { color-scheme: light; }");
    expect(cssColour("12345")).toBeUndefined();
    expect(cssColour("0a0B0c")).toBe("#0a0B0c");
  });
});
