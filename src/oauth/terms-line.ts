/**
 * The terms line of a client's managed-login sign-up page (OAUTH.md §7.3): both documents linked
 * in the page's language (`lang`), else in their default language, and nothing while either is
 * missing. Classic pages show no terms.
 */
import { termsForClient, termsLink } from "../domain/terms.js";
import type { SafeHtml } from "../pages/html.js";
import { termsContent } from "../pages/terms.js";
import type { Store } from "../store/store.js";

/** Managed login's `lang` values [DG] → the terms documents' language ids (`cognito:<id>`). */
const TERMS_LANGUAGES: Readonly<Record<string, string>> = {
  de: "german",
  en: "english",
  es: "spanish",
  fr: "french",
  id: "bahasa-indonesia",
  it: "italian",
  ja: "japanese",
  ko: "korean",
  nl: "dutch",
  "pt-br": "portuguese-brazil",
  "zh-cn": "chinese-simplified",
  "zh-tw": "chinese-traditional",
};

/** The documents' language for a page's `lang` (`pt-BR`, `fr`, `fr-CA` → french); undefined for none. */
export function termsLanguage(lang: string | undefined): string | undefined {
  if (!lang) return undefined;
  const tag = lang.toLowerCase();
  return TERMS_LANGUAGES[tag] ?? TERMS_LANGUAGES[tag.split("-")[0]];
}

/** The terms line for the client's sign-up page in `lang`, or undefined while a document is missing. */
export async function termsLineFor(
  store: Store,
  client: { poolId: string; id: string },
  lang: string | undefined,
): Promise<SafeHtml | undefined> {
  const terms = await termsForClient(store, client.poolId, client.id);
  if (!terms) return undefined;
  const language = termsLanguage(lang) ?? "default";
  const termsOfUse = termsLink(terms.termsOfUse, language);
  const privacyPolicy = termsLink(terms.privacyPolicy, language);
  return termsOfUse && privacyPolicy ? termsContent({ termsOfUse, privacyPolicy }) : undefined;
}
