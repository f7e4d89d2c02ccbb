/**
 * Terms documents (OAUTH.md §7.3): a client's terms of use and privacy policy, one of each, as
 * links per language. The client's managed-login sign-up page links them once both exist, in the
 * page's language or else `cognito:default`.
 */
import { newUuid } from "../crypto/random.js";
import type {
  CreateTermsRequest,
  ListTermsResponse,
  TermsType,
  UpdateTermsRequest,
} from "../protocol/types.generated.js";
import { DuplicateKeyError } from "../store/duplicates.js";
import type { Store } from "../store/store.js";
import type { TermsRecord } from "../store/terms.js";
import { Errors } from "./errors.js";
import { requireClient, requirePool } from "./lookup.js";
import { decodeNextToken, page } from "./pagination.js";

/** ListTerms' page when MaxResults is omitted: the model's maximum [UNDOC]. */
const DEFAULT_TERMS_PAGE = 60;
const DEFAULT_LANGUAGE = "cognito:default";

function describe(terms: TermsRecord): TermsType {
  return {
    TermsId: terms.id,
    UserPoolId: terms.poolId,
    ClientId: terms.clientId,
    TermsName: terms.name,
    TermsSource: terms.source,
    Enforcement: terms.enforcement,
    Links: terms.links,
    CreationDate: terms.createdAt,
    LastModifiedDate: terms.updatedAt,
  };
}

async function requireTerms(store: Store, poolId: string, id: string): Promise<TermsRecord> {
  const pool = await requirePool(store, poolId);
  const terms = await store.terms.get(pool.id, id);
  if (!terms) throw Errors.termsNotFound(id);
  return terms;
}

/** Stores a new or changed document; the client may hold one of each name. */
async function save(store: Store, terms: TermsRecord, isNew: boolean): Promise<void> {
  try {
    if (isNew) await store.terms.insert(terms);
    else await store.terms.update(terms);
  } catch (error) {
    if (error instanceof DuplicateKeyError) throw Errors.termsExist(terms.name, terms.clientId);
    throw error;
  }
}

export async function createTerms(store: Store, input: CreateTermsRequest, now: Date): Promise<TermsType> {
  const pool = await requirePool(store, input.UserPoolId);
  const client = await requireClient(store, pool.id, input.ClientId);
  // The only source is LINK, so the links are the document.
  if (input.Links === undefined) throw Errors.termsLinksRequired();
  const terms: TermsRecord = {
    id: newUuid(),
    poolId: pool.id,
    clientId: client.id,
    name: input.TermsName,
    source: input.TermsSource,
    enforcement: input.Enforcement,
    links: input.Links,
    createdAt: now,
    updatedAt: now,
  };
  await save(store, terms, true);
  return describe(terms);
}

export async function describeTerms(store: Store, poolId: string, id: string): Promise<TermsType> {
  return describe(await requireTerms(store, poolId, id));
}

/** UpdateTerms: the members given replace the stored ones (Links as a whole). */
export async function updateTerms(store: Store, input: UpdateTermsRequest, now: Date): Promise<TermsType> {
  const current = await requireTerms(store, input.UserPoolId, input.TermsId);
  const updated: TermsRecord = {
    ...current,
    name: input.TermsName ?? current.name,
    source: input.TermsSource ?? current.source,
    enforcement: input.Enforcement ?? current.enforcement,
    links: input.Links ?? current.links,
    updatedAt: now,
  };
  await save(store, updated, false);
  return describe(updated);
}

export async function deleteTerms(store: Store, poolId: string, id: string): Promise<void> {
  const terms = await requireTerms(store, poolId, id);
  await store.terms.delete(terms.poolId, terms.id);
}

export async function listTerms(
  store: Store,
  poolId: string,
  maxResults: number | undefined,
  nextToken: string | undefined,
): Promise<ListTermsResponse> {
  const pool = await requirePool(store, poolId);
  const limit = maxResults ?? DEFAULT_TERMS_PAGE;
  const terms = await store.terms.list(pool.id, limit + 1, decodeNextToken(nextToken));
  const { items, nextToken: next } = page(terms, limit, (t) => t.id);
  return {
    Terms: items.map((t) => ({
      TermsId: t.id,
      TermsName: t.name,
      Enforcement: t.enforcement,
      CreationDate: t.createdAt,
      LastModifiedDate: t.updatedAt,
    })),
    NextToken: next,
  };
}

/** Language id (cognito:default, cognito:english, …) → URL. */
export type TermsLinks = Readonly<Record<string, string>>;

export interface SignUpTerms {
  termsOfUse: TermsLinks;
  privacyPolicy: TermsLinks;
}

/** The documents the client's sign-up page links: both, or undefined while one is missing. */
export async function termsForClient(
  store: Store,
  poolId: string,
  clientId: string,
): Promise<SignUpTerms | undefined> {
  const documents = await store.terms.listForClient(poolId, clientId);
  const termsOfUse = documents.find((d) => d.name === "terms-of-use")?.links;
  const privacyPolicy = documents.find((d) => d.name === "privacy-policy")?.links;
  return termsOfUse && privacyPolicy ? { termsOfUse, privacyPolicy } : undefined;
}

/** A document's URL for a page language (`english`, `french`, …), else its default one. */
export function termsLink(links: TermsLinks, language: string): string | undefined {
  return links[`cognito:${language}`] ?? links[DEFAULT_LANGUAGE];
}
