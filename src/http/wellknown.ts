/**
 * The pool's public key set and OIDC discovery document (TOKENS.md §1): unauthenticated GETs on
 * `/{poolId}/.well-known/…`, outside the JSON RPC protocol, so that any JWT library can find the
 * keys from a token's issuer, and an OpenID Connect relying party the endpoints of the pool's domain
 * (OAUTH.md §1.4).
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { preferredDomain, publicUrlOf } from "../domain/domains.js";
import { Errors } from "../domain/errors.js";
import { issuerFor, jwksUriFor } from "../domain/tokens.js";
import { SHAPES } from "../protocol/model.generated.js";
import type { Services } from "../services.js";

const POOL_ID_PATTERN = SHAPES.UserPoolIdType.pattern as { source: string; flags: string };
const POOL_ID = new RegExp(POOL_ID_PATTERN.source, POOL_ID_PATTERN.flags);

/** Whether the pool exists; a path that is no pool ID (it may hold what a database refuses) is none. */
async function poolExists(services: Services, poolId: string): Promise<boolean> {
  return POOL_ID.test(poolId) && (await services.store.pools.get(poolId)) !== undefined;
}

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
    if (!(await poolExists(services, poolId))) return poolNotFound(reply, poolId);
    const keys = await services.keys.forPool(poolId, services.clock());
    return reply.send({ keys: keys.jwks });
  });

  app.get<{ Params: PoolParams }>("/:poolId/.well-known/openid-configuration", async (req, reply) => {
    const { poolId } = req.params;
    if (!(await poolExists(services, poolId))) return poolNotFound(reply, poolId);
    const domain = preferredDomain(await services.store.domains.listForPool(poolId));
    // Without a domain Cognito lists the endpoints as "" [OBS].
    const endpoint = (path: string) => (domain ? `${publicUrlOf(services, domain)}${path}` : "");
    return reply.send({
      authorization_endpoint: endpoint("/oauth2/authorize"),
      end_session_endpoint: endpoint("/logout"),
      id_token_signing_alg_values_supported: ["RS256"],
      issuer: issuerFor(services, poolId),
      jwks_uri: jwksUriFor(services, poolId),
      response_types_supported: ["code", "token"],
      revocation_endpoint: endpoint("/oauth2/revoke"),
      scopes_supported: ["openid", "email", "phone", "profile"],
      subject_types_supported: ["public"],
      token_endpoint: endpoint("/oauth2/token"),
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      userinfo_endpoint: endpoint("/oauth2/userInfo"),
    });
  });
}
