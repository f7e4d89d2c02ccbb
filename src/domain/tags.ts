/**
 * User pool tags (ADMINISTRATION.md §2): one set per pool, kept with its configuration, which
 * CreateUserPool / UpdateUserPool set (UserPoolTags) and TagResource / UntagResource change. The
 * tag operations name the pool by its ARN. Tags are metadata only: nothing here authorizes.
 */
import type { PoolRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { type CognitoError, Errors } from "./errors.js";
import { ACCOUNT_ID, poolRegion } from "./pools.js";

/** Tags a pool may have [DG]. */
export const MAX_TAGS = 50;

/** Letters, digits, spaces and `_ . : / = + - @`, in any script [DG tagging]. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const POOL_ARN = /^arn:(aws|aws-cn|aws-us-gov):cognito-idp:([^:]+):(\d+):userpool\/([^/]+)$/;

export type Tags = Record<string, string>;

/** Why a set of tags breaks the rules, as the error to throw, made by the operation's `error`. */
function tagProblem(tags: Tags, error: (message: string) => CognitoError): CognitoError | undefined {
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) return error(`A user pool can have at most ${MAX_TAGS} tags.`);
  for (const [key, value] of entries) {
    if (key.toLowerCase().startsWith("aws:"))
      return error("Tag keys starting with aws: are reserved for AWS.");
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value)) {
      return error("Tag keys and values may contain only letters, digits, spaces and _ . : / = + - @.");
    }
  }
  return undefined;
}

/** CreateUserPool / UpdateUserPool: tags that break the rules → UserPoolTaggingException [UNDOC mapping]. */
export function checkPoolTags(tags: Tags | undefined): void {
  const problem = tags && tagProblem(tags, Errors.userPoolTagging);
  if (problem) throw problem;
}

/**
 * The pool an ARN names. Not a user pool's ARN → InvalidParameterException; a well-formed ARN of a
 * pool this server does not have (or of another account or Region) → ResourceNotFoundException.
 */
export async function requirePoolByArn(store: Store, arn: string): Promise<PoolRecord> {
  const match = POOL_ARN.exec(arn);
  if (!match) throw Errors.notUserPoolArn(arn);
  const [, , region, account, poolId] = match;
  const pool = await store.pools.get(poolId);
  if (!pool || account !== ACCOUNT_ID || region !== poolRegion(poolId)) throw Errors.poolNotFound(poolId);
  return pool;
}

export function poolTags(pool: PoolRecord): Tags {
  return { ...(pool.config.UserPoolTags ?? {}) };
}

/** The pool with `tags` added (existing keys overwritten); nothing changes when the result breaks the rules. */
export function withTags(pool: PoolRecord, tags: Tags): PoolRecord {
  const merged = { ...poolTags(pool), ...tags };
  const problem = tagProblem(merged, Errors.invalidParameter);
  if (problem) throw problem;
  return { ...pool, config: { ...pool.config, UserPoolTags: merged } };
}

/** The pool without the tags of these keys (absent keys are ignored). */
export function withoutTags(pool: PoolRecord, keys: string[]): PoolRecord {
  const remaining = poolTags(pool);
  for (const key of keys) delete remaining[key];
  return { ...pool, config: { ...pool.config, UserPoolTags: remaining } };
}
