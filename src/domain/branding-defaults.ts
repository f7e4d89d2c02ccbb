/**
 * The managed-login style this server applies where a style leaves a setting out, and what
 * `ReturnMergedResources` merges under a stored style (OAUTH.md §7.1). Cognito's own defaults are
 * not published: this is a local design in the shape of Cognito's settings documents
 * (`categories`, `componentClasses`, `components`; colours as RRGGBBAA hex), light and dark.
 * `categories.global.fontFamily` is a local addition: Cognito's documents name no font, and the
 * pages need one (docs/decisions/domains-and-branding.md).
 */
import { deepFreeze } from "../store/json.js";

/** Light and dark values of one setting. */
const modes = (lightMode: object, darkMode: object) => ({ lightMode, darkMode });

const INK = { light: "1b1f2aff", dark: "e6e8eeff" };
const MUTED = { light: "5a6172ff", dark: "a2a9b8ff" };
const ACCENT = { light: "3451b2ff", dark: "8fa6f5ff" };
const ACCENT_STRONG = { light: "24398aff", dark: "b4c3f9ff" };
const SURFACE = { light: "ffffffff", dark: "151922ff" };
const PAGE = { light: "f4f5f8ff", dark: "0c0f15ff" };
const BORDER = { light: "c9cdd6ff", dark: "3a4150ff" };

export const DEFAULT_BRANDING_SETTINGS: Readonly<Record<string, unknown>> = deepFreeze({
  categories: {
    global: {
      colorSchemeMode: "DYNAMIC",
      spacingDensity: "REGULAR",
      fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
      pageHeader: { enabled: false },
      pageFooter: { enabled: false },
    },
    form: {
      displayGraphics: true,
      location: { horizontal: "CENTER", vertical: "CENTER" },
      instructions: { enabled: false },
      languageSelector: { enabled: false },
      sessionTimerDisplay: "NONE",
    },
    auth: {
      authMethodOrder: [
        [
          { display: "BUTTON", type: "FEDERATED" },
          { display: "INPUT", type: "USERNAME_PASSWORD" },
        ],
      ],
      federation: { interfaceStyle: "BUTTON_LIST", order: [] },
    },
  },
  componentClasses: {
    buttons: { borderRadius: 6 },
    divider: modes({ borderColor: "e3e5eaff" }, { borderColor: "262c38ff" }),
    focusState: modes({ borderColor: ACCENT.light }, { borderColor: ACCENT.dark }),
    idpButtons: { icons: { enabled: true } },
    input: {
      borderRadius: 6,
      ...modes(
        {
          defaults: { backgroundColor: SURFACE.light, borderColor: BORDER.light },
          placeholderColor: MUTED.light,
        },
        { defaults: { backgroundColor: "10141cff", borderColor: BORDER.dark }, placeholderColor: MUTED.dark },
      ),
    },
    inputDescription: modes({ textColor: MUTED.light }, { textColor: MUTED.dark }),
    inputLabel: modes({ textColor: INK.light }, { textColor: INK.dark }),
    link: modes(
      { defaults: { textColor: ACCENT.light }, hover: { textColor: ACCENT_STRONG.light } },
      { defaults: { textColor: ACCENT.dark }, hover: { textColor: ACCENT_STRONG.dark } },
    ),
    optionControls: modes(
      {
        defaults: { backgroundColor: SURFACE.light, borderColor: BORDER.light },
        selected: { backgroundColor: ACCENT.light, foregroundColor: "ffffffff" },
      },
      {
        defaults: { backgroundColor: "10141cff", borderColor: BORDER.dark },
        selected: { backgroundColor: ACCENT.dark, foregroundColor: "0c0f15ff" },
      },
    ),
    statusIndicator: modes(
      {
        error: { backgroundColor: "fdf2f2ff", borderColor: "c62828ff", indicatorColor: "c62828ff" },
        success: { backgroundColor: "f0f8f1ff", borderColor: "2e7d32ff", indicatorColor: "2e7d32ff" },
        warning: { backgroundColor: "fff8e6ff", borderColor: "9a6700ff", indicatorColor: "9a6700ff" },
      },
      {
        error: { backgroundColor: "2a1214ff", borderColor: "f28b82ff", indicatorColor: "f28b82ff" },
        success: { backgroundColor: "10261aff", borderColor: "81c995ff", indicatorColor: "81c995ff" },
        warning: { backgroundColor: "2a2210ff", borderColor: "fdd663ff", indicatorColor: "fdd663ff" },
      },
    ),
  },
  components: {
    alert: {
      borderRadius: 8,
      ...modes(
        { error: { backgroundColor: "fdf2f2ff", borderColor: "c62828ff" } },
        { error: { backgroundColor: "2a1214ff", borderColor: "f28b82ff" } },
      ),
    },
    favicon: { enabledTypes: ["ICO", "SVG"] },
    form: {
      borderRadius: 10,
      backgroundImage: { enabled: false },
      logo: { enabled: false, location: "CENTER", position: "TOP", formInclusion: "IN" },
      ...modes(
        { backgroundColor: SURFACE.light, borderColor: "dde0e6ff" },
        { backgroundColor: SURFACE.dark, borderColor: "2b313dff" },
      ),
    },
    pageBackground: {
      image: { enabled: false },
      ...modes({ color: PAGE.light }, { color: PAGE.dark }),
    },
    pageHeader: {
      backgroundImage: { enabled: false },
      logo: { enabled: false, location: "START" },
      ...modes(
        { background: { color: SURFACE.light }, borderColor: "e3e5eaff" },
        { background: { color: SURFACE.dark }, borderColor: "262c38ff" },
      ),
    },
    pageFooter: {
      backgroundImage: { enabled: false },
      logo: { enabled: false, location: "START" },
      ...modes(
        { background: { color: SURFACE.light }, borderColor: "e3e5eaff" },
        { background: { color: SURFACE.dark }, borderColor: "262c38ff" },
      ),
    },
    pageText: modes(
      { headingColor: INK.light, bodyColor: MUTED.light, descriptionColor: MUTED.light },
      { headingColor: INK.dark, bodyColor: MUTED.dark, descriptionColor: MUTED.dark },
    ),
    phoneNumberSelector: { displayType: "TEXT" },
    primaryButton: modes(
      {
        defaults: { backgroundColor: ACCENT.light, textColor: "ffffffff" },
        hover: { backgroundColor: ACCENT_STRONG.light, textColor: "ffffffff" },
        active: { backgroundColor: ACCENT_STRONG.light, textColor: "ffffffff" },
        disabled: { backgroundColor: "e3e5eaff", borderColor: "e3e5eaff" },
      },
      {
        defaults: { backgroundColor: ACCENT.dark, textColor: "0c0f15ff" },
        hover: { backgroundColor: ACCENT_STRONG.dark, textColor: "0c0f15ff" },
        active: { backgroundColor: ACCENT_STRONG.dark, textColor: "0c0f15ff" },
        disabled: { backgroundColor: "262c38ff", borderColor: "262c38ff" },
      },
    ),
    secondaryButton: modes(
      {
        defaults: { backgroundColor: SURFACE.light, borderColor: ACCENT.light, textColor: ACCENT.light },
        hover: {
          backgroundColor: "eef1fbff",
          borderColor: ACCENT_STRONG.light,
          textColor: ACCENT_STRONG.light,
        },
        active: {
          backgroundColor: "e0e6f8ff",
          borderColor: ACCENT_STRONG.light,
          textColor: ACCENT_STRONG.light,
        },
      },
      {
        defaults: { backgroundColor: SURFACE.dark, borderColor: ACCENT.dark, textColor: ACCENT.dark },
        hover: {
          backgroundColor: "1c2231ff",
          borderColor: ACCENT_STRONG.dark,
          textColor: ACCENT_STRONG.dark,
        },
        active: {
          backgroundColor: "232a3cff",
          borderColor: ACCENT_STRONG.dark,
          textColor: ACCENT_STRONG.dark,
        },
      },
    ),
    idpButton: {
      custom: {},
      standard: modes(
        {
          defaults: { backgroundColor: SURFACE.light, borderColor: BORDER.light, textColor: INK.light },
          hover: { backgroundColor: "f4f5f8ff", borderColor: ACCENT.light, textColor: ACCENT.light },
          active: {
            backgroundColor: "eef1fbff",
            borderColor: ACCENT_STRONG.light,
            textColor: ACCENT_STRONG.light,
          },
        },
        {
          defaults: { backgroundColor: SURFACE.dark, borderColor: BORDER.dark, textColor: INK.dark },
          hover: { backgroundColor: "1c2231ff", borderColor: ACCENT.dark, textColor: ACCENT.dark },
          active: {
            backgroundColor: "232a3cff",
            borderColor: ACCENT_STRONG.dark,
            textColor: ACCENT_STRONG.dark,
          },
        },
      ),
    },
  },
});
