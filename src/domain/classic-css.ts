/**
 * The CSS SetUICustomization accepts for the classic hosted UI (OAUTH.md §7.2): rules for Cognito's
 * `-customizable` classes only, each with its own properties, and no at-rules, scripts or markup.
 *
 * The classes and properties are the developer guide's lists, widened by what Cognito's own CSS
 * template sets (`redirect-customizable`, `text-align` on the submit button, `border-radius`, …),
 * so that the template, edited, is always accepted (docs/decisions/domains-and-branding.md).
 */
import { Errors } from "./errors.js";

const TEXT_BOX = ["padding-top", "padding-bottom", "display", "font-size"];

/** Selector → the properties it may set. */
const CUSTOMIZABLE: Readonly<Record<string, readonly string[]>> = {
  ".background-customizable": ["background-color"],
  ".banner-customizable": ["padding", "background-color"],
  ".errorMessage-customizable": [
    "margin",
    "padding",
    "font-size",
    "width",
    "background",
    "border",
    "color",
    "box-sizing",
  ],
  ".idpButton-customizable": [
    "height",
    "width",
    "text-align",
    "margin-bottom",
    "color",
    "background-color",
    "border-color",
  ],
  ".idpButton-customizable:hover": ["color", "background-color"],
  ".idpDescription-customizable": TEXT_BOX,
  ".inputField-customizable": ["width", "height", "color", "background-color", "border", "border-radius"],
  ".inputField-customizable:focus": ["border-color", "outline"],
  ".label-customizable": ["font-weight"],
  ".legalText-customizable": ["color", "font-size"],
  ".logo-customizable": ["max-width", "max-height"],
  ".passwordCheck-notValid-customizable": ["color"],
  ".passwordCheck-valid-customizable": ["color"],
  ".redirect-customizable": ["text-align"],
  ".socialButton-customizable": [
    "height",
    "text-align",
    "width",
    "margin-bottom",
    "border-radius",
    "padding",
  ],
  ".submitButton-customizable": [
    "font-size",
    "font-weight",
    "margin",
    "width",
    "height",
    "color",
    "background-color",
    "text-align",
  ],
  ".submitButton-customizable:hover": ["color", "background-color"],
  ".textDescription-customizable": TEXT_BOX,
};

/** What could run script or leave the style sheet where the pages embed it. */
const SCRIPT_OR_MARKUP = /<|javascript:|vbscript:|expression\s*\(|behavior\s*:|-moz-binding/i;

interface Rule {
  selectors: string[];
  declarations: string[];
}

/** The text without its comments. */
function withoutComments(css: string): string {
  let out = "";
  let at = 0;
  for (let start = css.indexOf("/*"); start !== -1; start = css.indexOf("/*", at)) {
    const end = css.indexOf("*/", start + 2);
    if (end === -1) throw Errors.cssSyntax("a comment is not closed");
    out += `${css.slice(at, start)} `;
    at = end + 2;
  }
  return out + css.slice(at);
}

/** Splits at `separator` where it is outside quotes and parentheses. */
function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quote = "";
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote || depth !== 0) throw Errors.cssSyntax("a string or parenthesis is not closed");
  parts.push(text.slice(start));
  return parts;
}

/** `selector, … { declaration; … }` blocks, one level deep. */
function parseRules(css: string): Rule[] {
  const rules: Rule[] = [];
  let rest = css;
  while (rest.trim() !== "") {
    const open = rest.indexOf("{");
    const close = rest.indexOf("}");
    if (open === -1 || close < open) throw Errors.cssSyntax("every rule needs a selector and a { … } block");
    const body = rest.slice(open + 1, close);
    if (body.includes("{")) throw Errors.cssSyntax("blocks cannot be nested");
    rules.push({
      selectors: rest
        .slice(0, open)
        .split(",")
        .map((s) => s.trim()),
      declarations: splitOutside(body, ";").filter((d) => d.trim() !== ""),
    });
    rest = rest.slice(close + 1);
  }
  return rules;
}

function checkDeclaration(selector: string, declaration: string): void {
  const colon = declaration.indexOf(":");
  const property = declaration.slice(0, colon).trim().toLowerCase();
  if (colon === -1 || property === "" || declaration.slice(colon + 1).trim() === "") {
    throw Errors.cssSyntax(`"${declaration.trim()}" is not a property: value declaration`);
  }
  if (!CUSTOMIZABLE[selector].includes(property)) throw Errors.cssPropertyNotCustomizable(property, selector);
}

/** Refuses CSS the classic hosted UI does not take; an empty text is fine. */
export function checkClassicCss(css: string): void {
  const text = withoutComments(css);
  if (text.includes("@")) throw Errors.cssAtRule();
  if (SCRIPT_OR_MARKUP.test(text)) throw Errors.cssScript();
  for (const rule of parseRules(text)) {
    for (const selector of rule.selectors) {
      if (!Object.hasOwn(CUSTOMIZABLE, selector)) throw Errors.cssSelectorNotCustomizable(selector);
      for (const declaration of rule.declarations) checkDeclaration(selector, declaration);
    }
  }
}
