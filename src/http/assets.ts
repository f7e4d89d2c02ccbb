/**
 * Images the sign-in pages show, served as the URLs the API and the pages give for them: the
 * classic hosted UI's logo (GetUICustomization's ImageUrl) and the images of managed-login styles.
 * A URL names one version; a replaced image's URL is gone.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { BRANDING_ASSET_PATH, brandingAssetAt } from "../domain/branding.js";
import { LOGO_PATH, logoAt } from "../domain/ui-customization.js";
import type { Services } from "../services.js";

interface LogoParams {
  poolId: string;
  scope: string;
  version: string;
}

interface BrandingAssetParams {
  poolId: string;
  clientId: string;
  version: string;
  file: string;
}

/** The media types of the model's AssetExtensionType. */
const ASSET_TYPES: Readonly<Record<string, string>> = {
  ICO: "image/x-icon",
  JPEG: "image/jpeg",
  PNG: "image/png",
  SVG: "image/svg+xml",
  WEBP: "image/webp",
};

/** An uploaded SVG opened on its own must not run script in the domain's origin. */
const IMAGE_HEADERS = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
};

function image(reply: FastifyReply, contentType: string, bytes: Buffer): FastifyReply {
  return reply.type(contentType).headers(IMAGE_HEADERS).send(bytes);
}

export function registerAssets(app: FastifyInstance, services: Services): void {
  app.get<{ Params: LogoParams }>(`${LOGO_PATH}/:poolId/:scope/:version/:file`, async (req, reply) => {
    const { poolId, scope, version } = req.params;
    const logo = await logoAt(services.store, poolId, scope, version);
    if (!logo) return reply.code(404).type("text/plain").send("Not found");
    return image(reply, logo.contentType, logo.bytes);
  });
  app.get<{ Params: BrandingAssetParams }>(
    `${BRANDING_ASSET_PATH}/:poolId/:clientId/:version/:file`,
    async (req, reply) => {
      const { poolId, clientId, version, file } = req.params;
      const asset = await brandingAssetAt(services.store, poolId, clientId, version, file);
      if (!asset) return reply.code(404).type("text/plain").send("Not found");
      return image(reply, ASSET_TYPES[asset.extension] ?? "application/octet-stream", asset.bytes);
    },
  );
}
