import {
  CreateUserPoolDomainCommand,
  DeleteUserPoolClientCommand,
  GetUICustomizationCommand,
  SetUICustomizationCommand,
  type SetUICustomizationCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uiCustomizationFor } from "../../../src/domain/ui-customization.js";
import { createClient, createPool, expectError } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const MISSING_POOL = "us-east-1_AAAAAAAAA";
/** A 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
/** The start of a JPEG (SOI and an APP0 marker), enough to be told from other formats. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60, 7)]);
const GIF = Buffer.from("GIF89a\u0001\u0000\u0001\u0000", "latin1");
const LABEL_CSS = ".label-customizable { font-weight: 400; }";

/** Cognito's own CSS template, as the AWS CLI's example sends it. */
const TEMPLATE_CSS = `.logo-customizable {\n\tmax-width: 60%;\n\tmax-height: 30%;\n}\n.banner-customizable {\n\tpadding: 25px 0px 25px 0px;\n\tbackground-color: lightgray;\n}\n.label-customizable {\n\tfont-weight: 400;\n}\n.textDescription-customizable {\n\tpadding-top: 10px;\n\tpadding-bottom: 10px;\n\tdisplay: block;\n\tfont-size: 16px;\n}\n.idpDescription-customizable {\n\tpadding-top: 10px;\n\tpadding-bottom: 10px;\n\tdisplay: block;\n\tfont-size: 16px;\n}\n.legalText-customizable {\n\tcolor: #747474;\n\tfont-size: 11px;\n}\n.submitButton-customizable {\n\tfont-size: 11px;\n\tfont-weight: normal;\n\tmargin: 20px -15px 10px -13px;\n\theight: 40px;\n\twidth: 108%;\n\tcolor: #fff;\n\tbackground-color: #337ab7;\n\ttext-align: center;\n}\n.submitButton-customizable:hover {\n\tcolor: #fff;\n\tbackground-color: #286090;\n}\n.errorMessage-customizable {\n\tpadding: 5px;\n\tfont-size: 14px;\n\twidth: 100%;\n\tbackground: #F5F5F5;\n\tborder: 2px solid #D64958;\n\tcolor: #D64958;\n}\n.inputField-customizable {\n\twidth: 100%;\n\theight: 34px;\n\tcolor: #555;\n\tbackground-color: #fff;\n\tborder: 1px solid #ccc;\n\tborder-radius: 0px;\n}\n.inputField-customizable:focus {\n\tborder-color: #66afe9;\n\toutline: 0;\n}\n.idpButton-customizable {\n\theight: 40px;\n\twidth: 100%;\n\twidth: 100%;\n\ttext-align: center;\n\tmargin-bottom: 15px;\n\tcolor: #fff;\n\tbackground-color: #5bc0de;\n\tborder-color: #46b8da;\n}\n.idpButton-customizable:hover {\n\tcolor: #fff;\n\tbackground-color: #31b0d5;\n}\n.socialButton-customizable {\n\tborder-radius: 2px;\n\theight: 40px;\n\tmargin-bottom: 15px;\n\tpadding: 1px;\n\ttext-align: left;\n\twidth: 100%;\n}\n.redirect-customizable {\n\ttext-align: center;\n}\n.passwordCheck-notValid-customizable {\n\tcolor: #DF3312;\n}\n.passwordCheck-valid-customizable {\n\tcolor: #19BF00;\n}\n.background-customizable {\n\tbackground-color: #fff;\n}\n`;

let serial = 0;
/** A pool with a prefix domain, and one of its clients. */
async function poolWithDomain(): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server);
  serial += 1;
  await server.client.send(
    new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: `ui-${serial}-${process.pid}` }),
  );
  const { clientId } = await createClient(server, poolId);
  return { poolId, clientId };
}

async function set(input: SetUICustomizationCommandInput) {
  return (await server.client.send(new SetUICustomizationCommand(input))).UICustomization!;
}

async function get(userPoolId: string, clientId?: string) {
  return (
    await server.client.send(new GetUICustomizationCommand({ UserPoolId: userPoolId, ClientId: clientId }))
  ).UICustomization!;
}

async function fetchImage(url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

describe("SetUICustomization", () => {
  it("sets the pool's default CSS and logo, served at ImageUrl by this server", async () => {
    const { poolId } = await poolWithDomain();
    const set1 = await set({ UserPoolId: poolId, CSS: LABEL_CSS, ImageFile: PNG });
    expect(set1).toEqual({
      UserPoolId: poolId,
      ClientId: "ALL",
      CSS: LABEL_CSS,
      CSSVersion: expect.stringMatching(/^20\d{12}$/),
      ImageUrl: `${server.url}/_cognate/ui-customization/${poolId}/ALL/${set1.CSSVersion}/logo.png`,
      CreationDate: expect.any(Date),
      LastModifiedDate: expect.any(Date),
    });
    const image = await fetchImage(set1.ImageUrl!);
    expect(image.status).toBe(200);
    expect(image.type).toBe("image/png");
    expect(image.bytes.equals(PNG)).toBe(true);
  });

  it("serves a JPEG logo as image/jpeg", async () => {
    const { poolId, clientId } = await poolWithDomain();
    const set1 = await set({ UserPoolId: poolId, ClientId: clientId, ImageFile: JPEG });
    expect(set1.ImageUrl).toBe(
      `${server.url}/_cognate/ui-customization/${poolId}/${clientId}/${set1.CSSVersion}/logo.jpg`,
    );
    expect(set1.CSS).toBeUndefined();
    const image = await fetchImage(set1.ImageUrl!);
    expect(image.type).toBe("image/jpeg");
    expect(image.bytes.equals(JPEG)).toBe(true);
  });

  it("sets CSS and logo together: a later request without a logo removes it", async () => {
    const { poolId } = await poolWithDomain();
    const first = await set({ UserPoolId: poolId, ClientId: "ALL", CSS: LABEL_CSS, ImageFile: PNG });
    const second = await set({
      UserPoolId: poolId,
      ClientId: "ALL",
      CSS: ".legalText-customizable { color: #333 }",
    });
    expect(second.ImageUrl).toBeUndefined();
    expect(second.CSS).toBe(".legalText-customizable { color: #333 }");
    expect(second.CreationDate).toEqual(first.CreationDate);
    expect((await fetchImage(first.ImageUrl!)).status).toBe(404);
  });

  it("accepts Cognito's own CSS template", async () => {
    const { poolId } = await poolWithDomain();
    expect((await set({ UserPoolId: poolId, CSS: TEMPLATE_CSS })).CSS).toBe(TEMPLATE_CSS);
  });

  it("accepts comments, selector lists and values with parentheses", async () => {
    const { poolId } = await poolWithDomain();
    const css =
      "/* brand */ .submitButton-customizable, .idpButton-customizable { background-color: rgb(10, 20, 30); color: #fff !important }";
    expect((await set({ UserPoolId: poolId, CSS: css })).CSS).toBe(css);
  });

  it("needs a domain", async () => {
    const poolId = await createPool(server);
    await expectError(
      set({ UserPoolId: poolId, CSS: LABEL_CSS }),
      "InvalidParameterException",
      "A domain must be associated with this user pool.",
    );
  });

  it("refuses an unknown pool or client", async () => {
    const { poolId } = await poolWithDomain();
    const other = await poolWithDomain();
    await expectError(
      set({ UserPoolId: MISSING_POOL, CSS: LABEL_CSS }),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      set({ UserPoolId: poolId, ClientId: "nosuchclient", CSS: LABEL_CSS }),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
    await expectError(
      set({ UserPoolId: poolId, ClientId: other.clientId, CSS: LABEL_CSS }),
      "ResourceNotFoundException",
      `User pool client ${other.clientId} does not exist.`,
    );
  });

  it("refuses classes and properties that are not customizable", async () => {
    const { poolId } = await poolWithDomain();
    const cases: [string, string][] = [
      [".banner { padding: 1px }", "The CSS selector .banner is not one of the customizable classes."],
      ["body { color: red }", "The CSS selector body is not one of the customizable classes."],
      [
        ".label-customizable:hover { font-weight: 400 }",
        "The CSS selector .label-customizable:hover is not one of the customizable classes.",
      ],
      [
        ".label-customizable, .nope-customizable { font-weight: 400 }",
        "The CSS selector .nope-customizable is not one of the customizable classes.",
      ],
      [
        ".label-customizable { color: red }",
        "The CSS property color cannot be customized for .label-customizable.",
      ],
      [
        ".submitButton-customizable:hover { font-size: 20px }",
        "The CSS property font-size cannot be customized for .submitButton-customizable:hover.",
      ],
    ];
    for (const [css, message] of cases) {
      await expectError(set({ UserPoolId: poolId, CSS: css }), "InvalidParameterException", message);
    }
  });

  it("refuses at-rules, scripts and markup", async () => {
    const { poolId } = await poolWithDomain();
    const atRule =
      "CSS at-rules such as @import, @media, @supports and @page are not allowed in the UI customization.";
    const script = "The UI customization CSS must not contain scripts or markup.";
    const cases: [string, string][] = [
      ['@import url("https://example.com/x.css");', atRule],
      ["@media (max-width: 600px) { .label-customizable { font-weight: 400 } }", atRule],
      ["@supports (display: grid) { .label-customizable { font-weight: 400 } }", atRule],
      ["@page { margin: 1cm }", atRule],
      [".label-customizable { font-weight: expression(alert(1)) }", script],
      [".errorMessage-customizable { background: url(javascript:alert(1)) }", script],
      [".label-customizable { font-weight: 400 } </style><script>alert(1)</script>", script],
    ];
    for (const [css, message] of cases) {
      await expectError(set({ UserPoolId: poolId, CSS: css }), "InvalidParameterException", message);
    }
  });

  it("refuses CSS it cannot read", async () => {
    const { poolId } = await poolWithDomain();
    const cases: [string, string][] = [
      [".label-customizable { font-weight 400 }", '"font-weight 400" is not a property: value declaration'],
      [".label-customizable { font-weight: 400 ", "every rule needs a selector and a { … } block"],
      [".label-customizable { font-weight: 400 } /* open", "a comment is not closed"],
      [".label-customizable { .legalText-customizable { color: red } }", "blocks cannot be nested"],
      ['.errorMessage-customizable { background: url("x) }', "a string or parenthesis is not closed"],
    ];
    for (const [css, detail] of cases) {
      await expectError(
        set({ UserPoolId: poolId, CSS: css }),
        "InvalidParameterException",
        `The UI customization CSS could not be read: ${detail}.`,
      );
    }
  });

  it("takes PNG and JPEG logos of at most 100 KB", async () => {
    const { poolId } = await poolWithDomain();
    await expectError(
      set({ UserPoolId: poolId, ImageFile: GIF }),
      "InvalidParameterException",
      "The logo image must be a PNG or JPEG file.",
    );
    const large = Buffer.concat([PNG, Buffer.alloc(100 * 1024 + 1 - PNG.length)]);
    await expectError(
      set({ UserPoolId: poolId, ImageFile: large }),
      "InvalidParameterException",
      "The logo image must not be larger than 100 KB.",
    );
    const limit = Buffer.concat([PNG, Buffer.alloc(100 * 1024 - PNG.length)]);
    const accepted = await set({ UserPoolId: poolId, ImageFile: limit });
    expect((await fetchImage(accepted.ImageUrl!)).bytes.length).toBe(100 * 1024);
  });

  it("refuses a logo and CSS larger together than 135 KB", async () => {
    const { poolId } = await poolWithDomain();
    const logo = Buffer.concat([PNG, Buffer.alloc(100 * 1024 - PNG.length)]);
    const css = `/* ${"x".repeat(2000)} */ ${LABEL_CSS}`;
    await expectError(
      set({ UserPoolId: poolId, ImageFile: logo, CSS: css }),
      "InvalidParameterException",
      "request parameters too large",
    );
  });

  it("applies the model's length limits to the logo's bytes and the CSS", async () => {
    const { poolId } = await poolWithDomain();
    const res = await server.call("SetUICustomization", {
      UserPoolId: poolId,
      ImageFile: Buffer.alloc(140_000).toString("base64"),
      CSS: "x".repeat(131_073),
    });
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe("InvalidParameterException");
    expect(res.body.message).toMatch(/^2 validation errors detected: /);
    expect(res.body.message).toContain(
      "Value 'java.nio.HeapByteBuffer[pos=0 lim=140000 cap=140000]' at 'imageFile' failed to satisfy constraint: Member must have length less than or equal to 131072",
    );
    expect(res.body.message).toContain(
      "at 'cSS' failed to satisfy constraint: Member must have length less than or equal to 131072",
    );
  });
});

describe("GetUICustomization", () => {
  it("shows the pool and client alone when nothing is set", async () => {
    const { poolId, clientId } = await poolWithDomain();
    expect(await get(poolId)).toEqual({ UserPoolId: poolId, ClientId: "ALL" });
    expect(await get(poolId, clientId)).toEqual({ UserPoolId: poolId, ClientId: clientId });
  });

  it("gives a client without its own settings the pool's, and one with its own only those", async () => {
    const { poolId, clientId } = await poolWithDomain();
    const pool = await set({ UserPoolId: poolId, CSS: LABEL_CSS, ImageFile: PNG });
    expect(await get(poolId, clientId)).toEqual(pool);
    expect(await get(poolId, "ALL")).toEqual(pool);

    const own = await set({
      UserPoolId: poolId,
      ClientId: clientId,
      CSS: ".legalText-customizable { color: #222 }",
    });
    expect(own.ClientId).toBe(clientId);
    const got = await get(poolId, clientId);
    expect(got).toEqual(own);
    expect(got.ImageUrl).toBeUndefined();
    expect(await get(poolId)).toEqual(pool);
  });

  it("refuses an unknown pool or client", async () => {
    const { poolId } = await poolWithDomain();
    await expectError(
      get(MISSING_POOL),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      get(poolId, "nosuchclient"),
      "ResourceNotFoundException",
      "User pool client nosuchclient does not exist.",
    );
  });
});

describe("the classic pages' appearance", () => {
  it("is the client's own customization, else the pool's, else none", async () => {
    const { poolId, clientId } = await poolWithDomain();
    const { store } = server.services;
    expect(await uiCustomizationFor(store, poolId, clientId)).toBeUndefined();

    const pool = await set({ UserPoolId: poolId, CSS: LABEL_CSS, ImageFile: PNG });
    const inherited = await uiCustomizationFor(store, poolId, clientId, server.url);
    expect(inherited?.css).toBe(LABEL_CSS);
    expect(inherited?.image?.contentType).toBe("image/png");
    expect(inherited?.image?.bytes.equals(PNG)).toBe(true);
    expect(inherited?.imageUrl).toBe(pool.ImageUrl);

    await set({ UserPoolId: poolId, ClientId: clientId });
    expect(await uiCustomizationFor(store, poolId, clientId)).toEqual({ css: "" });
  });

  it("goes with a deleted client", async () => {
    const { poolId, clientId } = await poolWithDomain();
    await set({ UserPoolId: poolId, ClientId: clientId, CSS: LABEL_CSS });
    await server.client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    expect(await server.services.store.uiCustomizations.get(poolId, clientId)).toBeUndefined();
  });
});
