/**
 * Opaque NextToken values for list operations: the key of the last item returned, wrapped so that
 * callers can't mistake it for anything they should read. A token that doesn't decode is refused.
 */
import { Errors } from "./errors.js";

const PREFIX = "cognate:1:";

export function encodeNextToken(lastKey: string): string {
  return Buffer.from(`${PREFIX}${lastKey}`, "utf8").toString("base64url");
}

/** The key to continue after, or undefined for the first page. */
export function decodeNextToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const text = Buffer.from(token, "base64url").toString("utf8");
  if (!/^[A-Za-z0-9_-]+$/.test(token) || !text.startsWith(PREFIX) || text.length === PREFIX.length) {
    throw Errors.invalidPaginationToken();
  }
  return text.slice(PREFIX.length);
}

/**
 * One page from a repository listing that was asked for `limit + 1` items: the items to return and
 * the token for the next page, when there is one.
 */
export function page<T>(
  items: T[],
  limit: number,
  keyOf: (item: T) => string,
): { items: T[]; nextToken: string | undefined } {
  if (items.length <= limit) return { items, nextToken: undefined };
  const shown = items.slice(0, limit);
  return { items: shown, nextToken: encodeNextToken(keyOf(shown[shown.length - 1])) };
}
