/** A pool's outside identity providers and its SAML signing certificate (FEDERATION.md §1). */
import { Errors } from "../domain/errors.js";
import { unlinkProvider } from "../domain/identity-links.js";
import {
  createIdentityProvider,
  deleteIdentityProvider,
  describeIdentityProvider,
  providerDescription,
  requireIdentityProvider,
  updateIdentityProvider,
} from "../domain/identity-providers.js";
import { requirePool } from "../domain/lookup.js";
import { decodeNextToken, page } from "../domain/pagination.js";
import { poolSamlSigningKey } from "../domain/saml-signing.js";
import type { IdentityProviderRecord, ProviderListPosition } from "../store/identity-providers.js";
import type { Handler, HandlerTable } from "./types.js";

/** A page holds at most what the output list may (50), MaxResults or not [MODEL][UNDOC]. */
const MAX_PROVIDERS_PAGE = 50;

const CreateIdentityProvider: Handler<"CreateIdentityProvider"> = async (input, ctx) => {
  const { store, config } = ctx.services;
  const provider = await createIdentityProvider(store, config.federation, input, ctx.now);
  return { IdentityProvider: describeIdentityProvider(provider) };
};

const DescribeIdentityProvider: Handler<"DescribeIdentityProvider"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const provider = await requireIdentityProvider(store, pool.id, input.ProviderName);
  return { IdentityProvider: describeIdentityProvider(provider) };
};

const UpdateIdentityProvider: Handler<"UpdateIdentityProvider"> = async (input, ctx) => {
  const { store, config } = ctx.services;
  const provider = await updateIdentityProvider(store, config.federation, input, ctx.now);
  return { IdentityProvider: describeIdentityProvider(provider) };
};

/** The provider goes with its identifiers and links; clients stop listing it. */
const DeleteIdentityProvider: Handler<"DeleteIdentityProvider"> = async (input, ctx) => {
  await ctx.services.store.transaction(async (tx) => {
    const pool = await requirePool(tx, input.UserPoolId);
    await deleteIdentityProvider(tx, pool, input.ProviderName);
    await unlinkProvider(tx, pool, input.ProviderName, ctx.now);
  });
  return {};
};

/** NextToken: the creation time (epoch ms) and name of the last provider shown. */
function positionAfter(token: string | undefined): ProviderListPosition | undefined {
  const key = decodeNextToken(token);
  if (key === undefined) return undefined;
  const match = /^(\d+):(.+)$/s.exec(key);
  if (!match) throw Errors.invalidPaginationToken();
  return { createdAt: new Date(Number(match[1])), name: match[2] };
}

const positionKey = (provider: IdentityProviderRecord) => `${provider.createdAt.getTime()}:${provider.name}`;

/** In creation order. */
const ListIdentityProviders: Handler<"ListIdentityProviders"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const limit = Math.min(input.MaxResults || MAX_PROVIDERS_PAGE, MAX_PROVIDERS_PAGE);
  const providers = await store.identityProviders.list(pool.id, limit + 1, positionAfter(input.NextToken));
  const { items, nextToken } = page(providers, limit, positionKey);
  return { Providers: items.map(providerDescription), NextToken: nextToken };
};

const GetIdentityProviderByIdentifier: Handler<"GetIdentityProviderByIdentifier"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const provider = await store.identityProviders.getByIdentifier(pool.id, input.IdpIdentifier);
  if (!provider) throw Errors.idpIdentifierNotFound(input.IdpIdentifier);
  return { IdentityProvider: describeIdentityProvider(provider) };
};

/** The pool's SAML signing certificate, base64 DER without PEM armour [API]; made on first request. */
const GetSigningCertificate: Handler<"GetSigningCertificate"> = async (input, ctx) => {
  const { store } = ctx.services;
  const pool = await requirePool(store, input.UserPoolId);
  const key = await poolSamlSigningKey(store, pool.id, ctx.now);
  return { Certificate: key.certificate };
};

export const identityProviderHandlers = {
  CreateIdentityProvider,
  DescribeIdentityProvider,
  UpdateIdentityProvider,
  DeleteIdentityProvider,
  ListIdentityProviders,
  GetIdentityProviderByIdentifier,
  GetSigningCertificate,
} satisfies HandlerTable;
