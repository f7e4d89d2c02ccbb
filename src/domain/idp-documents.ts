/**
 * Documents Cognate reads from outside identity providers when a provider is created or updated
 * (OIDC discovery, SAML metadata). Their URLs follow Cognito's transport rules — HTTPS on port 443
 * or 80 [DG] — unless the configuration relaxes them (`federation.allowInsecureIdpUrls`), and so
 * does every redirect on the way. Requests carry Cognito's User-Agent; at most 20 redirects are
 * followed [DG].
 */
import type { FederationConfig } from "../config/federation.js";

const MAX_REDIRECTS = 20;
const TIMEOUT_MS = 10_000;
/** Larger than any one provider's metadata or discovery document. */
const MAX_BYTES = 1024 * 1024;
export const USER_AGENT = "Amazon/Cognito";

/** The rule a provider URL must follow, in words (for error messages). */
export function idpUrlRule(config: FederationConfig): string {
  return config.allowInsecureIdpUrls ? "an http or https URL" : "an https URL on port 443 or 80";
}

/** Whether `text` is a URL Cognate may read from an identity provider. */
export function isAllowedIdpUrl(text: string, config: FederationConfig): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  if (config.allowInsecureIdpUrls) return url.protocol === "https:" || url.protocol === "http:";
  return url.protocol === "https:" && ["", "443", "80"].includes(url.port);
}

/** The document was not fetched: the server was unreachable, or answered with an error status. */
export class IdpDocumentError extends Error {
  constructor(
    /** The HTTP status of the answer, when there was one. */
    readonly status?: number,
  ) {
    super(status === undefined ? "unreachable" : `status ${status}`);
  }
}

/** The body, read up to MAX_BYTES; more is refused as unreachable would be. */
async function limitedText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BYTES) {
      await reader.cancel();
      throw new IdpDocumentError();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function get(url: string): Promise<Response> {
  try {
    return await fetch(url, {
      headers: { "user-agent": USER_AGENT },
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new IdpDocumentError();
  }
}

/**
 * GETs a document from an identity provider (the URL already checked with isAllowedIdpUrl).
 * Throws IdpDocumentError when it cannot be read or the answer is not a success.
 */
export async function fetchIdpDocument(url: string, config: FederationConfig): Promise<string> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    const response = await get(current);
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = URL.canParse(location, current) ? new URL(location, current).href : "";
      if (redirects === MAX_REDIRECTS || !isAllowedIdpUrl(next, config)) throw new IdpDocumentError();
      current = next;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new IdpDocumentError(response.status);
    }
    try {
      return await limitedText(response);
    } catch (error) {
      if (error instanceof IdpDocumentError) throw error;
      throw new IdpDocumentError();
    }
  }
}

/** An identity provider's answer to a sign-in request: its status and body (at most MAX_BYTES). */
export interface IdpAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Sends one request of a sign-in to an identity provider (code exchange, userInfo) with Cognito's
 * User-Agent; redirects are not followed. Throws IdpDocumentError when it cannot be sent or read.
 */
export async function idpRequest(
  url: string,
  init: { method: "GET" | "POST"; headers?: Record<string, string>; form?: URLSearchParams },
): Promise<IdpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method,
      headers: {
        "user-agent": USER_AGENT,
        accept: "application/json",
        ...(init.form && { "content-type": "application/x-www-form-urlencoded" }),
        ...init.headers,
      },
      body: init.form,
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new IdpDocumentError();
  }
  try {
    const body = await limitedText(response);
    return { status: response.status, contentType: response.headers.get("content-type") ?? "", body };
  } catch (error) {
    if (error instanceof IdpDocumentError) throw error;
    throw new IdpDocumentError();
  }
}
