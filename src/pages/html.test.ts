import { describe, expect, it } from "vitest";
import { html, raw } from "./html.js";

describe("html", () => {
  it("escapes interpolated text, including quotes for attribute values", () => {
    const name = `"><script>alert('x')</script>&`;
    expect(html`<input value="${name}">`.text).toBe(
      '<input value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">',
    );
  });

  it("keeps nested html and raw markup, joins arrays, and renders nothing for null, undefined and false", () => {
    const items = ["a<b", "c"].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${raw("<hr>")}${null}${undefined}${false}`.text).toBe(
      "<ul><li>a&lt;b</li><li>c</li></ul><hr>",
    );
  });
});
