/**
 * The classic hosted UI's customization (OAUTH.md §7.2): the CSS and logo SetUICustomization sets
 * for the pool (ClientId omitted or ALL) or for one client, GetUICustomization's view, and what the
 * classic pages use: the client's own customization, else the pool's. A client with its own no
 * longer inherits the pool's [DG].
 */
import type { SetUICustomizationRequest, UICustomizationType } from "../protocol/types.generated.js";
import type { Store } from "../store/store.js";
import type { UiCustomizationRecord } from "../store/ui-customizations.js";
import { checkClassicCss } from "./classic-css.js";
import { versionAt } from "./domains.js";
import { Errors } from "./errors.js";
import { requireClient, requirePool } from "./lookup.js";
import { clientOfRequest } from "./threat-protection.js";

/** The request SetUICustomization takes, CSS and base64 logo together [DG]. */
const MAX_REQUEST_BYTES = 135 * 1024;
const MAX_LOGO_KB = 100;
const ALL_CLIENTS = "ALL";

/** Where this server serves the logos: `<path>/<poolId>/<clientId or ALL>/<CSSVersion>/logo.<png|jpg>`. */
export const LOGO_PATH = "/_cognate/ui-customization";

const LOGO_TYPES = [
  {
    contentType: "image/png",
    extension: "png",
    magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  { contentType: "image/jpeg", extension: "jpg", magic: Buffer.from([0xff, 0xd8, 0xff]) },
];

/** The logo as stored: PNG or JPEG (by its first bytes), at most 100 KB [DG]. */
function checkLogo(base64: string): { base64: string; contentType: string } {
  const bytes = Buffer.from(base64, "base64");
  const type = LOGO_TYPES.find((t) => bytes.subarray(0, t.magic.length).equals(t.magic));
  if (!type) throw Errors.logoNotPngOrJpeg();
  if (bytes.length > MAX_LOGO_KB * 1024) throw Errors.logoTooLarge(MAX_LOGO_KB);
  return { base64: bytes.toString("base64"), contentType: type.contentType };
}

function logoUrl(record: UiCustomizationRecord, baseUrl: string): string | undefined {
  if (!record.image) return undefined;
  const extension = LOGO_TYPES.find((t) => t.contentType === record.image?.contentType)?.extension;
  const scope = record.clientId ?? ALL_CLIENTS;
  return `${baseUrl}${LOGO_PATH}/${record.poolId}/${scope}/${record.version}/logo.${extension}`;
}

function describe(record: UiCustomizationRecord, baseUrl: string): UICustomizationType {
  return {
    UserPoolId: record.poolId,
    ClientId: record.clientId ?? ALL_CLIENTS,
    ImageUrl: logoUrl(record, baseUrl),
    CSS: record.css ?? undefined,
    CSSVersion: record.version,
    CreationDate: record.createdAt,
    LastModifiedDate: record.updatedAt,
  };
}

/** The customization that applies to the client (or, without one, to the pool's clients). */
async function effective(
  store: Store,
  poolId: string,
  clientId: string | undefined,
): Promise<UiCustomizationRecord | undefined> {
  const own = clientId === undefined ? undefined : await store.uiCustomizations.get(poolId, clientId);
  return own ?? (await store.uiCustomizations.get(poolId));
}

/** The pool and, unless the request means ALL, its client. */
async function requireScope(store: Store, poolId: string, requested: string | undefined) {
  const pool = await requirePool(store, poolId);
  const clientId = clientOfRequest(requested);
  if (clientId !== undefined) await requireClient(store, pool.id, clientId);
  return { pool, clientId };
}

/** SetUICustomization: replaces CSS and logo together (an omitted one is removed). */
export async function setUiCustomization(
  store: Store,
  input: SetUICustomizationRequest,
  now: Date,
  baseUrl: string,
): Promise<UICustomizationType> {
  const { pool, clientId } = await requireScope(store, input.UserPoolId, input.ClientId);
  if ((await store.domains.listForPool(pool.id)).length === 0) throw Errors.uiCustomizationNeedsDomain();
  if (Buffer.byteLength(input.CSS ?? "") + (input.ImageFile?.length ?? 0) > MAX_REQUEST_BYTES) {
    throw Errors.uiCustomizationTooLarge();
  }
  if (input.CSS !== undefined) checkClassicCss(input.CSS);
  const image = input.ImageFile === undefined ? null : checkLogo(input.ImageFile);
  const existing = await store.uiCustomizations.get(pool.id, clientId);
  const record: UiCustomizationRecord = {
    poolId: pool.id,
    clientId,
    css: input.CSS ?? null,
    image,
    version: versionAt(now),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await store.uiCustomizations.put(record);
  return describe(record, baseUrl);
}

/** GetUICustomization: the customization that applies; without any, only the pool and client. */
export async function getUiCustomization(
  store: Store,
  poolId: string,
  requestedClient: string | undefined,
  baseUrl: string,
): Promise<UICustomizationType> {
  const { pool, clientId } = await requireScope(store, poolId, requestedClient);
  const found = await effective(store, pool.id, clientId);
  return found ? describe(found, baseUrl) : { UserPoolId: pool.id, ClientId: clientId ?? ALL_CLIENTS };
}

export interface ClassicAppearance {
  /** The customized CSS, to follow the pages' default style sheet ("" when none). */
  css: string;
  image?: { bytes: Buffer; contentType: string };
  /** Where this server serves the logo: `baseUrl` followed by LOGO_PATH/…. */
  imageUrl?: string;
}

/**
 * How the classic pages of the client look: its own customization, else the pool's, or undefined.
 * Without a client (a page that names none): the pool's.
 */
export async function uiCustomizationFor(
  store: Store,
  poolId: string,
  clientId: string | undefined,
  baseUrl = "",
): Promise<ClassicAppearance | undefined> {
  const found = await effective(store, poolId, clientId);
  if (!found) return undefined;
  return {
    css: found.css ?? "",
    ...(found.image && {
      image: { bytes: Buffer.from(found.image.base64, "base64"), contentType: found.image.contentType },
      imageUrl: logoUrl(found, baseUrl),
    }),
  };
}

/** The logo a LOGO_PATH URL names (`scope`: a client id or ALL), while it is the current one. */
export async function logoAt(
  store: Store,
  poolId: string,
  scope: string,
  version: string,
): Promise<{ bytes: Buffer; contentType: string } | undefined> {
  const record = await store.uiCustomizations.get(poolId, clientOfRequest(scope));
  if (!record?.image || record.version !== version) return undefined;
  return { bytes: Buffer.from(record.image.base64, "base64"), contentType: record.image.contentType };
}
