/**
 * The signature a SigV4 request should carry, computed again with the stored secret: the request
 * as the client signed it, canonicalised by @smithy/signature-v4, and the payload hash of the bytes
 * received. Loaded by sigv4.ts with the first signed request.
 */
import { createHash, createHmac } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { ALGORITHM_IDENTIFIER, getCanonicalHeaders, getSigningKey, SignatureV4 } from "@smithy/signature-v4";
import type { QueryParameterBag } from "@smithy/types";
import type { RpcRequest } from "./dispatch.js";
import { SERVICE } from "./model.generated.js";
import { header, type IamCredential } from "./sigv4.js";

const SHA256 = Hash.bind(null, "sha256");

/** What the signature covers, from the request's Authorization header and credential scope. */
export interface SignedParts {
  signedHeaders: string[];
  longDate: string;
  shortDate: string;
  region: string;
  scope: string;
}

/** The request as the client signed it: its path and query, only the signed headers, and the body. */
function signedRequest(request: RpcRequest, signedHeaders: string[]): HttpRequest {
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) {
    const value = header(request, name);
    if (value !== undefined) headers[name] = value;
  }
  // Split by hand: the target may be anything the HTTP parser let through, and must not throw.
  const queryStart = request.url.indexOf("?");
  const rawPath = queryStart < 0 ? request.url : request.url.slice(0, queryStart);
  const params = new URLSearchParams(queryStart < 0 ? "" : request.url.slice(queryStart + 1));
  const query: QueryParameterBag = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // A malformed escape cannot have been signed as decoded text; keep the path as received.
  }
  return new HttpRequest({ method: request.method, path, query, headers, body: request.body });
}

/** Exposes @smithy/signature-v4's canonicalisation, so the server computes what the client signed. */
export class CanonicalSigner extends SignatureV4 {
  constructor() {
    super({
      service: SERVICE.signingName,
      region: "unused",
      credentials: { accessKeyId: "unused", secretAccessKey: "unused" },
      sha256: SHA256,
      uriEscapePath: true,
      applyChecksum: false,
    });
  }

  async expected(request: HttpRequest, signedHeaders: string[], longDate: string, scope: string) {
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(signedHeaders));
    // The payload hash of the bytes received, never the client's x-amz-content-sha256.
    const payloadHash = createHash("sha256")
      .update(request.body as Buffer)
      .digest("hex");
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, payloadHash);
    const stringToSign = await this.createStringToSign(
      longDate,
      scope,
      canonicalRequest,
      ALGORITHM_IDENTIFIER,
    );
    return { canonicalRequest, stringToSign };
  }

  /** The expected signature, with the canonical request and string to sign an error reports. */
  async expectedSignature(request: RpcRequest, credential: IamCredential, parts: SignedParts) {
    const { canonicalRequest, stringToSign } = await this.expected(
      signedRequest(request, parts.signedHeaders),
      parts.signedHeaders,
      parts.longDate,
      parts.scope,
    );
    const key = await getSigningKey(SHA256, credential, parts.shortDate, parts.region, SERVICE.signingName);
    const signature = createHmac("sha256", key).update(stringToSign).digest("hex");
    return { signature, canonicalRequest, stringToSign };
  }
}
