/**
 * Images the sign-in pages show, served as the URLs the API gives for them: the classic hosted UI's
 * logo (GetUICustomization's ImageUrl). A URL names one version; a replaced logo's URL is gone.
 */
import type { FastifyInstance } from "fastify";
import { LOGO_PATH, logoAt } from "../domain/ui-customization.js";
import type { Services } from "../services.js";

interface LogoParams {
  poolId: string;
  scope: string;
  version: string;
}

export function registerAssets(app: FastifyInstance, services: Services): void {
  app.get<{ Params: LogoParams }>(`${LOGO_PATH}/:poolId/:scope/:version/:file`, async (req, reply) => {
    const { poolId, scope, version } = req.params;
    const logo = await logoAt(services.store, poolId, scope, version);
    if (!logo) return reply.code(404).type("text/plain").send("Not found");
    return reply.type(logo.contentType).header("x-content-type-options", "nosniff").send(logo.bytes);
  });
}
