/**
 * The pool's public key set and OIDC discovery document (TOKENS.md §1): unauthenticated GETs on
 * `/{poolId}/.well-known/…`, outside the JSON RPC protocol, so that any JWT library can find the
 * keys from a token's issuer.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { Errors } from "../domain/errors.js";
import { issuerFor, jwksUriFor } from "../domain/tokens.js";
import type { Services } from "../services.js";

interface PoolParams {
  poolId: string;
}

function poolNotFound(reply: FastifyReply, poolId: string): FastifyReply {
  const error = Errors.poolNotFound(poolId);
  return reply.code(404).send({ __type: error.type, message: error.message });
}

export function registerWellKnown(app: FastifyInstance, services: Services): void {
  app.get<{ Params: PoolParams }>("/:poolId/.well-known/jwks.json", async (req, reply) => {
    const { poolId } = req.params;
    if (!(await services.store.pools.get(poolId))) return poolNotFound(reply, poolId);
    const keys = await services.keys.forPool(poolId, services.clock());
    return reply.send({ keys: keys.jwks });
  });

  app.get<{ Params: PoolParams }>("/:poolId/.well-known/openid-configuration", async (req, reply) => {
    const { poolId } = req.params;
    if (!(await services.store.pools.get(poolId))) return poolNotFound(reply, poolId);
    // No managed-login domain yet: the OAuth endpoints are left out rather than pointing nowhere.
    return reply.send({
      issuer: issuerFor(services, poolId),
      jwks_uri: jwksUriFor(services, poolId),
      response_types_supported: ["code", "token"],
      scopes_supported: ["openid", "email", "phone", "profile"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    });
  });
}
