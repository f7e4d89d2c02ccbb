import {
  type AssetType,
  CreateManagedLoginBrandingCommand,
  type CreateManagedLoginBrandingCommandInput,
  DeleteManagedLoginBrandingCommand,
  DeleteUserPoolClientCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  UpdateManagedLoginBrandingCommand,
  type UpdateManagedLoginBrandingCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brandingForClient } from "../../../src/domain/branding.js";
import { DEFAULT_BRANDING_SETTINGS } from "../../../src/domain/branding-defaults.js";
import { advanceClock, createClient, createPool, expectError, resetClock } from "../../support/fixtures.js";
import { startTestServer, type TestServer } from "../../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.stop());

const MISSING_POOL = "us-east-1_AAAAAAAAA";
const MISSING_STYLE = "0f8fad5b-d9cb-469f-a165-70867728950e";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>');
const OTHER_SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>');

const asset = (
  Category: AssetType["Category"],
  ColorMode: AssetType["ColorMode"],
  Bytes = SVG,
): AssetType => ({
  Category,
  ColorMode,
  Extension: "SVG",
  Bytes,
});

async function poolAndClient(): Promise<{ poolId: string; clientId: string }> {
  const poolId = await createPool(server);
  const { clientId } = await createClient(server, poolId);
  return { poolId, clientId };
}

async function create(input: CreateManagedLoginBrandingCommandInput) {
  return (await server.client.send(new CreateManagedLoginBrandingCommand(input))).ManagedLoginBranding!;
}

async function update(input: UpdateManagedLoginBrandingCommandInput) {
  return (await server.client.send(new UpdateManagedLoginBrandingCommand(input))).ManagedLoginBranding!;
}

async function describeStyle(
  UserPoolId: string,
  ManagedLoginBrandingId: string,
  ReturnMergedResources?: boolean,
) {
  return (
    await server.client.send(
      new DescribeManagedLoginBrandingCommand({ UserPoolId, ManagedLoginBrandingId, ReturnMergedResources }),
    )
  ).ManagedLoginBranding!;
}

async function describeByClient(UserPoolId: string, ClientId: string, ReturnMergedResources?: boolean) {
  return (
    await server.client.send(
      new DescribeManagedLoginBrandingByClientCommand({ UserPoolId, ClientId, ReturnMergedResources }),
    )
  ).ManagedLoginBranding!;
}

/** The member at `path` of a settings document. */
function at(document: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
}

const bytesOf = (style: { Assets?: AssetType[] }) =>
  Object.fromEntries(
    (style.Assets ?? []).map((a) => [`${a.Category}/${a.ColorMode}`, Buffer.from(a.Bytes ?? []).toString()]),
  );

describe("CreateManagedLoginBranding", () => {
  it("creates a style with its settings and assets", async () => {
    const { poolId, clientId } = await poolAndClient();
    const settings = { categories: { global: { colorSchemeMode: "DARK" } } };
    const style = await create({
      UserPoolId: poolId,
      ClientId: clientId,
      Settings: settings,
      Assets: [asset("PAGE_BACKGROUND", "DARK"), { ...asset("FORM_LOGO", "LIGHT"), ResourceId: "logo 1" }],
    });
    expect(style).toEqual({
      ManagedLoginBrandingId: expect.stringMatching(UUID_V4),
      UserPoolId: poolId,
      UseCognitoProvidedValues: false,
      Settings: settings,
      Assets: [
        {
          Category: "FORM_LOGO",
          ColorMode: "LIGHT",
          Extension: "SVG",
          ResourceId: "logo 1",
          Bytes: expect.any(Uint8Array),
        },
        { Category: "PAGE_BACKGROUND", ColorMode: "DARK", Extension: "SVG", Bytes: expect.any(Uint8Array) },
      ],
      CreationDate: expect.any(Date),
      LastModifiedDate: expect.any(Date),
    });
    expect(Buffer.from(style.Assets![0].Bytes!).equals(Buffer.from(SVG))).toBe(true);
    expect(await describeStyle(poolId, style.ManagedLoginBrandingId!)).toEqual(style);
  });

  it("creates a style of Cognito's values", async () => {
    const { poolId, clientId } = await poolAndClient();
    const style = await create({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true });
    expect(style.UseCognitoProvidedValues).toBe(true);
    expect(style.Settings).toBeUndefined();
    expect(style.Assets).toEqual([]);
  });

  it("refuses Cognito's values together with settings or assets", async () => {
    const { poolId, clientId } = await poolAndClient();
    const message = "Settings and Assets must be omitted when UseCognitoProvidedValues is true.";
    await expectError(
      create({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true, Settings: {} }),
      "InvalidParameterException",
      message,
    );
    await expectError(
      create({
        UserPoolId: poolId,
        ClientId: clientId,
        UseCognitoProvidedValues: true,
        Assets: [asset("FORM_LOGO", "LIGHT")],
      }),
      "InvalidParameterException",
      message,
    );
  });

  it("refuses settings that are not a JSON object", async () => {
    const { poolId, clientId } = await poolAndClient();
    for (const Settings of [["a"], "text", 5]) {
      await expectError(
        create({ UserPoolId: poolId, ClientId: clientId, Settings }),
        "InvalidParameterException",
        "Settings must be a JSON object.",
      );
    }
  });

  it("refuses an asset without bytes, and two assets of one category and colour mode", async () => {
    const { poolId, clientId } = await poolAndClient();
    await expectError(
      create({
        UserPoolId: poolId,
        ClientId: clientId,
        Assets: [{ Category: "FORM_LOGO", ColorMode: "DARK", Extension: "PNG" }],
      }),
      "InvalidParameterException",
      "The FORM_LOGO asset for color mode DARK has no Bytes.",
    );
    await expectError(
      create({
        UserPoolId: poolId,
        ClientId: clientId,
        Assets: [asset("FORM_LOGO", "DARK"), asset("FORM_LOGO", "DARK", OTHER_SVG)],
      }),
      "InvalidParameterException",
      "Assets can hold one FORM_LOGO asset for color mode DARK; it is given more than once.",
    );
  });

  it("applies the model's limits to assets", async () => {
    const { poolId, clientId } = await poolAndClient();
    const tooBig = await server.call("CreateManagedLoginBranding", {
      UserPoolId: poolId,
      ClientId: clientId,
      Assets: [
        {
          Category: "PAGE_BACKGROUND",
          ColorMode: "LIGHT",
          Extension: "PNG",
          Bytes: Buffer.alloc(1_000_001).toString("base64"),
        },
      ],
    });
    expect(tooBig.body).toEqual({
      __type: "InvalidParameterException",
      message:
        "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1000001 cap=1000001]' at 'assets.1.member.bytes' failed to satisfy constraint: Member must have length less than or equal to 1000000",
    });
    const tooMany = await server.call("CreateManagedLoginBranding", {
      UserPoolId: poolId,
      ClientId: clientId,
      Assets: Array.from({ length: 41 }, () => ({
        Category: "FORM_LOGO",
        ColorMode: "LIGHT",
        Extension: "PNG",
      })),
    });
    expect(tooMany.body.message).toMatch(
      /^1 validation error detected: Value '.*' at 'assets' failed to satisfy constraint: Member must have length less than or equal to 40$/,
    );
  });

  it("gives a client one style", async () => {
    const { poolId, clientId } = await poolAndClient();
    await create({ UserPoolId: poolId, ClientId: clientId });
    await expectError(
      create({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true }),
      "ManagedLoginBrandingExistsException",
      `App client ${clientId} already has a managed login branding style.`,
    );
  });

  it("gives a pool at most 20 styles", async () => {
    const poolId = await createPool(server);
    const clients = await Promise.all(Array.from({ length: 21 }, () => createClient(server, poolId)));
    for (const { clientId } of clients.slice(0, 20)) await create({ UserPoolId: poolId, ClientId: clientId });
    await expectError(
      create({ UserPoolId: poolId, ClientId: clients[20].clientId }),
      "LimitExceededException",
      "A user pool can have at most 20 managed login branding styles.",
    );
  });

  it("refuses an unknown pool or client", async () => {
    const { poolId } = await poolAndClient();
    const other = await poolAndClient();
    await expectError(
      create({ UserPoolId: MISSING_POOL, ClientId: other.clientId }),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      create({ UserPoolId: poolId, ClientId: other.clientId }),
      "ResourceNotFoundException",
      `User pool client ${other.clientId} does not exist.`,
    );
  });
});

describe("DescribeManagedLoginBranding and DescribeManagedLoginBrandingByClient", () => {
  it("show the stored settings, or with ReturnMergedResources the defaults under them", async () => {
    const { poolId, clientId } = await poolAndClient();
    const style = await create({
      UserPoolId: poolId,
      ClientId: clientId,
      Settings: { categories: { global: { colorSchemeMode: "DARK" } }, custom: { mine: true } },
    });
    const id = style.ManagedLoginBrandingId!;
    expect((await describeByClient(poolId, clientId)).Settings).toEqual(style.Settings);

    const merged = (await describeStyle(poolId, id, true)).Settings;
    expect(at(merged, "categories", "global", "colorSchemeMode")).toBe("DARK");
    expect(at(merged, "categories", "global", "spacingDensity")).toBe("REGULAR");
    expect(at(merged, "custom")).toEqual({ mine: true });
    expect(at(merged, "components")).toEqual(DEFAULT_BRANDING_SETTINGS.components);
    expect((await describeByClient(poolId, clientId, true)).Settings).toEqual(merged);
  });

  it("show the defaults as a Cognito-valued style's merged settings", async () => {
    const { poolId, clientId } = await poolAndClient();
    const style = await create({ UserPoolId: poolId, ClientId: clientId, UseCognitoProvidedValues: true });
    expect((await describeStyle(poolId, style.ManagedLoginBrandingId!, true)).Settings).toEqual(
      DEFAULT_BRANDING_SETTINGS,
    );
  });

  it("refuse an unknown pool, style or client, and a client without a style", async () => {
    const { poolId, clientId } = await poolAndClient();
    const other = await poolAndClient();
    const foreign = await create({ UserPoolId: other.poolId, ClientId: other.clientId });
    await expectError(
      describeStyle(MISSING_POOL, MISSING_STYLE),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    for (const id of [MISSING_STYLE, foreign.ManagedLoginBrandingId!]) {
      await expectError(
        describeStyle(poolId, id),
        "ResourceNotFoundException",
        `Managed login branding style ${id} does not exist.`,
      );
    }
    await expectError(
      describeByClient(poolId, clientId),
      "ResourceNotFoundException",
      `App client ${clientId} has no managed login branding style.`,
    );
    await expectError(
      describeByClient(poolId, other.clientId),
      "ResourceNotFoundException",
      `User pool client ${other.clientId} does not exist.`,
    );
    const malformed = await server.call("DescribeManagedLoginBranding", {
      UserPoolId: poolId,
      ManagedLoginBrandingId: "not-a-uuid",
    });
    expect(malformed.body.message).toBe(
      "1 validation error detected: Value 'not-a-uuid' at 'managedLoginBrandingId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$",
    );
  });
});

describe("UpdateManagedLoginBranding", () => {
  it("merges settings over the stored ones and replaces only the assets it names", async () => {
    const { poolId, clientId } = await poolAndClient();
    const style = await create({
      UserPoolId: poolId,
      ClientId: clientId,
      Settings: { categories: { global: { colorSchemeMode: "DARK", spacingDensity: "COMPACT" } } },
      Assets: [asset("FORM_LOGO", "LIGHT"), asset("PAGE_BACKGROUND", "DARK")],
    });
    advanceClock(server, 60_000);
    try {
      const updated = await update({
        UserPoolId: poolId,
        ManagedLoginBrandingId: style.ManagedLoginBrandingId,
        Settings: {
          categories: { global: { spacingDensity: "SPACIOUS" }, form: { displayGraphics: false } },
        },
        Assets: [asset("FORM_LOGO", "LIGHT", OTHER_SVG), asset("FAVICON_SVG", "DYNAMIC")],
      });
      expect(updated.Settings).toEqual({
        categories: {
          global: { colorSchemeMode: "DARK", spacingDensity: "SPACIOUS" },
          form: { displayGraphics: false },
        },
      });
      expect(bytesOf(updated)).toEqual({
        "FAVICON_SVG/DYNAMIC": Buffer.from(SVG).toString(),
        "FORM_LOGO/LIGHT": Buffer.from(OTHER_SVG).toString(),
        "PAGE_BACKGROUND/DARK": Buffer.from(SVG).toString(),
      });
      expect(updated.CreationDate).toEqual(style.CreationDate);
      expect(updated.LastModifiedDate!.getTime()).toBeGreaterThan(style.LastModifiedDate!.getTime());
      expect(await describeStyle(poolId, style.ManagedLoginBrandingId!)).toEqual(updated);
    } finally {
      resetClock(server);
    }
  });

  it("switches between Cognito's values and the style's own", async () => {
    const { poolId, clientId } = await poolAndClient();
    const style = await create({
      UserPoolId: poolId,
      ClientId: clientId,
      Settings: { categories: { global: { colorSchemeMode: "DARK" } } },
      Assets: [asset("FORM_LOGO", "LIGHT")],
    });
    const id = style.ManagedLoginBrandingId;
    const cognito = await update({
      UserPoolId: poolId,
      ManagedLoginBrandingId: id,
      UseCognitoProvidedValues: true,
    });
    expect(cognito.UseCognitoProvidedValues).toBe(true);
    expect(cognito.Settings).toBeUndefined();
    expect(cognito.Assets).toEqual([]);
    const unchanged = await update({ UserPoolId: poolId, ManagedLoginBrandingId: id });
    expect(unchanged.UseCognitoProvidedValues).toBe(true);

    const own = await update({
      UserPoolId: poolId,
      ManagedLoginBrandingId: id,
      Settings: { categories: { global: { colorSchemeMode: "LIGHT" } } },
    });
    expect(own.UseCognitoProvidedValues).toBe(false);
    expect(own.Settings).toEqual({ categories: { global: { colorSchemeMode: "LIGHT" } } });
  });

  it("refuses Cognito's values together with settings or assets", async () => {
    const { poolId, clientId } = await poolAndClient();
    const style = await create({ UserPoolId: poolId, ClientId: clientId });
    await expectError(
      update({
        UserPoolId: poolId,
        ManagedLoginBrandingId: style.ManagedLoginBrandingId,
        UseCognitoProvidedValues: true,
        Assets: [asset("FORM_LOGO", "LIGHT")],
      }),
      "InvalidParameterException",
      "Settings and Assets must be omitted when UseCognitoProvidedValues is true.",
    );
  });

  it("needs the pool and the style's id", async () => {
    const both = await server.call("UpdateManagedLoginBranding", {});
    expect(both.body).toEqual({
      __type: "InvalidParameterException",
      message:
        "2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; Value null at 'managedLoginBrandingId' failed to satisfy constraint: Member must not be null",
    });
    const id = await server.call("UpdateManagedLoginBranding", { UserPoolId: MISSING_POOL });
    expect(id.body.message).toBe(
      "1 validation error detected: Value null at 'managedLoginBrandingId' failed to satisfy constraint: Member must not be null",
    );
  });

  it("refuses an unknown pool or style", async () => {
    const { poolId } = await poolAndClient();
    await expectError(
      update({ UserPoolId: MISSING_POOL, ManagedLoginBrandingId: MISSING_STYLE }),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      update({ UserPoolId: poolId, ManagedLoginBrandingId: MISSING_STYLE }),
      "ResourceNotFoundException",
      `Managed login branding style ${MISSING_STYLE} does not exist.`,
    );
  });
});

describe("DeleteManagedLoginBranding", () => {
  it("deletes the style, after which the client can have a new one", async () => {
    const { poolId, clientId } = await poolAndClient();
    const style = await create({
      UserPoolId: poolId,
      ClientId: clientId,
      Assets: [asset("FORM_LOGO", "LIGHT")],
    });
    const id = style.ManagedLoginBrandingId!;
    await server.client.send(
      new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }),
    );
    await expectError(
      describeStyle(poolId, id),
      "ResourceNotFoundException",
      `Managed login branding style ${id} does not exist.`,
    );
    const next = await create({ UserPoolId: poolId, ClientId: clientId });
    expect(next.ManagedLoginBrandingId).not.toBe(id);
    expect(next.Assets).toEqual([]);
  });

  it("refuses an unknown pool or style", async () => {
    const { poolId } = await poolAndClient();
    await expectError(
      server.client.send(
        new DeleteManagedLoginBrandingCommand({
          UserPoolId: MISSING_POOL,
          ManagedLoginBrandingId: MISSING_STYLE,
        }),
      ),
      "ResourceNotFoundException",
      `User pool ${MISSING_POOL} does not exist.`,
    );
    await expectError(
      server.client.send(
        new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: MISSING_STYLE }),
      ),
      "ResourceNotFoundException",
      `Managed login branding style ${MISSING_STYLE} does not exist.`,
    );
  });
});

describe("the managed-login pages' appearance", () => {
  it("is the client's style merged over the defaults, with its assets' bytes", async () => {
    const { poolId, clientId } = await poolAndClient();
    const { store } = server.services;
    expect(await brandingForClient(store, poolId, clientId)).toBeUndefined();
    await create({
      UserPoolId: poolId,
      ClientId: clientId,
      Settings: { components: { form: { borderRadius: 2 } } },
      Assets: [asset("FORM_LOGO", "DARK")],
    });
    const appearance = await brandingForClient(store, poolId, clientId);
    expect(at(appearance?.settings, "components", "form", "borderRadius")).toBe(2);
    expect(at(appearance?.settings, "components", "form", "logo")).toEqual(
      at(DEFAULT_BRANDING_SETTINGS, "components", "form", "logo"),
    );
    expect(appearance?.assets).toEqual([
      { category: "FORM_LOGO", colorMode: "DARK", extension: "SVG", bytes: Buffer.from(SVG) },
    ]);
  });

  it("goes with a deleted client", async () => {
    const { poolId, clientId } = await poolAndClient();
    await create({ UserPoolId: poolId, ClientId: clientId, Assets: [asset("FORM_LOGO", "DARK")] });
    await server.client.send(new DeleteUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }));
    expect(await server.services.store.brandings.idForClient(poolId, clientId)).toBeUndefined();
  });
});
