/**
 * How a domain's pages look for an app client (OAUTH.md §7.1–7.2): classic (version 1) pages take
 * the client's or pool's UI customization, its CSS after ours and its logo on the banner;
 * managed-login (version 2) pages take the client's branding style, its settings as our
 * stylesheet's custom properties and its images where the settings enable them. A client without
 * a style cannot use managed login [DG], unless the configuration shows it the default style.
 */
import {
  type AppearanceAsset,
  brandingAssetUrl,
  brandingForClient,
  DEFAULT_APPEARANCE,
  type ManagedLoginAppearance,
} from "../domain/branding.js";
import { uiCustomizationFor } from "../domain/ui-customization.js";
import { colourScheme, type ModeImages, managedLoginCss, settingAt } from "../pages/branding-css.js";
import type { Branding, Picture } from "../pages/layout.js";
import type { ClientRecord } from "../store/records.js";
import type { EndpointRequest } from "./endpoint.js";

/** Classic pages: the customization's CSS and logo (served by the assets route on this server). */
export async function classicBranding(
  request: EndpointRequest,
  client: ClientRecord | undefined,
): Promise<Branding | undefined> {
  const found = await uiCustomizationFor(request.services.store, request.site.pool.id, client?.id);
  return found && { css: found.css || undefined, logoUrl: found.imageUrl };
}

/**
 * The style a managed-login page of the client is shown in: its own, or the default one for a page
 * without a client or, where configured, for a client without a style; undefined when managed
 * login is unavailable to the client.
 */
export async function managedAppearance(
  request: EndpointRequest,
  client: ClientRecord | undefined,
): Promise<ManagedLoginAppearance | undefined> {
  if (!client) return DEFAULT_APPEARANCE;
  const own = await brandingForClient(request.services.store, client.poolId, client.id);
  if (own) return own;
  return request.services.config.domains.unstyledClients === "default" ? DEFAULT_APPEARANCE : undefined;
}

type ColourMode = "LIGHT" | "DARK";

/** The image of a category for a colour mode: that mode's, else the one for both, else the other mode's. */
function assetFor(
  assets: AppearanceAsset[],
  category: string,
  mode: ColourMode,
): AppearanceAsset | undefined {
  const of = (colorMode: string) => assets.find((a) => a.category === category && a.colorMode === colorMode);
  return of(mode) ?? of("DYNAMIC") ?? of(mode === "LIGHT" ? "DARK" : "LIGHT");
}

/** Builds the page's images of one style and client. */
function imagesOf(client: ClientRecord | undefined, appearance: ManagedLoginAppearance) {
  const { settings, assets } = appearance;
  const scheme = colourScheme(settings);
  const url = (category: string, mode: ColourMode) => {
    const asset = assetFor(assets, category, mode);
    return asset && client && brandingAssetUrl(client.poolId, client.id, appearance, asset);
  };
  /** The image where the setting at `enabledAt` turns it on, in the modes the style shows. */
  const picture = (category: string, enabledAt: string): Picture | undefined => {
    if (settingAt(settings, enabledAt) !== true) return undefined;
    const light = url(category, "LIGHT");
    const dark = url(category, "DARK");
    if (scheme === "DARK") return dark ? { src: dark } : undefined;
    if (!light) return undefined;
    return scheme === "DYNAMIC" && dark && dark !== light ? { src: light, darkSrc: dark } : { src: light };
  };
  return { url, picture };
}

const BACKGROUNDS: readonly [keyof ModeImages, string, string][] = [
  ["--page-image", "PAGE_BACKGROUND", "components.pageBackground.image.enabled"],
  ["--form-image", "FORM_BACKGROUND", "components.form.backgroundImage.enabled"],
  ["--header-image", "PAGE_HEADER_BACKGROUND", "components.pageHeader.backgroundImage.enabled"],
  ["--footer-image", "PAGE_FOOTER_BACKGROUND", "components.pageFooter.backgroundImage.enabled"],
];

const FAVICONS: readonly [string, string, string][] = [
  ["FAVICON_SVG", "SVG", "image/svg+xml"],
  ["FAVICON_ICO", "ICO", "image/x-icon"],
];

/** A managed-login page's branding: the style's CSS, logos, backgrounds and favicons. */
export function managedBranding(
  client: ClientRecord | undefined,
  appearance: ManagedLoginAppearance,
): Branding {
  const { settings } = appearance;
  const { url, picture } = imagesOf(client, appearance);
  const backgrounds = (mode: ColourMode): ModeImages =>
    Object.fromEntries(
      BACKGROUNDS.filter(([, , enabledAt]) => settingAt(settings, enabledAt) === true)
        .map(([name, category]) => [name, url(category, mode)])
        .filter((entry) => entry[1] !== undefined),
    );
  const bandOf = (band: "pageHeader" | "pageFooter", logo: string) =>
    settingAt(settings, `categories.global.${band}.enabled`) === true
      ? { logo: picture(logo, `components.${band}.logo.enabled`) }
      : undefined;
  const enabledIcons = settingAt(settings, "components.favicon.enabledTypes");
  const favicons = FAVICONS.filter(([, type]) => Array.isArray(enabledIcons) && enabledIcons.includes(type))
    .map(([category, , mediaType]) => ({ href: url(category, "LIGHT"), type: mediaType }))
    .filter((icon): icon is { href: string; type: string } => icon.href !== undefined);
  return {
    css: managedLoginCss(settings, { light: backgrounds("LIGHT"), dark: backgrounds("DARK") }),
    formLogo: picture("FORM_LOGO", "components.form.logo.enabled"),
    header: bandOf("pageHeader", "PAGE_HEADER_LOGO"),
    footer: bandOf("pageFooter", "PAGE_FOOTER_LOGO"),
    favicons,
  };
}
