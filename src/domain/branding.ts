/**
 * Managed-login branding styles (OAUTH.md §7.1): one per app client, at most 20 per pool. A style
 * is Cognito's default (UseCognitoProvidedValues) or a Settings document and image Assets, sent
 * in parts if need be: an update merges its settings over the stored ones and replaces only the
 * assets it names (by category and colour mode). ReturnMergedResources shows the settings merged
 * over the defaults of branding-defaults.ts, which the sign-in pages use as well.
 */
import { newUuid } from "../crypto/random.js";
import type {
  AssetType,
  CreateManagedLoginBrandingRequest,
  ManagedLoginBrandingType,
  UpdateManagedLoginBrandingRequest,
} from "../protocol/types.generated.js";
import type { BrandingAsset, BrandingRecord } from "../store/brandings.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import { deepFreeze } from "../store/json.js";
import type { Store } from "../store/store.js";
import { DEFAULT_BRANDING_SETTINGS } from "./branding-defaults.js";
import { Errors } from "./errors.js";
import { requireClient, requirePool } from "./lookup.js";

/** Styles per pool [DG quotas]. */
const MAX_STYLES_PER_POOL = 20;
/** The model's AssetListType maximum, held for a style's merged assets too. */
const MAX_ASSETS = 40;

type Settings = Record<string, unknown>;

interface StyleContent {
  UseCognitoProvidedValues?: boolean;
  Settings?: unknown;
  Assets?: AssetType[];
}

function isObject(value: unknown): value is Settings {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `override` over `base`: objects merge member by member; anything else in `override` replaces. */
export function mergeSettings(base: Settings, override: Settings): Settings {
  const merged: Settings = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const under = merged[key];
    merged[key] = isObject(under) && isObject(value) ? mergeSettings(under, value) : value;
  }
  return merged;
}

/** Cognito's values exclude a document of one's own; a document must be a JSON object. */
function checkContent(content: StyleContent): void {
  if (content.UseCognitoProvidedValues && (content.Settings !== undefined || content.Assets !== undefined)) {
    throw Errors.cognitoProvidedValuesExclusive();
  }
  if (content.Settings !== undefined && !isObject(content.Settings)) throw Errors.brandingSettingsNotObject();
}

const assetKey = (asset: BrandingAsset) => `${asset.category} ${asset.colorMode}`;

function byCategoryAndMode(a: BrandingAsset, b: BrandingAsset): number {
  const [x, y] = [assetKey(a), assetKey(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `given` replaces the assets of its categories and colour modes among `current`. */
function mergeAssets(current: BrandingAsset[], given: AssetType[]): BrandingAsset[] {
  const byKey = new Map(current.map((asset) => [assetKey(asset), asset]));
  const seen = new Set<string>();
  for (const asset of given) {
    if (asset.Bytes === undefined) throw Errors.brandingAssetWithoutBytes(asset.Category, asset.ColorMode);
    const stored: BrandingAsset = {
      category: asset.Category,
      colorMode: asset.ColorMode,
      extension: asset.Extension,
      ...(asset.ResourceId !== undefined && { resourceId: asset.ResourceId }),
      bytes: asset.Bytes,
    };
    const key = assetKey(stored);
    if (seen.has(key)) throw Errors.brandingAssetRepeated(asset.Category, asset.ColorMode);
    seen.add(key);
    byKey.set(key, stored);
  }
  if (byKey.size > MAX_ASSETS) throw Errors.brandingTooManyAssets(MAX_ASSETS);
  return [...byKey.values()].sort(byCategoryAndMode);
}

/** The settings the style's pages use: the defaults, with the style's own over them. */
function effectiveSettings(style: BrandingRecord): Settings {
  if (style.useCognitoProvidedValues || style.settings === null) return DEFAULT_BRANDING_SETTINGS;
  return mergeSettings(DEFAULT_BRANDING_SETTINGS, style.settings);
}

function describe(style: BrandingRecord, mergedResources: boolean): ManagedLoginBrandingType {
  return {
    ManagedLoginBrandingId: style.id,
    UserPoolId: style.poolId,
    UseCognitoProvidedValues: style.useCognitoProvidedValues,
    Settings: mergedResources ? effectiveSettings(style) : (style.settings ?? undefined),
    Assets: style.assets.map((asset) => ({
      Category: asset.category,
      ColorMode: asset.colorMode,
      Extension: asset.extension,
      ResourceId: asset.resourceId,
      Bytes: asset.bytes,
    })),
    CreationDate: style.createdAt,
    LastModifiedDate: style.updatedAt,
  };
}

async function requireStyle(store: Store, poolId: string, id: string): Promise<BrandingRecord> {
  const style = await store.brandings.get(poolId, id);
  if (!style) throw Errors.brandingNotFound(id);
  return style;
}

export async function createBranding(
  store: Store,
  input: CreateManagedLoginBrandingRequest,
  now: Date,
): Promise<ManagedLoginBrandingType> {
  const pool = await requirePool(store, input.UserPoolId);
  const client = await requireClient(store, pool.id, input.ClientId);
  checkContent(input);
  const style: BrandingRecord = {
    id: newUuid(),
    poolId: pool.id,
    clientId: client.id,
    useCognitoProvidedValues: input.UseCognitoProvidedValues ?? false,
    settings: isObject(input.Settings) ? input.Settings : null,
    assets: mergeAssets([], input.Assets ?? []),
    createdAt: now,
    updatedAt: now,
  };
  await store.transaction(async (tx) => {
    if ((await tx.brandings.idForClient(pool.id, client.id)) !== undefined)
      throw Errors.brandingExists(client.id);
    if ((await tx.brandings.countForPool(pool.id)) >= MAX_STYLES_PER_POOL) {
      throw Errors.brandingLimit(MAX_STYLES_PER_POOL);
    }
    try {
      await tx.brandings.insert(style);
    } catch (error) {
      // The client got a style since it was looked up.
      if (error instanceof DuplicateKeyError) throw Errors.brandingExists(client.id);
      throw error;
    }
  });
  return describe(style, false);
}

/**
 * The style after an update: Cognito's values (asked for, or kept when the request brings nothing
 * of its own), or the request's settings and assets over the stored ones.
 */
function updatedStyle(current: BrandingRecord, input: StyleContent, now: Date): BrandingRecord {
  const ownContent = input.Settings !== undefined || input.Assets !== undefined;
  if (input.UseCognitoProvidedValues ?? (current.useCognitoProvidedValues && !ownContent)) {
    return { ...current, useCognitoProvidedValues: true, settings: null, assets: [], updatedAt: now };
  }
  return {
    ...current,
    useCognitoProvidedValues: false,
    settings: isObject(input.Settings)
      ? mergeSettings(current.settings ?? {}, input.Settings)
      : current.settings,
    assets: input.Assets === undefined ? current.assets : mergeAssets(current.assets, input.Assets),
    updatedAt: now,
  };
}

/** The members the model leaves optional but an update cannot do without. */
function updateTarget(input: UpdateManagedLoginBrandingRequest): { poolId: string; id: string } {
  const { UserPoolId: poolId, ManagedLoginBrandingId: id } = input;
  if (poolId !== undefined && id !== undefined) return { poolId, id };
  const missing = [poolId === undefined && "userPoolId", id === undefined && "managedLoginBrandingId"];
  throw Errors.membersMissing(missing.filter((path) => path !== false));
}

export async function updateBranding(
  store: Store,
  input: UpdateManagedLoginBrandingRequest,
  now: Date,
): Promise<ManagedLoginBrandingType> {
  const { poolId, id } = updateTarget(input);
  const updated = await store.transaction(async (tx) => {
    await requirePool(tx, poolId);
    const current = await requireStyle(tx, poolId, id);
    checkContent(input);
    const next = updatedStyle(current, input, now);
    await tx.brandings.update(next);
    return next;
  });
  return describe(updated, false);
}

export async function describeBranding(
  store: Store,
  poolId: string,
  id: string,
  mergedResources: boolean,
): Promise<ManagedLoginBrandingType> {
  const pool = await requirePool(store, poolId);
  return describe(await requireStyle(store, pool.id, id), mergedResources);
}

export async function describeBrandingByClient(
  store: Store,
  poolId: string,
  clientId: string,
  mergedResources: boolean,
): Promise<ManagedLoginBrandingType> {
  const pool = await requirePool(store, poolId);
  const client = await requireClient(store, pool.id, clientId);
  const style = await store.brandings.getForClient(pool.id, client.id);
  if (!style) throw Errors.brandingNotFoundForClient(client.id);
  return describe(style, mergedResources);
}

export async function deleteBranding(store: Store, poolId: string, id: string): Promise<void> {
  await store.transaction(async (tx) => {
    const pool = await requirePool(tx, poolId);
    const style = await requireStyle(tx, pool.id, id);
    await tx.brandings.delete(pool.id, style.id);
  });
}

/** Where this server serves styles' images: `<path>/<poolId>/<clientId>/<version>/<category>-<mode>.<ext>`. */
export const BRANDING_ASSET_PATH = "/_cognate/managed-login";

export interface AppearanceAsset {
  category: string;
  colorMode: string;
  extension: string;
  bytes: Buffer;
}

export interface ManagedLoginAppearance {
  /** The style's settings merged over the defaults. */
  settings: Readonly<Settings>;
  assets: AppearanceAsset[];
  /** Changes with every update of the style (its assets' URLs name it). */
  version: string;
}

/** The pages of a client without a style, where they are shown in the default one. */
export const DEFAULT_APPEARANCE: ManagedLoginAppearance = {
  settings: DEFAULT_BRANDING_SETTINGS,
  assets: [],
  version: "default",
};

/** How the managed-login pages of the client look, or undefined when it has no style. */
export async function brandingForClient(
  store: Store,
  poolId: string,
  clientId: string,
): Promise<ManagedLoginAppearance | undefined> {
  const style = await store.brandings.getForClient(poolId, clientId);
  if (!style) return undefined;
  return {
    settings: deepFreeze(effectiveSettings(style)),
    assets: style.assets.map((asset) => ({
      category: asset.category,
      colorMode: asset.colorMode,
      extension: asset.extension,
      bytes: Buffer.from(asset.bytes, "base64"),
    })),
    version: String(style.updatedAt.getTime()),
  };
}

function assetFile(asset: AppearanceAsset): string {
  return `${asset.category}-${asset.colorMode}.${asset.extension.toLowerCase()}`;
}

/** The URL of one of a style's images, relative to this server. */
export function brandingAssetUrl(
  poolId: string,
  clientId: string,
  appearance: ManagedLoginAppearance,
  asset: AppearanceAsset,
): string {
  return `${BRANDING_ASSET_PATH}/${poolId}/${clientId}/${appearance.version}/${assetFile(asset)}`;
}

/** The image a BRANDING_ASSET_PATH URL names, while that version of the style is the current one. */
export async function brandingAssetAt(
  store: Store,
  poolId: string,
  clientId: string,
  version: string,
  file: string,
): Promise<AppearanceAsset | undefined> {
  const appearance = await brandingForClient(store, poolId, clientId);
  if (!appearance || appearance.version !== version) return undefined;
  return appearance.assets.find((asset) => assetFile(asset) === file);
}
